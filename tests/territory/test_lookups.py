import pytest

from maillon.territory.lookups import find_territories
from maillon.territory.models import Commune

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed", ["saint etienne", "Saint-Etienne", "SAINT-ÉTIENNE", "ST ETIENNE", "  st-étienne "]
)
def test_it_finds_saint_etienne_without_accents_case_or_punctuation(typed: str) -> None:
    first = Commune.objects.search(typed).first()
    assert first is not None
    assert first.code_insee == "42218"


def test_it_ranks_exact_names_then_prefixes_then_the_rest() -> None:
    found = list(Commune.objects.search("laval").values_list("search_name", "population"))
    assert found[0] == ("laval", 49400)
    # "laval pradel" (word prefix) before "lavalette" (prefix) before "saint jean de laval"...
    names = [name for name, _ in found]
    assert names.index("laval pradel") < names.index("lavalette")
    assert names.index("lavalette") < min(
        i for i, n in enumerate(names) if not n.startswith("laval")
    )
    # ...and the most populated first within each group.
    word_prefixes = [population or 0 for name, population in found if name.startswith("laval ")]
    assert word_prefixes == sorted(word_prefixes, reverse=True)


def test_it_finds_communes_by_postal_code() -> None:
    assert list(Commune.objects.with_postal_code("53000").values_list("code_insee", flat=True)) == [
        "53130"
    ]
    first = Commune.objects.search("53000").first()
    assert first is not None
    assert first.name == "Laval"


def test_a_postal_code_serving_several_communes_finds_them_all() -> None:
    communes = Commune.objects.with_postal_code("53410")
    assert communes.count() > 1
    assert len(set(Commune.objects.search("53410"))) == communes.count()


def test_it_finds_a_commune_by_code_insee() -> None:
    assert Commune.objects.by_code_insee("42218").get().name == "Saint-Étienne"
    assert Commune.objects.by_code_insee("2a004").get().name == "Ajaccio"
    first = Commune.objects.search("2A004").first()
    assert first is not None
    assert first.name == "Ajaccio"


def test_an_empty_or_unknown_search_finds_nothing() -> None:
    assert not Commune.objects.search("   ").exists()
    assert not Commune.objects.search("zzzz").exists()
    assert not Commune.objects.search("99999").exists()


def test_it_finds_territories_of_every_level() -> None:
    mayenne = find_territories("mayenne")
    assert [d.code for d in mayenne.departements] == ["53"]
    assert mayenne.communes[0].code_insee == "53147"
    assert any(epci.name == "CC Mayenne Communauté" for epci in mayenne.epcis)

    assert [r.code for r in find_territories("Bretagne").regions] == ["53"]
    assert [r.code for r in find_territories("ile de france").regions] == ["11"]
    assert [d.name for d in find_territories("2A").departements] == ["Corse-du-Sud"]
    assert [d.code for d in find_territories("53").departements] == ["53"]
    assert [e.name for e in find_territories("200083392").epcis] == ["CA Laval Agglomération"]
    assert find_territories("").is_empty
    assert find_territories("xyzxyz").is_empty
