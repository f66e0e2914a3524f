"""The PDF « diagnostic de territoire »: generated, its text extractable (pypdf), the same
sections and figures as the page, maps drawn from the shipped outlines."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from maillon.diagnosis import pdf
from maillon.diagnosis.report import compute, diagnose, parse_scope
from maillon.diagnosis.views_sections import build, number
from tests.diagnosis.test_views import build_mayenne

pytestmark = pytest.mark.django_db

SECTIONS = (
    "Qui est en risque, et combien ?",
    "Quels profils ?",
    "Où ?",
    "Quelles structures existent ?",
    "Où sont les manques ?",
    "Comparaison avec la région et la France",  # a département is not compared with itself
    "Méthode et sources",
)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_departement_pdf_has_every_section_and_the_engines_figures(client: Client) -> None:
    build_mayenne()
    response = client.get(reverse("diagnosis:pdf", args=["dep", "53"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="diagnostic-dep-53.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Diagnostic de territoire : Mayenne" in text
    for title in SECTIONS:
        assert title in text, title
    territory = diagnose("dep:53")["territoire"]
    # pypdf may render the narrow no-break space of thousands as a plain space.
    flat = text.replace("\u202f", " ").replace("\u00a0", " ")
    for key in ("personnes_en_risque", "personnes_en_risque_au_dela_15_min"):
        assert number(territory[key]).replace("\u202f", " ").replace("\u00a0", " ") in flat
    assert "estimation" in text
    assert "Mayenne (53147)" in text  # first of the ranked gap list


def test_the_france_and_commune_pdfs_are_generated(client: Client) -> None:
    build_mayenne()
    france = pdf_text(client.get(reverse("diagnosis:france_pdf")).content)
    assert "Diagnostic de territoire : France" in france
    assert "Départements" in france
    commune = pdf_text(client.get(reverse("diagnosis:pdf", args=["com", "53130"])).content)
    assert "Diagnostic de territoire : Laval" in commune
    assert "Où ?" not in commune  # no map for a single commune


def test_the_maps_draw_each_commune_of_the_territory_from_the_shipped_outlines() -> None:
    build_mayenne()
    report = build(compute(), parse_scope("dep:53"), shows_activity=False)
    maps = pdf.choropleth_svg(report)
    assert [item["label"] for item in maps] == [legend["label"] for legend in report.legends]
    for item in maps:
        assert item["svg"].count("<path ") == 3
        assert "<title>Mayenne</title>" in item["svg"]
        assert "http" not in item["svg"].replace("http://www.w3.org/2000/svg", "")
