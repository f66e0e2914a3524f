from django.urls import path

from maillon.activities import beneficiary_picker, views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("nouvelle/<slug:kind>/", views.create, name="create"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/dupliquer/", views.duplicate, name="duplicate"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path(
        "beneficiaires/recherche/",
        beneficiary_picker.search_results,
        name="beneficiary_search",
    ),
]
