from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "maillon.activities"
    label = "activities"
    verbose_name = "Activités"
