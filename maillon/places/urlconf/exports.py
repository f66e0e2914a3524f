"""Public open-data downloads of the places (no login)."""

from django.urls import URLPattern, URLResolver, path

from maillon.places.views import exports

urlpatterns: list[URLPattern | URLResolver] = [
    path("export/", exports.export_page, name="exports"),
    path("export/lieux.csv", exports.standard_csv, name="export_standard"),
    path("export/data-inclusion.json", exports.data_inclusion_json, name="export_data_inclusion"),
    path("export/lieux.geojson", exports.geojson, name="export_geojson"),
]
