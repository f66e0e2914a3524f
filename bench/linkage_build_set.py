"""Build the candidate pairs of the linkage evaluation set from the shipped producer files.

    DJANGO_DEBUG=1 .venv/bin/python bench/linkage_build_set.py /work/shared/data/lieux-mediation

Reads the files listed in SOURCES with a small column mapping each (not the import pipeline:
only the fields linkage compares), resolves the code INSEE from the commune name and
département against the territory data, writes the records used to
`maillon/places/data/evaluation/enregistrements.csv` and every pair found by a *loose* blocking
(looser than the classifier, so recall is measured honestly) to `candidats.csv`, which a person
then labels by hand into `paires_etiquetees.csv` (see the README of that folder).
"""

import csv
import datetime as dt
import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import django
import support  # noqa: F401  (puts the project on sys.path)

# Reads the communes of the configured database (the developer's by default), writes nothing
# into it: its outputs are the two CSV files below.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from maillon.places.linkage.blocking import haversine_m  # noqa: E402
from maillon.places.linkage.evaluation import FOLDER, RECORD_FIELDS  # noqa: E402
from maillon.places.linkage.normalise import fold, name_key  # noqa: E402
from maillon.territory.models import Commune  # noqa: E402

Row = dict[str, str]


def lambert93_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """Inverse Lambert-93 (IGN NTG_71 formulas), accurate to a metre, enough for blocking."""
    n, c, xs, ys = 0.7256077650532670, 11754255.426096, 700000.0, 12655612.049876
    e = 0.08181919112824
    lon0 = math.radians(3.0)
    r = math.hypot(x - xs, y - ys)
    gamma = math.atan((x - xs) / (ys - y))
    lon = lon0 + gamma / n
    iso = -1 / n * math.log(abs(r / c))
    lat = 2 * math.atan(math.exp(iso)) - math.pi / 2
    for _ in range(10):
        lat = (
            2
            * math.atan(
                ((1 + e * math.sin(lat)) / (1 - e * math.sin(lat))) ** (e / 2) * math.exp(iso)
            )
            - math.pi / 2
        )
    return math.degrees(lat), math.degrees(lon)


def number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ".").strip())
    except ValueError:
        return None
    return value if value == value else None


POSTAL = re.compile(r"\b(\d{5})\b")


