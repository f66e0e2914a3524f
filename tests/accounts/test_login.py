import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client: Client, email: str, password: str) -> object:
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_login_page_asks_for_the_email(client: Client) -> None:
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Adresse électronique" in page
    assert 'name="username"' in page


def test_login_with_email_then_logout_by_post(client: Client) -> None:
    UserFactory.create(email="camille@exemple.fr")
    response = login(client, "camille@exemple.fr", DEFAULT_PASSWORD)
    assert response["Location"] == reverse("accounts:dashboard")  # type: ignore[index]
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_wrong_password_message_is_french(client: Client) -> None:
    UserFactory.create(email="camille@exemple.fr")
    response = login(client, "camille@exemple.fr", "mauvais")
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()  # type: ignore[attr-defined]


def test_sixth_attempt_is_locked_out_even_with_the_right_password(client: Client) -> None:
    UserFactory.create(email="camille@exemple.fr")
    UserFactory.create(email="dominique@exemple.fr")
    for _ in range(5):
        login(client, "camille@exemple.fr", "mauvais")
    response = login(client, "camille@exemple.fr", DEFAULT_PASSWORD)
    assert response.status_code in {403, 429}  # type: ignore[attr-defined]
    assert "Compte temporairement bloqué" in response.content.decode()  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session

    # The lock is per e-mail and address: another account from the same address still logs in.
    response = login(client, "dominique@exemple.fr", DEFAULT_PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]


def test_password_reset_sends_a_french_mail(client: Client) -> None:
    UserFactory.create(email="camille@exemple.fr")
    response = client.post(reverse("accounts:password_reset"), {"email": "camille@exemple.fr"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    message = mail.outbox[0]
    assert message.subject == "Réinitialisation de votre mot de passe Maillon"
    link = next(line for line in message.body.splitlines() if "/mot-de-passe/nouveau/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert "Nouveau mot de passe" in response.content.decode()
    new = "une-autre-phrase-solide"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert login(client, "camille@exemple.fr", new)["Location"] == reverse("accounts:dashboard")  # type: ignore[index]


@pytest.mark.parametrize(
    "name",
    ["password_reset", "password_reset_done", "password_reset_complete", "login"],
)
def test_public_pages_render_for_anonymous(client: Client, name: str) -> None:
    assert client.get(reverse(f"accounts:{name}")).status_code == 200
