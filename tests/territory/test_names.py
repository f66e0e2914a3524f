import pytest

from maillon.territory.names import normalize_name, normalize_query


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Œuilly", "oeuilly"),
        ("  Pont-l'Évêque ", "pont l eveque"),
        ("CA Laval Agglomération", "ca laval agglomeration"),
    ],
)
def test_it_normalizes_names_for_search(name: str, expected: str) -> None:
    assert normalize_name(name) == expected


def test_it_expands_saint_abbreviations_in_queries_only() -> None:
    assert normalize_query("ST ETIENNE") == "saint etienne"
    assert normalize_query("Ste-Foy") == "sainte foy"
    assert normalize_name("ST ETIENNE") == "st etienne"
