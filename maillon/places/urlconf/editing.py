"""Editing of places by their managers, and the places to refresh for coordinators (login)."""

from django.urls import URLPattern, URLResolver, path

from maillon.places.views import editing

urlpatterns: list[URLPattern | URLResolver] = [
    path("mes-lieux/", editing.my_places, name="my_places"),
    path("<uuid:public_id>/modifier/", editing.edit, name="edit"),
    path("a-actualiser/", editing.to_refresh, name="to_refresh"),
    path("a-actualiser/<slug:klass>/", editing.to_refresh, name="to_refresh_class"),
]
