from django.contrib.auth import views as auth_views
from django.urls import path

from maillon.accounts import views

app_name = "accounts"

urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("structures/", views.structure_list, name="structure_list"),
]
