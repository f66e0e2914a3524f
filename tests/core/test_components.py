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
