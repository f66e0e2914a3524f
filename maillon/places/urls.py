"""URLs under /lieux/, one module per area so each area owns its routes."""

from maillon.places.urlconf import directory, editing, exports, review

app_name = "places"

urlpatterns = [
    *directory.urlpatterns,
    *exports.urlpatterns,
    *editing.urlpatterns,
    *review.urlpatterns,
]