def rows(path: Path) -> Iterator[tuple[int, Row]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from enumerate(csv.DictReader(handle), start=2)


Loader = Callable[[Path], Iterator[dict[str, Any]]]


def rec(source: str, rid: str, **fields: Any) -> dict[str, Any]:
    values = dict.fromkeys(RECORD_FIELDS, "")
    values.update(source=source, external_id=rid)
    values.update({k: ("" if v is None else str(v)) for k, v in fields.items()})
    return values


def columns(
    source: str,
    identifier: str,
    shared: dict[str, str] | None = None,
    keep: Callable[[Row], bool] = lambda _: True,
    **named: str,
) -> Loader:
    """A loader copying one column of the file per field of the record (`field="column"`),
    from `shared` (columns several files have in common) and the keyword arguments."""
    fields = {**(shared or {}), **named}

    def load(path: Path) -> Iterator[dict[str, Any]]:
        for _, r in rows(path):
            if keep(r):
                values = {field: r[column] for field, column in fields.items()}
                if "typologie" in values:
                    values["typologie"] = values["typologie"].replace(";", "|")
                yield rec(source, r[identifier], **values)

    return load


# The columns the two Charente files (the standard and the bus's) have in common.
CHARENTE = {
    "nom": "nom",
    "adresse": "adresse",
    "commune": "commune",
    "code_postal": "code_postal",
    "code_insee": "code_insee",
    "latitude": "latitude",
    "longitude": "longitude",
    "telephone": "telephone",
    "courriels": "courriel",
    "typologie": "typologie",
}
charente = columns("charente-16-2023", "id", CHARENTE, pivot="pivot")
bus_charente = columns("bus-france-services-16", "id", CHARENTE, pivot="SIRET")
angers = columns(
    "angers-49",
    "TYPO_UID",
    nom="USER_NOM",
    adresse="USER_ADRES",
    commune="commune",
    code_postal="code_postal",
    latitude="LAT",
    longitude="LNG",
    telephone="TELEPHONE",
    courriels="MAIL",
)
creuse = columns(
    "creuse-23",
    "id",
    nom="nom",
    adresse="adresse",
    commune="commune",
    code_postal="code_postal",
    latitude="latitude",
    longitude="longitude",
    telephone="téléphone",
)


KEPT_DEPS = {
    "16",
    "17",
    "19",
    "23",
    "24",
    "33",
    "40",
    "47",
    "49",
    "64",
    "79",
    "86",
    "87",
    "2A",
    "2B",
}
cget = columns(
    "france-services-cget-2020",
    "MATRICULE",
    keep=lambda r: r["DEPARTEMENT"] in KEPT_DEPS,
    nom="lib_france_services",
    adresse="ADRESSE",
    commune="lib_com",
    code_postal="code_postal",
    code_insee="insee_com",
    latitude="latitude",
    longitude="longitude",
    telephone="TELEPHONE",
    courriels="CONTACT.MAIL",
)


def hubik_fs(path: Path) -> Iterator[dict[str, Any]]:
    for _, r in rows(path):
        yield rec(
            "hubik-france-services-na",
            r["MATRICULE"],
            nom=f"France Services {r['ESPACE FRANCE SERVICES']}",
            adresse=r["ADRESSE"],
            commune=r["COMMUNE"],
            code_postal=r["CODE POSTAL"],
            code_insee=r["CODE INSEE"],
            latitude=number(r["LATITUDE"]),
            longitude=number(r["LONGITUDE"]),
            telephone=r["TELEPHONE"],
            courriels=r["CONTACT MAIL"],
        )


def maine_et_loire(path: Path) -> Iterator[dict[str, Any]]:
    for _, r in rows(path):
        x, y = number(r["x"]), number(r["y"])
        lat, lon = lambert93_to_wgs84(x, y) if x and y else (None, None)
        yield rec(
            "maine-et-loire-49",
            r["ID_LieuMed"],
            nom=r["NOM_STRUCTURE"],
            adresse=f"{r['N°']} {r['ADRESSE']}".strip(),
            commune=r["COMMUNE"],
            code_postal=r["CP"],
            latitude=lat,
            longitude=lon,
            telephone=r["NUM_TEL"],
            courriels=r["MAIL_STRUC"],
        )


def connumm(path: Path) -> Iterator[dict[str, Any]]:
    for _, r in rows(path):
        if not r["departement"].startswith("49"):
            continue
        yield rec(
            "connumm-pays-de-la-loire",
            r["conum_id"],
            nom=r["Nom de la structure"],
            adresse=r["result_name"] or r["Adresse postale"],
            commune=r["result_city"],
            code_postal=r["result_postcode"],
            code_insee=r["result_citycode"],
            latitude=r["lat"],
            longitude=r["lon"],
            telephone=r["Numero de téléphone"],
            courriels=r["Mail contact"],
        )


def gironde(path: Path) -> Iterator[dict[str, Any]]:
    for line, r in rows(path):
        address = r["Adresse postale"]
        postal = POSTAL.search(address)
        yield rec(
            "gironde-33",
            f"ligne-{line}",
            nom=r["Lieu"],
            adresse=address.split(" - ")[0] if " - " in address else address,
            commune=r["Commune"],
            code_postal=postal.group(1) if postal else "",
            latitude=r["Coord. X"],
            longitude=r["Coord. Y"],
            telephone=r["Téléphone"],
            courriels=r["Email"],
        )


def creuse_umap(path: Path) -> Iterator[dict[str, Any]]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    for index, feature in enumerate(features, start=1):
        props = feature["properties"]
        first = (props.get("description") or "").split("\n")[0]
        address, _, commune = first.partition(" - ")
        postal = POSTAL.search(commune)
        phone = re.search(r"(0\d(?:[ .]?\d\d){4})", props.get("description") or "")
        lon, lat = feature["geometry"]["coordinates"][:2]
        yield rec(
            "creuse-umap-2020",
            f"element-{index}",
            nom=props.get("name", ""),
            adresse=address,
            commune=POSTAL.sub("", commune).strip(),
            code_postal=postal.group(1) if postal else "",
            latitude=lat,
            longitude=lon,
            telephone=phone.group(1) if phone else "",
        )


def corse(path: Path) -> Iterator[dict[str, Any]]:
    for line, r in rows(path):
        postal = POSTAL.search(r["Adresse"])
        commune = r["Adresse"][postal.end() :].strip() if postal else ""
        yield rec(
            "corse-brut",
            f"ligne-{line}",
            nom=r["Structure"],
            adresse=r["Adresse"],
            commune=commune,
            code_postal=postal.group(1) if postal else "",
            latitude=r["lat"],
            longitude=r["long"],
            telephone=r["N° de téléphone"],
            courriels=r["Adresse e-mail"],
        )


def corse_epn(path: Path) -> Iterator[dict[str, Any]]:
    for line, r in rows(path):
        lat, _, lon = r["Geo Point"].partition(",")
        yield rec(
            "corse-epn-region",
            f"ligne-{line}",
            nom=r["epn"],
            adresse=r["adresse"],
            commune=r["commune"],
            code_postal=r["code_post"],
            latitude=lat,
            longitude=lon,
            telephone=r["telephone"],
        )


SOURCES: list[tuple[str, Loader]] = [
    ("charente_16_2023_standard.csv", charente),
    ("bus-france-services-charente_16_brut.csv", bus_charente),
    ("aidants-connect-carto-2020/france-services_national_cget_2020.csv", cget),
    ("aidants-connect-carto-2020/hubik_france-services_nouvelle-aquitaine_2020.csv", hubik_fs),
    ("maine-et-loire_49_brut.csv", maine_et_loire),
    ("angers_49_brut.csv", angers),
    ("aidants-connect-carto-2020/connumm_pays-de-la-loire_2020.csv", connumm),
    ("gironde_33_2021_brut.csv", gironde),
    ("creuse_23_brut.csv", creuse),
    ("aidants-connect-carto-2020/creuse_umap-e-inclusion_2020.geojson", creuse_umap),
    ("corse_brut.csv", corse),
    ("aidants-connect-carto-2020/corse_epn_region.csv", corse_epn),
]


FRANCE_SERVICES_SOURCES = {"france-services-cget-2020", "hubik-france-services-na"}


def resolve_insee(records: list[dict[str, Any]]) -> None:
    by_name: dict[tuple[str, str], str] = {}
    for code, name, dep in Commune.objects.values_list("code_insee", "name", "departement_id"):
        by_name.setdefault((dep, fold(name)), code)
    for r in records:
        cp = r["code_postal"].split(".")[0].zfill(5) if r["code_postal"] else ""
        r["code_postal"] = cp if cp != "00000" else ""
        if r["code_insee"] or not cp:
            continue
        dep = cp[:2]
        if dep == "20":
            for corsica in ("2A", "2B"):
                found = by_name.get((corsica, fold(r["commune"])))
                if found:
                    r["code_insee"] = found
        else:
            r["code_insee"] = by_name.get((dep, fold(r["commune"])), "")


def loose_pairs(records: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """Pairs from different sources sharing a commune, a phone, an e-mail or within 1 km."""
    out: dict[tuple[int, int], str] = {}
    keyed: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(records):
        if r["code_insee"]:
            keyed.setdefault(("insee", r["code_insee"]), []).append(i)
        digits = re.sub(r"\D", "", r["telephone"])[-9:]
        if len(digits) == 9:
            keyed.setdefault(("tel", digits), []).append(i)
        for email in r["courriels"].lower().split("|"):
            if email.strip():
                keyed.setdefault(("mail", email.strip()), []).append(i)
    for (kind, _), members in keyed.items():
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                if records[a]["source"] != records[b]["source"]:
                    out.setdefault((a, b), kind)
    located: list[tuple[int, float, float]] = []
    for i, r in enumerate(records):
        la, lo = number(r["latitude"]), number(r["longitude"])
        if la is not None and lo is not None:
            located.append((i, la, lo))
    located.sort(key=lambda item: item[1])
    for pos, (i, la, lo) in enumerate(located):
        for j, lb, lob in located[pos + 1 :]:
            if lb - la > 0.01:
                break
            if records[i]["source"] != records[j]["source"] and haversine_m(la, lo, lb, lob) < 1000:
                out.setdefault((min(i, j), max(i, j)), "1km")
    return [(a, b, kind) for (a, b), kind in sorted(out.items())]


def main(root: Path) -> None:
    records: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for name, loader in SOURCES:
        for r in loader(root / name):
            # A few producers repeat an id (CGET matricules): keep the first row, as an
            # importer refusing duplicate ids would make the producer do.
            if (r["source"], r["external_id"]) not in seen:
                seen.add((r["source"], r["external_id"]))
                records.append(r)
    resolve_insee(records)
    for r in records:
        r["nom"] = r["nom"].strip()
        r["date_maj"] = dt.date(2023, 1, 1).isoformat()
    pairs = loose_pairs(records)
    # Keep only pairs whose names share something or that share an identifier: pairs of two
    # unrelated places of one big city would swamp the set with trivial negatives.
    kept = []
    for a, b, kind in pairs:
        ka, kb = set(name_key(records[a]["nom"]).split()), set(name_key(records[b]["nom"]).split())
        if kind in {"tel", "mail"} or ka & kb or kind == "1km":
            kept.append((a, b, kind))
    # The national France Services lists name a France Services by its town only
    # (« Mansle »); like the hub's file, say what it is, as an import mapping does.
    for r in records:
        if r["source"] == "france-services-cget-2020":
            r["nom"] = f"France Services {r['nom']}"
        if r["source"] in FRANCE_SERVICES_SOURCES:
            r["typologie"] = "RFS"
    FOLDER.mkdir(parents=True, exist_ok=True)
    used = sorted({i for a, b, _ in kept for i in (a, b)})
    with (FOLDER / "enregistrements.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=RECORD_FIELDS)
        writer.writeheader()
        for i in used:
            writer.writerow({k: records[i][k] for k in RECORD_FIELDS})
    with Path("var/linkage_candidats.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["source_a", "id_a", "source_b", "id_b", "cle"])
        for a, b, kind in kept:
            ra, rb = records[a], records[b]
            out.writerow([ra["source"], ra["external_id"], rb["source"], rb["external_id"], kind])
    print(f"{len(records)} enregistrements lus, {len(pairs)} paires lâches, {len(kept)} gardées.")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        # `make bench` runs every script without arguments: this one builds a data set, it does
        # not measure anything, so say how to run it rather than fail the others.
        print(
            "Usage : bench/linkage_build_set.py DOSSIER_DES_FICHIERS_PRODUCTEURS (rien à mesurer)"
        )
    else:
        main(Path(sys.argv[1]))
