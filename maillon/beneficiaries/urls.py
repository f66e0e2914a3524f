from django.urls import path

from maillon.beneficiaries import views

app_name = "beneficiaries"

urlpatterns = [
    path("", views.beneficiary_list, name="list"),
    path("nouveau/", views.beneficiary_create, name="create"),
    path("<int:pk>/", views.beneficiary_detail, name="detail"),
    path("<int:pk>/modifier/", views.beneficiary_edit, name="edit"),
    path("<int:pk>/acces/", views.beneficiary_access, name="access"),
    path("<int:pk>/acces/donnees.json", views.beneficiary_access_json, name="access_json"),
    path("<int:pk>/effacer/", views.beneficiary_erase, name="erase"),
]
