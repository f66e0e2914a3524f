"""The declarative mapping engine, on small inline TOML mappings and CSV/JSON files."""

# Inline TOML and CSV fixtures read best with one record per line, however long.
# ruff: noqa: E501

from pathlib import Path

import pytest

from maillon.places.importing.mapping import (
    Mapping,
    MappingError,
    available_mappings,
    lambert93_to_wgs84,
    load_mapping,
)

HEADER = """
[mapping]
name = "Essai"
source_slug = "essai"
source_name = "Producteur d'essai"
"""


def mapping_from(tmp_path: Path, toml: str) -> Mapping:
    path = tmp_path / "essai.toml"
    path.write_text(toml, encoding="utf-8")
    return load_mapping(str(path))


def rows_of(
    mapping: Mapping, tmp_path: Path, content: str, name: str = "f.csv"
) -> list[tuple[int, dict[str, str]]]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return list(mapping.read(path))


BASIC = (
    HEADER
    + """
[fields]
id = "Code"
nom = "Nom de la structure"
source = { const = "Département d'essai" }
adresse = { join = ["num", "voie"], sep = " " }
date_maj = { column = "MAJ", date_formats = ["%d/%m/%Y", "excel", "mois annee"], default = "2023-01-01" }
latitude = { column = "Y", decimal_comma = true }
longitude = { column = "X", decimal_comma = true }
"""
)


def test_it_reads_columns_constants_joins_dates_and_decimal_commas(tmp_path: Path) -> None:
    mapping = mapping_from(tmp_path, BASIC)
    rows = rows_of(
        mapping,
        tmp_path,
        "Code,Nom de la structure,num,voie,MAJ,X,Y\n"
        'A1,Médiathèque,12,rue Haute,09/06/2021,"-0,58","44,83"\n'
        "A2,EPN,,Place du Marché,43953,1.5,45.1\n"
        "A3,Tiers-lieu,3,allée,Décembre 2019,,\n"
        "A4,Sans date,3,allée,,,\n",
    )
    assert [line for line, _ in rows] == [2, 3, 4, 5]
    first = rows[0][1]
    assert first["id"] == "A1"
    assert first["nom"] == "Médiathèque"
    assert first["source"] == "Département d'essai"
    assert first["adresse"] == "12 rue Haute"
    assert first["date_maj"] == "2021-06-09"
    assert (first["latitude"], first["longitude"]) == ("44.83", "-0.58")
    assert rows[1][1]["adresse"] == "Place du Marché"
    assert rows[1][1]["date_maj"] == "2020-05-02"
    assert rows[2][1]["date_maj"] == "2019-12-01"
    assert rows[3][1]["date_maj"] == "2023-01-01"


def test_it_passes_an_unreadable_date_on_for_the_importer_to_report(tmp_path: Path) -> None:
    mapping = mapping_from(tmp_path, BASIC)
    rows = rows_of(
        mapping, tmp_path, "Code,Nom de la structure,num,voie,MAJ,X,Y\nA,B,,,bientôt,,\n"
    )
    assert rows[0][1]["date_maj"] == "bientôt"


def test_it_counts_lines_as_a_person_does_even_with_multiline_cells(tmp_path: Path) -> None:
    mapping = mapping_from(tmp_path, BASIC)
    rows = rows_of(
        mapping,
        tmp_path,
        'Code,Nom de la structure,num,voie,MAJ,X,Y\nA,"Nom\nsur deux lignes",,,,,\n\nB,Autre,,,,,\n',
    )
    assert [(line, row["id"]) for line, row in rows] == [(2, "A"), (5, "B")]
    assert rows[0][1]["nom"] == "Nom\nsur deux lignes"


VOCABULARY = (
    HEADER
    + """
[fields]
id = "id"
nom = "nom"
date_maj = { const = "2024-01-01" }
typologie = { column = "type", choices = [{ equals = "Association", value = "ASSO" }] }
services = [
    { columns = ["Services", "Activités"], split = [";", ","], choices = [
        { match = "demarche", value = "Aide aux démarches administratives" },
        { regex = '^acc[eè]s (à )?internet', value = "Accès internet et matériel informatique" },
        { equals = "conseils", value = [] },
    ] },
    { column = "Wifi", when = "oui", value = "Accès internet et matériel informatique" },
]
itinerance = { column = "Bus", when = "*", value = "Itinérant" }
frais_a_charge = { column = "frais", choices = [{ equals = "gratuit", value = "Gratuit" }], default = "Payant" }
"""
)


def test_it_maps_terms_to_the_standard_values_and_counts_unknown_ones(tmp_path: Path) -> None:
    mapping = mapping_from(tmp_path, VOCABULARY)
    rows = rows_of(
        mapping,
        tmp_path,
        "id,nom,type,Services,Activités,Wifi,Bus,frais\n"
        "1,A,association,Démarches en ligne;Accès Internet,Conseils,OUI,x,GRATUIT\n"
        "2,B,Commune,Jeux vidéo,,non,,\n",
    )
    first, second = rows[0][1], rows[1][1]
    assert first["services"] == (
        "Aide aux démarches administratives|Accès internet et matériel informatique"
    )
    assert first["typologie"] == "ASSO"
    assert first["itinerance"] == "Itinérant"
    assert first["frais_a_charge"] == "Gratuit"
    assert second["services"] == ""
    assert second["itinerance"] == ""
    assert second["frais_a_charge"] == "Payant"
    assert mapping.unknown_terms == {("typologie", "Commune"): 1, ("services", "Jeux vidéo"): 1}


