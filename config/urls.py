from django.contrib import admin
from django.urls import include, path

from config import views as config_views
from maillon.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", config_views.healthz, name="healthz"),
    path("accessibilite/", core_views.accessibilite, name="accessibilite"),
    path("mentions-legales/", core_views.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", core_views.donnees_personnelles, name="donnees_personnelles"),
    path("territoires/", include("maillon.territory.urls")),
    path("compte/", include("maillon.accounts.urls")),
    path("lieux/", include("maillon.places.urls")),
    path("beneficiaires/", include("maillon.beneficiaries.urls")),
    path("beneficiaires/doublons/", include("maillon.activities.urls_beneficiary_merge")),
    path("activites/", include("maillon.activities.urls")),
    path("coordination/", include("maillon.coordination.urls")),
    path("api/v1/", include("maillon.places.urls_api")),
    path("api/v1/", include("maillon.activities.urls_api")),
    path("statistiques/", include("maillon.activities.urls_statistics")),
    path("itinerance/", include("maillon.diagnosis.planning.urls")),
    path("diagnostic/", include("maillon.diagnosis.urls")),
    path("admin/", admin.site.urls),
]
