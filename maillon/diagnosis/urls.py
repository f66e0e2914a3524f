from django.urls import path, re_path

from maillon.diagnosis import views

app_name = "diagnosis"

_TERRITORY = r"(?P<kind>reg|dep|epci|com)/(?P<code>[0-9A-Za-z]{2,9})"

urlpatterns = [
    path("", views.territory, name="france"),
    path("rapport.pdf", views.report_pdf, name="france_pdf"),
    path("communes.csv", views.communes_csv, name="france_csv"),
    re_path(rf"^{_TERRITORY}/$", views.territory, name="territory"),
    re_path(rf"^{_TERRITORY}/rapport\.pdf$", views.report_pdf, name="pdf"),
    re_path(rf"^{_TERRITORY}/communes\.csv$", views.communes_csv, name="csv"),
]
