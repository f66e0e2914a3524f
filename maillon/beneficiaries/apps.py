from django.apps import AppConfig


class BeneficiariesConfig(AppConfig):
    name = "maillon.beneficiaries"
    label = "beneficiaries"
    verbose_name = "Bénéficiaires"
