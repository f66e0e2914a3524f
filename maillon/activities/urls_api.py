from django.urls import path

from maillon.activities.statistics import views

app_name = "statistics_api"

urlpatterns = [
    path("statistiques", views.api_statistics, name="statistiques"),
]
