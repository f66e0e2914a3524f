from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "maillon.diagnosis"
    label = "diagnosis"
    verbose_name = "Diagnostic territorial"
