"""Territory views show no count of people between 1 and 4 (docs/activites.md, ADR 0007)."""

from maillon.core.formats import french_number

SMALL_CELL = 5
SUPPRESSED = "< 5"


def masked(count: int, suppress: bool) -> int | None:
    """The count, or None when `suppress` and it is between 1 and 4."""
    return None if suppress and 0 < count < SMALL_CELL else count


def displayed(count: int | None) -> str:
    """A count as read on the page and in files: « < 5 » when masked."""
    return SUPPRESSED if count is None else french_number(count)


def exported(count: int | None) -> int | str:
    """A count for files read by programs (CSV, XLSX): a plain number, « < 5 » when masked."""
    return SUPPRESSED if count is None else count


__all__ = ["SMALL_CELL", "SUPPRESSED", "displayed", "exported", "masked"]
