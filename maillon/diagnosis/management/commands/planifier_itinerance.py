"""Choose where an itinerant service should stop, and lay the stops over a week.

manage.py planifier_itinerance --territoire dep:53 --arrets K --seuil-minutes M
    [--service CODE] [--sites FILE.csv] --output FILE [--format json|csv]
    [--export-instance FILE] [--ics FILE] [--limite-secondes S] [--depart CODE_INSEE]
"""

import datetime as dt
import json
import pathlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillon.diagnosis.planning.ical import itinerary_to_ics
from maillon.diagnosis.planning.instance import InstanceError
from maillon.diagnosis.planning.itinerary import ItineraryOptions
from maillon.diagnosis.planning.outputs import plan_to_csv, plan_to_json
from maillon.diagnosis.planning.services import plan_itinerance, stop_descriptions
from maillon.diagnosis.planning.solve import DEFAULT_TIME_LIMIT
from maillon.diagnosis.planning.territory import parse_sites


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"« {text} » n'est pas un nombre entier.") from None
    if value < 1:
        raise CommandError(f"« {text} » : il faut un nombre entier au moins égal à 1.")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise CommandError(f"« {text} » n'est pas un nombre.") from None
    if not value > 0:
        raise CommandError(f"« {text} » : il faut un nombre strictement positif.")
    return value


def _monday(text: str) -> dt.date:
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Date « {text} » illisible : écrivez AAAA-MM-JJ.") from None
    if date.weekday() != 0:
        raise CommandError(f"Le {date:%d/%m/%Y} n'est pas un lundi : la semaine commence un lundi.")
    return date


def _next_monday() -> dt.date:
    today = dt.date.today()
    return today + dt.timedelta(days=7 - today.weekday())


class Command(BaseCommand):
    help = (
        "Choisit K arrêts d'un service itinérant qui atteignent le plus de personnes en risque "
        "d'illectronisme à moins de M minutes, hors de portée d'un lieu fixe (couverture "
        "maximale, HiGHS), et les répartit sur une semaine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territoire", required=True, help="dep:53, epci:<SIREN>, com:…")
        parser.add_argument("--arrets", required=True, type=_positive_int, help="nombre K")
        parser.add_argument(
            "--seuil-minutes", required=True, type=_positive_float, help="temps de trajet M"
        )
        parser.add_argument("--service", default="", help="code de service du standard des lieux")
        parser.add_argument("--sites", default="", help="CSV id,nom,latitude,longitude")
        parser.add_argument("--output", required=True, help="plan à écrire (JSON ou CSV)")
        parser.add_argument("--format", choices=("json", "csv"), default="", dest="out_format")
        parser.add_argument("--export-instance", default="", help="instance JSON à écrire")
        parser.add_argument("--ics", default="", help="itinéraire iCalendar à écrire")
        parser.add_argument("--limite-secondes", type=_positive_float, default=DEFAULT_TIME_LIMIT)
        parser.add_argument("--depart", default="", help="code INSEE de la commune de départ")
        parser.add_argument("--jours", type=_positive_int, default=5)
        parser.add_argument("--arrets-par-jour", type=_positive_int, default=2)
        parser.add_argument("--budget-conduite-minutes", type=_positive_float, default=120.0)
        parser.add_argument("--debut", type=_monday, default=None, help="lundi AAAA-MM-JJ")
        parser.add_argument("--semaines", type=_positive_int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        sites = None
        if options["sites"]:
            path = pathlib.Path(options["sites"])
            if not path.is_file():
                raise CommandError(f"Fichier de sites introuvable : {path}.")
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                raise CommandError(f"{path} n'est pas un fichier texte UTF-8.") from None
            try:
                sites = parse_sites(text)
            except InstanceError as error:
                raise CommandError(str(error)) from None
        try:
            planning = plan_itinerance(
                territory=options["territoire"],
                k=options["arrets"],
                threshold_minutes=options["seuil_minutes"],
                service=options["service"] or None,
                sites=sites,
                time_limit=options["limite_secondes"],
                depot=options["depart"] or None,
                options=ItineraryOptions(
                    days=min(options["jours"], 7),
                    stops_per_day=options["arrets_par_jour"],
                    driving_budget_minutes=options["budget_conduite_minutes"],
                ),
            )
        except InstanceError as error:
            raise CommandError(str(error)) from None

        output = pathlib.Path(options["output"])
        out_format = options["out_format"] or ("csv" if output.suffix.lower() == ".csv" else "json")
        if out_format == "csv":
            text = plan_to_csv(planning.built, planning.plan, planning.itinerary)
            output.write_text(text, encoding="utf-8", newline="")
        else:
            data = plan_to_json(planning.built, planning.plan, planning.itinerary)
            output.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        if options["export_instance"]:
            instance = planning.built.instance.to_json()
            pathlib.Path(options["export_instance"]).write_text(
                json.dumps(instance, ensure_ascii=False), encoding="utf-8"
            )
        if options["ics"]:
            ics = itinerary_to_ics(
                planning.itinerary,
                monday=options["debut"] or _next_monday(),
                weeks=options["semaines"],
                descriptions=stop_descriptions(planning),
            )
            pathlib.Path(options["ics"]).write_text(ics, encoding="utf-8", newline="")
        plan = planning.plan
        proof = (
            "optimal prouvé"
            if plan.is_optimal
            else f"écart à l'optimum au plus {plan.gap:.2%} (borne {plan.bound:.0f})"
        )
        self.stdout.write(
            f"{len(plan.stops)} arrêt(s) pour {planning.built.territory} : {plan.covered:.0f} "
            f"personnes en risque couvertes sur {planning.built.instance.weights.sum():.0f} hors "
            f"de portée d'un lieu fixe à {planning.built.threshold_minutes:g} min ; {proof} "
            f"({plan.heuristic_seconds + plan.milp_seconds:.2f} s). Plan écrit dans {output}."
        )
