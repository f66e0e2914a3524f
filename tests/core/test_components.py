from django.template.loader import render_to_string


def test_the_table_component_renders_links_plain_dicts_values_and_blanks() -> None:
    html = render_to_string(
        "components/table.html",
        {
            "caption": "Communes",
            "headers": ["Nom", "Code", "Population", "Revenu"],
            "rows": [
                [
                    {"text": "Laval", "url": "/territoires/communes/53130/"},
                    {"text": "53130", "url": None},
                    49_728,
                    None,
                ],
            ],
            "numeric": [2],
        },
    )
    assert '<a href="/territoires/communes/53130/">Laval</a>' in html
    assert "53130" in html and "'url'" not in html
    assert "49728" in html
    assert "—" in html
    assert "<caption>Communes</caption>" in html


def test_the_table_rows_keep_their_structure_and_escape_every_cell() -> None:
    html = render_to_string(
        "components/table.html",
        {
            "caption": "Lieux",
            "headers": ["Nom", "Nombre", "Note"],
            "rows": [
                ["<b>Laval</b>", 12, {"text": "a & b", "url": "/x?a=1&b=2"}],
                [{"text": None}, None, "fin"],
            ],
            "numeric": [1],
        },
    )
    assert '<tr><th scope="row">&lt;b&gt;Laval&lt;/b&gt;</th>' in html
    assert '<td class="maillon-number">12</td>' in html
    assert '<td><a href="/x?a=1&amp;b=2">a &amp; b</a></td>' in html
    assert '<tr><th scope="row">—</th><td class="maillon-number">—</td><td>fin</td></tr>' in html


def test_an_empty_table_says_so() -> None:
    html = render_to_string(
        "components/table.html", {"caption": "Vide", "headers": ["A", "B"], "rows": []}
    )
    assert '<td colspan="2">Aucune ligne.</td>' in html
