"""Mounted under /beneficiaires/doublons/ by config/urls.py, beside the beneficiaries' URLs."""

from django.urls import path

from maillon.activities import beneficiary_merge_views

app_name = "beneficiary_merge"

urlpatterns = [
    path("<int:pk>/<int:other>/fusionner/", beneficiary_merge_views.merge_view, name="merge"),
]
