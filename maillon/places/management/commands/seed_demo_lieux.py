"""Give each demo structure a place, so managers and coordinators have something to work on."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from maillon.accounts.models import Structure
from maillon.places import merge
from maillon.places.models import Place, Source, SourceKind, SourceRecord
from maillon.places.record import LocationPrecision, PlaceData

DEMO_SOURCE = "demo"
DEMO_SUFFIX = " (démo)"

# Structure name → (services, hours, accompaniment, access, free?), all codes of the vocabulary.
PROFILES: dict[str, tuple[tuple[str, ...], str, tuple[str, ...], tuple[str, ...], str]] = {
    "France Services de Mayenne (démo)": (
        ("aide_demarches", "outils_quotidien"),
        "Mo-Fr 08:30-12:30,13:30-17:00; Sa 09:00-12:00; PH off",
        ("individuel",),
        ("se_presenter", "telephoner"),
        "gratuit",
    ),
    "CCAS de Laval (démo)": (
        ("aide_demarches", "acces_materiel"),
        "Mo-Fr 09:00-12:00,14:00-17:30; PH off",
        ("individuel", "en_autonomie"),
        ("se_presenter", "telephoner"),
        "gratuit",
    ),
    "Médiathèque du Pays de Château-Gontier (démo)": (
        ("outils_quotidien", "loisirs_creations", "acces_materiel"),
        "Tu,Th 14:00-18:00; We,Sa 10:00-12:30,14:00-18:00",
        ("en_autonomie", "atelier_collectif"),
        ("se_presenter",),
        "gratuit",
    ),
    "Centre social des Coëvrons (démo)": (
        ("outils_quotidien", "parentalite", "utilisation_securisee"),
        "Mo-Fr 09:00-12:00,13:30-18:00",
        ("atelier_collectif", "individuel"),
        ("telephoner", "contacter_par_mail"),
        "gratuit_sous_condition",
    ),
    "Association Clic Mayenne (démo)": (
        ("outils_quotidien", "comprehension", "materiel_solidaire"),
        "Mo,We,Fr 14:00-17:00",
        ("atelier_collectif",),
        ("telephoner",),
        "payant",
    ),
    "Espace public numérique de l'Ernée (démo)": (
        ("outils_quotidien", "insertion_pro", "acces_materiel"),
        "Tu-Sa 10:00-12:00,14:00-18:00",
        ("en_autonomie", "individuel", "atelier_collectif"),
        ("se_presenter",),
        "gratuit",
    ),
    "CIAS du Pays de Craon (démo)": (
        ("aide_demarches",),
        "Mo-Th 09:00-12:00",
        ("individuel", "a_distance"),
        ("telephoner",),
        "gratuit",
    ),
}


class Command(BaseCommand):
    help = "Crée un lieu pour chaque structure de démonstration. Refuse de tourner hors DEBUG."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo_lieux ne crée des données de démonstration qu'en développement : "
                "relancez avec DJANGO_DEBUG=1."
            )
        structures = {
            structure.name: structure
            for structure in Structure.objects.filter(name__in=PROFILES).select_related("commune")
        }
        if not structures:
            raise CommandError("Structures de démonstration absentes : lancez d'abord seed_demo.")
        created = self.seed(structures)
        if created:
            self.stdout.write(self.style.SUCCESS(f"{created} lieux de démonstration créés."))
        else:
            self.stdout.write("Rien à faire : les lieux de démonstration sont déjà en place.")

    @transaction.atomic
    def seed(self, structures: dict[str, Structure]) -> int:
        source, _ = Source.objects.get_or_create(
            slug=DEMO_SOURCE,
            defaults={"name": "Démonstration Maillon", "kind": SourceKind.STANDARD},
        )
        created = 0
        for name, structure in structures.items():
            if SourceRecord.objects.filter(
                source=source, external_id=structure.siret or structure.rna
            ).exists():
                continue
            services, hours, accompaniment, access, fees = PROFILES[name]
            commune = structure.commune
            data = PlaceData(
                nom=name.removesuffix(DEMO_SUFFIX) + DEMO_SUFFIX,
                date_maj=dt.date(2026, 10, 1),
                pivot=structure.siret or structure.rna,
                commune=commune.name if commune else "",
                code_postal=structure.postal_code,
                code_insee=commune.code_insee if commune else "",
                adresse=structure.address,
                latitude=commune.latitude if commune else None,
                longitude=commune.longitude if commune else None,
                location_precision=(
                    LocationPrecision.COMMUNE.value if commune else LocationPrecision.NONE.value
                ),
                typologie=(structure.typologie,),
                telephone=structure.phone,
                horaires=hours,
                source="Maillon (démonstration)",
                services=services,
                frais_a_charge=(fees,),
                modalites_acces=access,
                modalites_accompagnement=accompaniment,
                dispositif_programmes_nationaux=(
                    ("france_services",) if "France Services" in name else ()
                ),
                presentation_resume="Lieu fictif créé pour la démonstration de Maillon.",
            )
            place = Place(nom=data.nom, date_maj=data.date_maj, structure=structure)
            place.apply(data)
            place.save()
            SourceRecord.objects.create(
                source=source,
                external_id=structure.siret or structure.rna,
                place=place,
                data=data.to_json(),
                fingerprint=data.fingerprint(),
                date_maj=data.date_maj,
            )
            merge.rebuild(place)
            created += 1
        return created
