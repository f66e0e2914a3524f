from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from maillon.accounts import views
from maillon.accounts.forms import EmailAuthenticationForm

app_name = "accounts"

urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/emails/password_reset.txt",
            subject_template_name="accounts/emails/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_email_context={"site_name": settings.MAILLON_SITE_NAME},
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("jetons/", views.api_token_list, name="api_token_list"),
    path("jetons/<int:pk>/revoquer/", views.api_token_revoke, name="api_token_revoke"),
    path("", views.dashboard, name="dashboard"),
    path("structures/", views.structure_list, name="structure_list"),
    path("structures/nouvelle/", views.structure_create, name="structure_create"),
    path("structures/<int:pk>/", views.structure_detail, name="structure_detail"),
    path("structures/<int:pk>/modifier/", views.structure_edit, name="structure_edit"),
    path("structures/<int:pk>/membres/", views.member_list, name="member_list"),
    path("structures/<int:pk>/inviter/", views.invitation_create, name="invitation_create"),
    path(
        "structures/<int:pk>/membres/<int:membership_pk>/",
        views.membership_edit,
        name="membership_edit",
    ),
    path(
        "structures/<int:pk>/membres/<int:membership_pk>/retirer/",
        views.membership_deactivate,
        name="membership_deactivate",
    ),
]
