"""Factories for territory reference rows, for tests that do not need the real 34,969 communes."""

import factory

from maillon.territory.models import Commune, Departement, Epci, EpciKind, PostalCode, Region, Zone
from maillon.territory.names import normalize_name


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "52"
    name = "Pays de la Loire"
    search_name = factory.LazyAttribute(lambda o: normalize_name(o.name))
    zone = Zone.METRO


class DepartementFactory(factory.django.DjangoModelFactory[Departement]):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "53"
    name = "Mayenne"
    search_name = factory.LazyAttribute(lambda o: normalize_name(o.name))
    region = factory.SubFactory(RegionFactory)
    zone = Zone.METRO


class EpciFactory(factory.django.DjangoModelFactory[Epci]):
    class Meta:
        model = Epci
        django_get_or_create = ("siren",)

    siren = "200083392"
    name = "Laval Agglomération"
    search_name = factory.LazyAttribute(lambda o: normalize_name(o.name))
    kind = EpciKind.CA


class CommuneFactory(factory.django.DjangoModelFactory[Commune]):
    class Meta:
        model = Commune
        django_get_or_create = ("code_insee",)

    # 53500…53899, wrapping: a whole suite builds more than 500 communes, and a 6-character
    # code only fails on PostgreSQL (SQLite does not enforce max_length).
    code_insee = factory.Sequence(lambda n: f"53{n % 400 + 500:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    search_name = factory.LazyAttribute(lambda o: normalize_name(o.name))
    zone = Zone.METRO
    departement = factory.SubFactory(DepartementFactory)
    epci = factory.SubFactory(EpciFactory)
    population = 1000
    latitude = 48.07
    longitude = -0.77


class PostalCodeFactory(factory.django.DjangoModelFactory[PostalCode]):
    class Meta:
        model = PostalCode

    code = "53000"
    commune = factory.SubFactory(CommuneFactory)
