"""French territory reference data: régions, départements, EPCI, communes (COG 2026).

Codes are official identifiers kept as strings ("01001", "2A004", "97411") and used as primary keys,
so that every other table can point to a commune by its code INSEE. Rows are written only by
`manage.py load_territory` (see services.py and data/PROVENANCE.md).
"""

import re
from typing import Any, TypeVar

from django.db import models
from django.db.models import Case, F, Q, Value, When

from maillon.territory.names import normalize_query

# A commune code: 5 digits, or 2A/2B then 3 digits (Corse).
CODE_INSEE_PATTERN = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")
POSTAL_CODE_PATTERN = re.compile(r"^\d{5}$")

_QuerySet = TypeVar("_QuerySet", bound="models.QuerySet[Any]")


class Zone(models.TextChoices):
    METRO = "metro", "France métropolitaine"
    DROM = "drom", "Départements et régions d'outre-mer"
    COM = "com", "Collectivités d'outre-mer"


class EpciKind(models.TextChoices):
    CC = "CC", "Communauté de communes"
    CA = "CA", "Communauté d'agglomération"
    CU = "CU", "Communauté urbaine"
    METRO = "METRO", "Métropole"
    MET69 = "MET69", "Métropole de Lyon"


def rank_by_name(queryset: _QuerySet, text: str) -> _QuerySet:
    """Rows whose search_name contains the normalised text: exact name first, then prefix, then
    the rest (the caller adds its own tie-break, e.g. population)."""
    normalized = normalize_query(text)
    if not normalized:
        empty: _QuerySet = queryset.none().annotate(name_rank=Value(0))
        return empty
    ranked: _QuerySet = queryset.filter(search_name__contains=normalized).annotate(
        name_rank=Case(
            When(search_name=normalized, then=Value(0)),
            When(search_name__startswith=normalized + " ", then=Value(1)),
            When(search_name__startswith=normalized, then=Value(2)),
            default=Value(3),
            output_field=models.IntegerField(),
        )
    )
    return ranked


class RegionQuerySet(models.QuerySet["Region"]):
    def outside_com(self) -> "RegionQuerySet":
        """The 18 régions: without the overseas collectivities' pseudo-régions."""
        return self.exclude(zone=Zone.COM)


