"""« Planifier l'aller-vers »: /itinerance/ (see views.py)."""

from django.urls import path

from maillon.diagnosis.planning import views

app_name = "itinerance"

urlpatterns = [
    path("", views.plan_form, name="form"),
    path("plan/<str:key>/", views.result, name="result"),
    path("plan/<str:key>/<str:name>", views.download, name="download"),
]
