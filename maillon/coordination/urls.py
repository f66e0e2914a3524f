from django.urls import path

from maillon.coordination import views

app_name = "coordination"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("nouvelle/<slug:kind>/", views.create, name="create"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/dupliquer/", views.duplicate, name="duplicate"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("statistiques/", views.statistics, name="statistics"),
    path("statistiques/export.csv", views.statistics_csv, name="statistics_csv"),
]
