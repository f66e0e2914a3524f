"""Name normalisation shared by the loader (stored search_name) and the lookups (typed text)."""

import re
import unicodedata

_NON_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")
# Abbreviations people type in a search box, never found in official names.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalize_name(text: str) -> str:
    """Lowercase, without accents, every other non-alphanumeric character as one space.

    "Saint-Étienne" → "saint etienne"; "L'Haÿ-les-Roses" → "l hay les roses"; "Œuilly" → "oeuilly".
    """
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_ALPHANUMERIC.sub(" ", without_accents.lower()).strip()


def normalize_query(text: str) -> str:
    """normalize_name, plus the usual abbreviations expanded: "ST ETIENNE" → "saint etienne"."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in normalize_name(text).split())
