"""The read-only JSON API under /api/v1/."""

from maillon.places.urlconf import api

app_name = "api"

urlpatterns = [*api.urlpatterns]
