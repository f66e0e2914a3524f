"""Rendering the rows of `components/table.html` in Python.

The template language looks a cell's `.url` and `.text` up by trying a key, an attribute and an
index in turn, each failure raising an exception: on a statistics page of a thousand cells this
was most of the rendering time. The rules stay those of the component: the first cell of a row
is its header (`<th scope="row">`), the columns listed in `numeric` are right-aligned numbers, a
cell is a value, `None` (shown « — ») or a dict `{"text": …, "url": …}`.
"""

from collections.abc import Container, Iterable, Mapping
from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

EMPTY = "—"


def _value(value: Any, context: Context) -> SafeString:
    """As `{{ value }}` would print it: localised, escaped."""
    return SafeString(render_value_in_context(EMPTY if value is None else value, context))


def _content(cell: Any, context: Context) -> SafeString:
    if isinstance(cell, Mapping):
        if cell.get("url"):
            return format_html(
                '<a href="{}">{}</a>', cell["url"], _value(cell.get("text", ""), context)
            )
        return _value(cell.get("text"), context)
    return _value(cell, context)


def _cells(
    row: Iterable[Any], numeric: Container[int], context: Context
) -> Iterable[tuple[str, str, SafeString]]:
    for index, cell in enumerate(row):
        if index == 0:
            yield ("th", ' scope="row"', _content(cell, context))
        elif index in numeric:
            yield ("td", ' class="maillon-number"', _content(cell, context))
        else:
            yield ("td", "", _content(cell, context))


@register.simple_tag(takes_context=True)
def table_row(
    context: Context, row: Iterable[Any], numeric: Container[int] | None = None
) -> SafeString:
    """One `<tr>` of a data table; the attributes are constants, the contents are escaped."""
    return format_html(
        "<tr>{}</tr>",
        format_html_join(
            "",
            "<{0}{1}>{2}</{0}>",
            (
                (tag, SafeString(attributes), content)
                for tag, attributes, content in _cells(row, numeric or (), context)
            ),
        ),
    )