def test_it_keeps_unknown_terms_when_asked(tmp_path: Path) -> None:
    mapping = mapping_from(
        tmp_path,
        HEADER
        + """
[fields]
id = "id"
nom = "nom"
date_maj = { const = "2024-01-01" }
services = { column = "s", split = ";", keep_unknown = true, choices = [{ match = "démarche", value = "Aide aux démarches administratives" }] }
""",
    )
    rows = rows_of(mapping, tmp_path, "id,nom,s\n1,A,Démarches;Accéder à du matériel\n")
    assert rows[0][1]["services"] == "Aide aux démarches administratives|Accéder à du matériel"
    assert not mapping.unknown_terms


def test_it_builds_stable_ids_from_several_columns_and_extracts_parts(tmp_path: Path) -> None:
    toml = (
        HEADER
        + """
[fields]
id = { hash = ["nom", "adresse", "commune"] }
nom = "nom"
commune = "commune"
date_maj = { const = "2024-01-01" }
adresse = { column = "adresse", extract = '^(.*?)(?:[\\s,-]*\\b\\d{5}\\b.*)?$' }
code_postal = { column = "adresse", extract = '\\b(\\d{5})\\b' }
latitude = { column = "geolocalisation", split = ",", part = 0 }
longitude = { column = "geolocalisation", split = ",", part = 1 }
site_web = { column = "site", replace = [['^www\\.', "https://www."]] }
horaires = { column = "horaires", strip_html = true }
"""
    )
    content = (
        "nom,adresse,commune,geolocalisation,site,horaires\n"
        'EPN,8 rue de la Boétie - 33000 Bordeaux,Bordeaux,"44.8, -0.58",www.epn.fr,'
        '"<ul><li>- lundi : 9h-12h</li><li>- </li></ul>"\n'
        "EPN,Place du Marché,Laval,,,\n"
    )
    mapping = mapping_from(tmp_path, toml)
    first_read = rows_of(mapping, tmp_path, content)
    second_read = rows_of(mapping_from(tmp_path, toml), tmp_path, content)
    first, second = first_read[0][1], first_read[1][1]
    assert [row["id"] for _, row in first_read] == [row["id"] for _, row in second_read]
    assert first["id"] != second["id"] and len(first["id"]) == 16
    assert first["adresse"] == "8 rue de la Boétie"
    assert first["code_postal"] == "33000"
    assert second["adresse"] == "Place du Marché"
    assert second["code_postal"] == ""
    assert (first["latitude"], first["longitude"]) == ("44.8", "-0.58")
    assert first["site_web"] == "https://www.epn.fr"
    assert first["horaires"] == "lundi : 9h-12h"


def test_it_converts_day_columns_to_osm_hours(tmp_path: Path) -> None:
    mapping = mapping_from(
        tmp_path,
        HEADER
        + """
[fields]
id = "id"
nom = "nom"
date_maj = { const = "2024-01-01" }
horaires = { days = { Mo = "lundi", Tu = "mardi", Sa = "samedi" } }
""",
    )
    rows = rows_of(
        mapping,
        tmp_path,
        "id,nom,lundi,mardi,samedi\n1,A,9:00 - 12:00 / 14:00 - 17:00,9:00 - 12:00 / 14:00 - 17:00,-\n",
    )
    assert rows[0][1]["horaires"] == "Mo,Tu 09:00-12:00,14:00-17:00"


def test_it_skips_rows_as_the_mapping_says(tmp_path: Path) -> None:
    mapping = mapping_from(
        tmp_path,
        HEADER.replace(
            'source_name = "Producteur d\'essai"',
            'source_name = "P"\nskip = [{ column = "nom", empty = true }, { column = "etat", equals = "inactif" }]',
        )
        + '[fields]\nid = "id"\nnom = "nom"\ndate_maj = { const = "2024-01-01" }\n',
    )
    rows = rows_of(mapping, tmp_path, "id,nom,etat\n1,A,\n2,?,\n3,C,INACTIF\n4,D,actif\n")
    assert [row["id"] for _, row in rows] == ["1", "4"]
    assert mapping.skipped_lines == [3, 4]


