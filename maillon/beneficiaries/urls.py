from django.urls import path

from maillon.beneficiaries import duplicate_views, import_views, views

app_name = "beneficiaries"

urlpatterns = [
    path("", views.beneficiary_list, name="list"),
    path("nouveau/", views.beneficiary_create, name="create"),
    path("<int:pk>/", views.beneficiary_detail, name="detail"),
    path("<int:pk>/modifier/", views.beneficiary_edit, name="edit"),
    path("<int:pk>/acces/", views.beneficiary_access, name="access"),
    path("<int:pk>/acces/donnees.json", views.beneficiary_access_json, name="access_json"),
    path("<int:pk>/effacer/", views.beneficiary_erase, name="erase"),
    path("import/", import_views.import_upload, name="import"),
    path("import/modele.xlsx", import_views.import_template, name="import_template"),
    path("import/<uuid:pk>/", import_views.import_analysis, name="import_analysis"),
    path("import/<uuid:pk>/valider/", import_views.import_commit, name="import_commit"),
    path("export.xlsx", import_views.export, {"extension": "xlsx"}, name="export_xlsx"),
    path("export.csv", import_views.export, {"extension": "csv"}, name="export_csv"),
    path("doublons/", duplicate_views.duplicate_list, name="duplicates"),
    path(
        "doublons/<int:pk>/<int:other>/distincts/",
        duplicate_views.declare_not_duplicate,
        name="not_duplicate",
    ),
]
