from maillon.core.charts import BAR_AREA, LABEL_WIDTH, MAX_LABEL, bar_chart


def test_bars_are_proportional_to_the_largest_value() -> None:
    chart = bar_chart("Essai", [("A", 50, "50"), ("B", 100, "100"), ("C", 0, "0")])

    assert [bar.width for bar in chart.bars] == [BAR_AREA / 2, BAR_AREA, 0]
    assert [bar.y for bar in chart.bars] == [0, 28, 56]
    assert chart.height == 84
    assert chart.bars[1].value_x == LABEL_WIDTH + BAR_AREA + 6
    assert not chart.is_empty


def test_a_masked_value_draws_no_bar_but_says_so() -> None:
    chart = bar_chart("Essai", [("Femmes", None, "< 5"), ("Hommes", 12, "12")])

    assert chart.bars[0].width == 0
    assert chart.bars[0].value_text == "< 5"


def test_a_chart_without_any_value_is_empty() -> None:
    assert bar_chart("Essai", [("A", 0, "0"), ("B", None, "< 5")]).is_empty
    assert bar_chart("Essai", []).is_empty


def test_long_labels_are_shortened_with_an_ellipsis() -> None:
    label = "Aide aux démarches administratives en ligne et à distance"
    bar = bar_chart("Essai", [(label, 3, "3")]).bars[0]

    assert len(bar.label) == MAX_LABEL
    assert bar.label.endswith("…")


def test_the_component_draws_escaped_labels_and_unlocalised_numbers() -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    chart = bar_chart("Essai", [("Écoles & <collèges>", 1, "1"), ("B", 3, "3")])
    with translation.override("fr"):
        html = render_to_string("components/bar_chart.html", {"chart": chart})

    assert "Écoles &amp; &lt;collèges&gt;" in html
    assert html.count("<rect ") == 2
    width = chart.bars[0].width
    assert f'width="{width}"' in html and "," not in str(width)
    assert f'x="{chart.bars[0].value_x}"' in html
    assert "style=" not in html
