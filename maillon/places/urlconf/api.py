"""The read-only public JSON API (namespace `api`, under /api/v1/)."""

from django.urls import URLPattern, URLResolver, path

from maillon.places.views import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("lieux", api.places, name="lieux"),
    path("lieux/<str:public_id>", api.place, name="lieu"),
    path("openapi.json", api.openapi, name="openapi"),
]
