from django.urls import path

from maillon.territory import views

app_name = "territory"

urlpatterns = [
    path("", views.search, name="search"),
    path("regions/<str:code>/", views.region, name="region"),
    path("departements/<str:code>/", views.departement, name="departement"),
    path("epci/<str:siren>/", views.epci, name="epci"),
    path("communes/<str:code_insee>/", views.commune, name="commune"),
]
