"""Numbers as a French reader expects them: decimal comma, narrow no-break space between groups.

Django's `number_format` cuts a float's decimals instead of rounding them (4.88 with one
decimal reads « 4,8 »), so the value is rounded first.
"""

from django.utils.formats import number_format


def french_number(value: float, decimals: int = 0, unit: str = "") -> str:
    """`value` rounded to `decimals`, grouped by thousands, followed by `unit` if given."""
    text = number_format(
        round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )
    return f"{text}\u00a0{unit}" if unit else text
