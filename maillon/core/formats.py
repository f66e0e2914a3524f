"""Numbers as a French reader expects them: decimal comma, no-break space between groups of
thousands (the separator of Django's French format), rounded rather than cut.

Maillon speaks French only, so the format is fixed here instead of read from the active locale:
a dashboard formats several hundred numbers, and Django's `number_format` costs about ten times
more per call (and cuts a float's decimals: 4.88 with one decimal would read « 4,8 »).
"""

from decimal import Decimal

GROUP_SEPARATOR = "\u00a0"


def french_number(value: float | Decimal, decimals: int = 0, unit: str = "") -> str:
    """`value` rounded to `decimals`, grouped by thousands, followed by `unit` if given."""
    text = f"{value:,.{decimals}f}".replace(",", GROUP_SEPARATOR).replace(".", ",")
    return f"{text}\u00a0{unit}" if unit else text


def french_percent(share: float | None) -> str:
    """A share (0.125) as a percentage with one decimal (« 12,5 % »), « — » when undefined."""
    return "—" if share is None else f"{french_number(share * 100, 1)} %"
