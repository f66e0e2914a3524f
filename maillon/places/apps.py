from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "maillon.places"
    label = "places"
    verbose_name = "Lieux de médiation numérique"