class DepartementQuerySet(models.QuerySet["Departement"]):
    def outside_com(self) -> "DepartementQuerySet":
        """The 101 départements: without the overseas collectivities' pseudo-départements."""
        return self.exclude(zone=Zone.COM)


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    search_name = models.CharField(max_length=100, editable=False)
    zone = models.CharField("zone", max_length=5, choices=Zone.choices)
    chef_lieu = models.CharField("chef-lieu (code INSEE)", max_length=5, blank=True)
    population = models.PositiveIntegerField("population municipale", default=0)
    area_km2 = models.FloatField("superficie (km²)", null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "région"

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    search_name = models.CharField(max_length=100, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    zone = models.CharField("zone", max_length=5, choices=Zone.choices)
    chef_lieu = models.CharField("chef-lieu (code INSEE)", max_length=5, blank=True)
    population = models.PositiveIntegerField("population municipale", default=0)
    area_km2 = models.FloatField("superficie (km²)", null=True, blank=True)

    objects = DepartementQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class IfnScores(models.Model):
    """Indice de fragilité numérique 2023: scores from 0 to 10, 10 being the most fragile."""

    ifn_score = models.FloatField("indice de fragilité numérique 2023", null=True, blank=True)
    ifn_no_thd_coverage = models.FloatField("IFN : non-couverture THD", null=True, blank=True)
    ifn_no_4g_coverage = models.FloatField("IFN : non-couverture 4G", null=True, blank=True)
    ifn_poverty = models.FloatField("IFN : pauvreté", null=True, blank=True)
    ifn_over_65 = models.FloatField("IFN : part des 65 ans et plus", null=True, blank=True)
    ifn_low_education = models.FloatField("IFN : part des peu diplômés", null=True, blank=True)

    class Meta:
        abstract = True


IFN_COMPONENTS = {
    "ifn_no_thd_coverage": "Non-couverture très haut débit",
    "ifn_no_4g_coverage": "Non-couverture 4G",
    "ifn_poverty": "Pauvreté",
    "ifn_over_65": "Part des 65 ans et plus",
    "ifn_low_education": "Part des peu ou pas diplômés",
}


class EpciQuerySet(models.QuerySet["Epci"]):
    def search(self, text: str) -> "EpciQuerySet":
        """By SIREN (9 digits) or by name, ranked like communes."""
        text = text.strip()
        if re.fullmatch(r"\d{9}", text):
            return self.filter(siren=text)
        return rank_by_name(self, text).order_by("name_rank", F("population").desc(), "name")


class Epci(IfnScores):
    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    name = models.CharField("nom", max_length=200)
    search_name = models.CharField(max_length=200, editable=False)
    kind = models.CharField("nature juridique", max_length=5, choices=EpciKind.choices)
    financing_mode = models.CharField("mode de financement", max_length=5, blank=True)
    population = models.PositiveIntegerField("population municipale", default=0)
    population_total = models.PositiveIntegerField("population totale", default=0)

    objects = EpciQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self) -> str:
        return self.name


class CommuneQuerySet(models.QuerySet["Commune"]):
    def by_code_insee(self, code: str) -> "CommuneQuerySet":
        return self.filter(code_insee=code.strip().upper())

    def with_postal_code(self, code: str) -> "CommuneQuerySet":
        return self.filter(
            code_insee__in=PostalCode.objects.filter(code=code.strip()).values("commune_id")
        )

    def by_population(self) -> "CommuneQuerySet":
        return self.order_by(F("population").desc(nulls_last=True), "name", "code_insee")

    def search(self, text: str) -> "CommuneQuerySet":
        """What a person types in one search box: a name (accents, case, punctuation and "St"
        ignored), a postal code or a code INSEE.

        Ranked: exact name, then names starting with the text, then names containing it; the most
        populated commune first within each group.
        """
        text = text.strip()
        if POSTAL_CODE_PATTERN.match(text) or CODE_INSEE_PATTERN.match(text.upper()):
            code = text.upper()
            postal_communes = PostalCode.objects.filter(code=code).values("commune_id")
            return (
                self.filter(Q(code_insee=code) | Q(code_insee__in=postal_communes))
                .annotate(name_rank=Case(When(code_insee=code, then=Value(0)), default=Value(1)))
                .order_by("name_rank", F("population").desc(nulls_last=True), "code_insee")
            )
        return rank_by_name(self, text).order_by(
            "name_rank", F("population").desc(nulls_last=True), "name", "code_insee"
        )


class Commune(IfnScores):
    code_insee = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=100)
    # Lowercase, without accents or punctuation: "saint etienne" finds "Saint-Étienne".
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    zone = models.CharField("zone", max_length=5, choices=Zone.choices)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(
        Epci, on_delete=models.PROTECT, related_name="communes", null=True, blank=True
    )
    arrondissement_code = models.CharField("code arrondissement", max_length=4, blank=True)
    siren = models.CharField("SIREN", max_length=9, blank=True)

    population = models.PositiveIntegerField("population municipale", null=True, blank=True)
    population_counted_apart = models.PositiveIntegerField(
        "population comptée à part", null=True, blank=True
    )
    population_total = models.PositiveIntegerField("population totale", null=True, blank=True)

    latitude = models.FloatField("latitude du centroïde", null=True, blank=True)
    longitude = models.FloatField("longitude du centroïde", null=True, blank=True)
    centroid_source = models.CharField("source du centroïde", max_length=60, blank=True)
    town_hall_latitude = models.FloatField("latitude de la mairie", null=True, blank=True)
    town_hall_longitude = models.FloatField("longitude de la mairie", null=True, blank=True)
    area_km2 = models.FloatField("superficie (km²)", null=True, blank=True)
    area_source = models.CharField("source de la superficie", max_length=60, blank=True)
    density = models.FloatField("densité (hab./km²)", null=True, blank=True)

    rp2021_population = models.PositiveIntegerField("population RP 2021", null=True, blank=True)
    rp2021_households = models.PositiveIntegerField("ménages RP 2021", null=True, blank=True)
    rp2021_population_15_64 = models.PositiveIntegerField(
        "population de 15 à 64 ans RP 2021", null=True, blank=True
    )
    rp2021_active_15_64 = models.PositiveIntegerField(
        "actifs de 15 à 64 ans RP 2021", null=True, blank=True
    )
    rp2021_unemployed_15_64 = models.PositiveIntegerField(
        "chômeurs de 15 à 64 ans RP 2021", null=True, blank=True
    )

    median_income = models.FloatField(
        "niveau de vie médian Filosofi 2021 (€/an)", null=True, blank=True
    )
    poverty_rate = models.FloatField("taux de pauvreté Filosofi 2021 (%)", null=True, blank=True)
    tax_households = models.PositiveIntegerField(
        "ménages fiscaux Filosofi 2021", null=True, blank=True
    )
    social_benefits_share = models.FloatField(
        "part des prestations sociales Filosofi 2021 (%)", null=True, blank=True
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name", "code_insee"]
        verbose_name = "commune"

    def __str__(self) -> str:
        return f"{self.name} ({self.code_insee})"


class PostalCode(models.Model):
    """One (postal code, commune) pair: a postal code may serve several communes and vice versa."""

    code = models.CharField("code postal", max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")

    class Meta:
        ordering = ["code", "commune_id"]
        verbose_name = "code postal"
        constraints = [
            models.UniqueConstraint(fields=["code", "commune"], name="unique_postal_code_commune")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.commune_id}"
