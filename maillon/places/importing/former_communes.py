"""Former communes (merged, renamed or recoded) → the current commune, from the COG 2026.

Producers' files still name communes that merged into a commune nouvelle (Éraville → Bellevigne)
or use their old code INSEE. `maillon/places/data/anciennes_communes.csv` lists, for every old
(code, name) pair, the current commune that took it over; it is derived from INSEE's
« mouvements des communes » by `derive()` (run this module to regenerate it, see
maillon/places/data/PROVENANCE.md).
"""

import csv
import gzip
import sys
from collections.abc import Iterable
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "anciennes_communes.csv"
COLUMNS = ("code_insee_ancien", "nom_ancien", "code_insee_actuel", "date_effet")
# Movements that make a code or a name disappear into another commune: name change (10),
# mergers (31 to 35), change of département (41) or code (50), merged into a commune déléguée (70).
_MOVES = {"10", "31", "32", "33", "34", "35", "41", "50", "70"}


def _rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def derive(movements: Path, communes: Path) -> list[tuple[str, str, str, str]]:
    """(old code, old name, current code, date) for every old code or name no longer current."""
    current: dict[str, str] = {}
    parent: dict[str, str] = {}
    for row in _rows(communes):
        if row["TYPECOM"] == "COM":
            current[row["COM"]] = row["LIBELLE"]
        elif row["COMPARENT"]:
            parent[row["COM"]] = row["COMPARENT"]
    moves = sorted(
        (row for row in _rows(movements) if row["MOD"] in _MOVES),
        key=lambda row: row["DATE_EFF"],
    )
    successor: dict[str, str] = {}
    for row in moves:
        old, new = row["COM_AV"], row["COM_AP"]
        if old != new and old not in current:
            successor[old] = new

    def follow(code: str) -> str | None:
        seen: set[str] = set()
        while code not in current and code not in seen:
            seen.add(code)
            code = successor.get(code) or parent.get(code) or code
        return code if code in current else None

    found: dict[tuple[str, str], tuple[str, str]] = {}
    for row in moves:
        target = follow(row["COM_AP"] if row["TYPECOM_AP"] == "COM" else row["COM_AV"])
        if target is None:
            target = follow(parent.get(row["COM_AP"], row["COM_AP"]))
        if target is None:
            continue
        old_code, old_name = row["COM_AV"], row["LIBELLE_AV"]
        if old_code in current and current[old_code] == old_name:
            continue
        found[(old_code, old_name)] = (target, row["DATE_EFF"])
    return sorted((code, name, *found[(code, name)]) for code, name in found)


def write(rows: Iterable[tuple[str, str, str, str]], path: Path = DATA_FILE) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def load(path: Path = DATA_FILE) -> list[tuple[str, str, str]]:
    """(old code, old name, current code) rows of the shipped file."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["code_insee_ancien"], row["nom_ancien"], row["code_insee_actuel"])
            for row in csv.DictReader(handle)
        ]


if __name__ == "__main__":  # pragma: no cover — maintenance script
    sources = Path(sys.argv[1])
    write(
        derive(
            sources / "insee_cog2026_mouvements_communes.csv.gz",
            sources / "insee_cog2026_communes.csv.gz",
        )
    )