def test_it_projects_lambert93_coordinates(tmp_path: Path) -> None:
    mapping = mapping_from(
        tmp_path,
        HEADER
        + '[coordinates]\nx = "x"\ny = "y"\nprojection = "lambert93"\ndecimal_comma = true\n'
        + '[fields]\nid = "id"\nnom = "nom"\ndate_maj = { const = "2024-01-01" }\n',
    )
    rows = rows_of(
        mapping,
        tmp_path,
        'id,nom,x,y\n1,Origine,"700000,0","6600000,0"\n2,Nord,"700000","7000000"\n',
    )
    assert (rows[0][1]["latitude"], rows[0][1]["longitude"]) == ("46.500000", "3.000000")
    # The central meridian (3° E) is the vertical line x = 700 000; north is up.
    assert rows[1][1]["longitude"] == "3.000000"
    assert 49.5 < float(rows[1][1]["latitude"]) < 50.5
    # The projection's origin: 46.5° N, 3° E.
    assert lambert93_to_wgs84(700000, 6600000) == pytest.approx((46.5, 3.0), abs=1e-6)


def test_it_reads_json_lists_with_the_item_rank_as_line(tmp_path: Path) -> None:
    mapping = mapping_from(
        tmp_path,
        HEADER.replace('name = "Essai"', 'name = "Essai"\nformat = "json"')
        + '[fields]\nid = "id"\nnom = "nom"\ndate_maj = { const = "2024-01-01" }\n'
        + 'services = { column = "services" }\n',
    )
    rows = rows_of(
        mapping,
        tmp_path,
        '[{"id": 7, "nom": "A", "services": ["x"]}, {"id": "8", "nom": "B"}]',
        name="f.json",
    )
    assert rows == [
        (1, {"id": "7", "nom": "A", "date_maj": "2024-01-01", "services": '["x"]'}),
        (2, {"id": "8", "nom": "B", "date_maj": "2024-01-01", "services": ""}),
    ]


def test_it_names_the_line_of_bytes_the_declared_encoding_cannot_read(tmp_path: Path) -> None:
    mapping = mapping_from(tmp_path, HEADER + '[fields]\nid = "id"\nnom = "nom"\ndate_maj = "d"\n')
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,nom,d\n1,A,2024-01-01\n2,Médiathèque,2024-01-01\n".encode("latin-1"))
    with pytest.raises(MappingError, match=r"latin1\.csv, ligne 3 : octets illisibles en utf-8"):
        list(mapping.read(path))


def test_it_refuses_a_file_missing_a_mapped_column(tmp_path: Path) -> None:
    mapping = mapping_from(tmp_path, BASIC)
    with pytest.raises(MappingError, match=r"Colonnes absentes de f\.csv .*« MAJ », « X », « Y »"):
        rows_of(mapping, tmp_path, "Code,Nom de la structure,num,voie\nA,B,1,rue\n")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ('nom = "n"\ndate_maj = "d"', r"champ\(s\) obligatoire\(s\) sans correspondance : id"),
        (
            'id = "i"\nnom = "n"\ndate_maj = "d"\nnom_du_lieu = "x"',
            r"« nom_du_lieu » n'est pas un champ du standard",
        ),
        (
            'id = "i"\nnom = { const = "a", column = "b" }\ndate_maj = "d"',
            r"exactement une source .*trouvé : column, const",
        ),
        (
            'id = "i"\nnom = { colonne = "n" }\ndate_maj = "d"',
            r"clé\(s\) inconnue\(s\) « colonne »",
        ),
        (
            'id = "i"\nnom = "n"\ndate_maj = "d"\nservices = { column = "s", choices = [{ match = "x", value = "Démarches" }] }',
            r"« Démarches » n'est pas une valeur du standard pour « services »",
        ),
        (
            'id = "i"\nnom = "n"\ndate_maj = "d"\nadresse = { column = "a", extract = "(" }',
            r"expression régulière invalide",
        ),
        (
            'id = "i"\nnom = "n"\ndate_maj = "d"\nitinerance = { column = "b", when = "oui" }',
            r"« when » suppose « value »",
        ),
        (
            'id = "i"\nnom = "n"\ndate_maj = "d"\nhoraires = { days = { Lundi = "l" } }',
            r"« days » associe des jours",
        ),
    ],
)
def test_it_refuses_an_invalid_mapping_with_a_french_message(
    tmp_path: Path, fields: str, message: str
) -> None:
    with pytest.raises(MappingError, match=message):
        mapping_from(tmp_path, HEADER + "[fields]\n" + fields + "\n")


def test_it_refuses_a_mapping_without_its_header_or_in_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match=r"la table \[mapping\] manque"):
        mapping_from(tmp_path, '[fields]\nid = "i"\n')
    with pytest.raises(MappingError, match=r"« source_slug » est obligatoire"):
        mapping_from(tmp_path, '[mapping]\nname = "x"\nsource_name = "y"\n[fields]\n')
    with pytest.raises(MappingError, match="n'est pas un fichier TOML valide"):
        mapping_from(tmp_path, "[mapping\n")


def test_it_names_the_known_mappings_when_one_is_missing() -> None:
    with pytest.raises(
        MappingError,
        match=r"Correspondance introuvable : « inexistante » \(disponibles : .*gironde",
    ):
        load_mapping("inexistante")


def test_every_shipped_mapping_loads() -> None:
    names = available_mappings()
    assert len(names) >= 8
    for name in names:
        mapping = load_mapping(name)
        assert mapping.source_slug and mapping.source_name
