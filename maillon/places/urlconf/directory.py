"""The public directory (no login) and the moderation of error reports (login)."""

from django.urls import URLPattern, URLResolver, path

from maillon.places.views import directory, moderation

urlpatterns: list[URLPattern | URLResolver] = [
    path("", directory.search_page, name="search"),
    path("carte/", directory.map_page, name="map"),
    path("imprimer/", directory.print_page, name="print"),
    path("resultats.csv", directory.csv_export, name="csv"),
    path("<uuid:public_id>/", directory.detail, name="detail"),
    path("<uuid:public_id>/signaler/", directory.report, name="report"),
    path("signalements/", moderation.report_list, name="reports"),
    path("signalements/<int:pk>/", moderation.report_detail, name="report_detail"),
    path("signalements/<int:pk>/corrige/", moderation.report_accept, name="report_accept"),
    path("signalements/<int:pk>/rejete/", moderation.report_reject, name="report_reject"),
]
