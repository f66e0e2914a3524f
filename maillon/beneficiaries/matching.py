"""Normalised keys of a person's name, phone and e-mail (activites-et-beneficiaires.md §4).

Used to find duplicates, to recognise at import a row already in the structure's file, and to
search the file whatever the accents and the case (`search_key`).
"""

import unicodedata

import phonenumbers

from maillon.territory.names import normalize_name


def name_key(text: str) -> str:
    """Unaccented, lower case, without spaces, hyphens or apostrophes: « Le Goff » = « legoff »."""
    return normalize_name(text).replace(" ", "")


def phone_key(text: str) -> str:
    """E.164 when the number parses (French by default), else its digits: « 06 12… » = « +336… »."""
    text = text.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return "".join(char for char in text if char.isdigit())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_key(text: str) -> str:
    """Trimmed, lower case, unaccented; dots and plus signs kept (they make other addresses)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Letters that NFKD leaves whole, and the typographic apostrophe people never type.
_SPELLED_OUT = str.maketrans({"œ": "oe", "æ": "ae", "\u2019": "'", "\u02bc": "'"})


def search_key(*texts: str) -> str:
    """Lower case, unaccented, single spaces: « Hélène  DUPRÉ » and « helene dupre » are equal.

    The stored key of a file (`Beneficiary.search_key`: names and e-mail) and each word typed
    in a search go through it, so that « Helene » finds « Hélène ». Punctuation stays: an
    e-mail address is searched as typed.
    """
    folded = " ".join(texts).casefold().translate(_SPELLED_OUT)
    decomposed = unicodedata.normalize("NFKD", folded)
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


def normalised_phone(text: str) -> str | None:
    """The number in E.164 if it is a valid one (foreign numbers accepted), else None."""
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
