"""French territory reference data: régions, départements, EPCI, communes (COG 2026).

Codes are official identifiers kept as strings ("01001", "2A004", "97411") and used as primary keys,
so that every other table can point to a commune by its code INSEE.
"""

from django.db import models


class Zone(models.TextChoices):
    METRO = "metro", "France métropolitaine"
    DROM = "drom", "Départements et régions d'outre-mer"
    COM = "com", "Collectivités d'outre-mer"


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    zone = models.CharField("zone", max_length=5, choices=Zone.choices)
    chef_lieu = models.CharField("chef-lieu (code INSEE)", max_length=5, blank=True)
    population = models.PositiveIntegerField("population municipale", default=0)
    area_km2 = models.FloatField("superficie (km²)", null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "région"

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    zone = models.CharField("zone", max_length=5, choices=Zone.choices)
    chef_lieu = models.CharField("chef-lieu (code INSEE)", max_length=5, blank=True)
    population = models.PositiveIntegerField("population municipale", default=0)
    area_km2 = models.FloatField("superficie (km²)", null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature juridique", max_length=5)  # CC, CA, CU, METRO, MET69
    financing_mode = models.CharField("mode de financement", max_length=5, blank=True)
    population = models.PositiveIntegerField("population municipale", default=0)
    population_total = models.PositiveIntegerField("population totale", default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
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

    ifn_score = models.FloatField("indice de fragilité numérique 2023", null=True, blank=True)
    ifn_no_thd_coverage = models.FloatField("IFN : non-couverture THD", null=True, blank=True)
    ifn_no_4g_coverage = models.FloatField("IFN : non-couverture 4G", null=True, blank=True)
    ifn_poverty = models.FloatField("IFN : pauvreté", null=True, blank=True)
    ifn_over_65 = models.FloatField("IFN : part des 65 ans et plus", null=True, blank=True)
    ifn_low_education = models.FloatField("IFN : part des peu diplômés", null=True, blank=True)

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
