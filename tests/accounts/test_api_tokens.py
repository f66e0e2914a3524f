"""API tokens: a fingerprint only, shown once, scoped, never above the user's roles."""

import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.http import HttpRequest, JsonResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse
from django.utils import timezone

from maillon.accounts import services
from maillon.accounts.api_tokens import (
    api_token_required,
    authenticate_api_request,
    hash_secret,
    parse_token,
)
from maillon.accounts.models import ApiToken, Membership, TokenScope, User
from maillon.core.models import AuditEvent
from tests.accounts.conftest import World
from tests.factories.accounts import UserFactory

TOKEN_FORMAT = re.compile(r"^mln_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$")


@api_token_required(TokenScope.STATISTIQUES)
def statistics_probe(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"utilisateur": request.user.get_username()})


urlpatterns = [path("sonde/", statistics_probe, name="token_probe")]

probe_urls = override_settings(
    ROOT_URLCONF=__name__,
    MAILLON_PUBLIC_URL_NAMES=settings.MAILLON_PUBLIC_URL_NAMES | {"token_probe"},
)


def make_token(user: User, *scopes: str, **kwargs: Any) -> tuple[ApiToken, str]:
    return services.create_api_token(
        user=user,
        name="Tableau de bord départemental",
        scopes=list(scopes or [TokenScope.STATISTIQUES]),
        actor=None,
        **kwargs,
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def secret_of(token: str) -> str:
    parsed = parse_token(token)
    assert parsed is not None
    return parsed[1]


def authenticate(token: str, scope: str = TokenScope.STATISTIQUES) -> User | None:
    return authenticate_api_request(RequestFactory().get("/", headers=bearer(token)), scope)


# Creation


def test_it_returns_the_secret_once_and_stores_only_its_fingerprint(world: World) -> None:
    api_token, token = make_token(world.mediator)
    assert TOKEN_FORMAT.match(token)
    parsed = parse_token(token)
    assert parsed is not None
    key_id, secret = parsed
    stored = ApiToken.objects.get(pk=api_token.pk)
    assert stored.key_id == key_id
    assert stored.secret_hash == hash_secret(secret)
    assert secret not in repr(ApiToken.objects.filter(pk=api_token.pk).values().get())
    assert str(stored) == "Tableau de bord départemental (mln_" + key_id + "…)"


def test_it_gives_a_year_of_validity_by_default(world: World) -> None:
    api_token, _ = make_token(world.mediator)
    assert timedelta(days=365) == settings.MAILLON_API_TOKEN_MAX_AGE
    expected = timezone.now() + timedelta(days=365)
    assert abs(api_token.expires_at - expected) < timedelta(minutes=1)


def test_it_makes_a_different_token_each_time(world: World) -> None:
    tokens = {make_token(world.mediator)[1] for _ in range(5)}
    assert len(tokens) == 5


@pytest.mark.parametrize("scopes", [["statistiques", "ecriture"], [], ["lieux", "lieux"]])
def test_it_refuses_unknown_missing_or_repeated_scopes(world: World, scopes: list[str]) -> None:
    with pytest.raises(ValidationError):
        services.create_api_token(user=world.mediator, name="Essai", scopes=scopes, actor=None)
    assert not ApiToken.objects.exists()


def test_it_refuses_a_token_to_an_inactive_user_or_one_without_roles(world: World) -> None:
    world.mediator.is_active = False
    world.mediator.save()
    with pytest.raises(ValidationError, match="désactivé"):
        make_token(world.mediator)
    with pytest.raises(ValidationError, match="aucun rôle actif"):
        make_token(world.stranger)
    assert not ApiToken.objects.exists()


def test_the_journal_records_creation_and_revocation_without_the_secret(world: World) -> None:
    api_token, token = make_token(world.mediator)
    services.revoke_api_token(api_token=api_token, actor=world.mediator)
    events = list(AuditEvent.objects.about(api_token).order_by("pk").values())
    assert [event["action"] for event in events] == ["create", "update"]
    assert events[0]["fields"] == ["expires_at", "name", "scopes", "user"]
    assert events[1]["fields"] == ["revoked_at"]
    secret = secret_of(token)
    dumped = repr(list(AuditEvent.objects.values()))
    assert secret not in dumped
    assert token not in dumped
    assert hash_secret(secret_of(token)) not in dumped


# Authentication


def test_it_authenticates_a_valid_token_with_its_scope(world: World) -> None:
    api_token, token = make_token(world.mediator, TokenScope.STATISTIQUES, TokenScope.LIEUX)
    assert authenticate(token) == world.mediator
    assert authenticate(token, TokenScope.LIEUX) == world.mediator
    api_token.refresh_from_db()
    assert api_token.last_used_at is not None


def test_it_accepts_the_bearer_keyword_in_any_case(world: World) -> None:
    _, token = make_token(world.mediator)
    request = RequestFactory().get("/", headers={"Authorization": f"bearer {token}"})
    assert authenticate_api_request(request, TokenScope.STATISTIQUES) == world.mediator


def _tamper(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize(
    "case",
    [
        "wrong secret",
        "unknown key id",
        "malformed",
        "expired",
        "revoked",
        "wrong scope",
        "inactive user",
        "user without roles",
    ],
)
def test_it_refuses(world: World, case: str) -> None:
    api_token, token = make_token(world.mediator)
    scope: str = TokenScope.STATISTIQUES
    if case == "wrong secret":
        token = _tamper(token)
    elif case == "unknown key id":
        token = token.replace(api_token.key_id, "0" * 12)
    elif case == "malformed":
        token = token.replace("mln_", "jeton_")
    elif case == "expired":
        ApiToken.objects.filter(pk=api_token.pk).update(expires_at=timezone.now())
    elif case == "revoked":
        services.revoke_api_token(api_token=api_token, actor=None)
    elif case == "wrong scope":
        scope = TokenScope.LIEUX
    elif case == "inactive user":
        User.objects.filter(pk=world.mediator.pk).update(is_active=False)
    elif case == "user without roles":
        Membership.objects.filter(user=world.mediator).update(is_active=False)
    assert authenticate(token, scope) is None
    api_token.refresh_from_db()
    assert api_token.last_used_at is None


def test_it_accepts_a_token_hashed_before_a_key_rotation(world: World) -> None:
    _, token = make_token(world.mediator)
    old_key = settings.SECRET_KEY
    with override_settings(SECRET_KEY="a-new-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[old_key]):
        assert authenticate(token) == world.mediator
    with override_settings(SECRET_KEY="a-new-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[]):
        assert authenticate(token) is None


def test_it_records_the_last_use_at_most_once_a_minute(
    world: World, django_assert_num_queries: Any
) -> None:
    api_token, token = make_token(world.mediator)
    assert authenticate(token) == world.mediator
    api_token.refresh_from_db()
    first = api_token.last_used_at
    assert first is not None
    with django_assert_num_queries(2):  # the token with its user, the roles: no write
        assert authenticate(token) == world.mediator
    api_token.refresh_from_db()
    assert api_token.last_used_at == first
    earlier = timezone.now() - timedelta(seconds=61)
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=earlier)
    assert authenticate(token) == world.mediator
    api_token.refresh_from_db()
    assert api_token.last_used_at is not None
    assert api_token.last_used_at > earlier + timedelta(seconds=60)


# The decorator


@probe_urls
def test_the_decorated_view_answers_to_a_valid_token(client: Client, world: World) -> None:
    _, token = make_token(world.mediator)
    response = client.get(reverse("token_probe"), headers=bearer(token))
    assert response.status_code == 200
    assert response.json() == {"utilisateur": world.mediator.email}
    assert "Authorization" in response["Vary"]
    assert not response.cookies  # no session is opened


@probe_urls
@pytest.mark.parametrize("header", [None, "Bearer ", "Basic dXNlcjpwYXNz", "Bearer mln_x_y"])
def test_the_decorated_view_answers_401_in_json_without_redirect(
    client: Client, world: World, header: str | None
) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = client.get(reverse("token_probe"), headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer ")
    assert "no-store" in response["Cache-Control"]
    errors = response.json()["erreurs"]
    assert len(errors) == 1
    assert "statistiques" in errors[0]


@probe_urls
def test_a_logged_in_session_gives_no_access_to_the_api(client: Client, world: World) -> None:
    client.force_login(world.mediator)
    assert client.get(reverse("token_probe")).status_code == 401


@probe_urls
def test_a_token_of_another_scope_is_refused_by_the_view(client: Client, world: World) -> None:
    _, token = make_token(world.mediator, TokenScope.LIEUX)
    response = client.get(reverse("token_probe"), headers=bearer(token))
    assert response.status_code == 401


# Revocation


def test_the_owner_and_an_administrator_may_revoke_but_nobody_else(world: World) -> None:
    api_token, _ = make_token(world.mediator)
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(api_token=api_token, actor=world.manager)
    assert services.revoke_api_token(api_token=api_token, actor=world.administrator)
    assert not services.revoke_api_token(api_token=api_token, actor=world.mediator)
    assert ApiToken.objects.usable().count() == 0


def test_tokens_are_visible_to_their_owner_and_administrators_only(world: World) -> None:
    mine, _ = make_token(world.mediator)
    theirs, _ = make_token(world.manager)
    assert list(ApiToken.objects.visible_to(world.mediator)) == [mine]
    assert set(ApiToken.objects.visible_to(world.administrator)) == {mine, theirs}
    assert not ApiToken.objects.visible_to(world.stranger).exists()


# The command


def run_command(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_the_token_once_with_a_warning(world: World) -> None:
    out, err = run_command(
        "--user",
        world.mediator.email.upper(),
        "--scope",
        "statistiques",
        "--scope",
        "lieux",
        "--name",
        "Observatoire",
        "--days",
        "30",
    )
    token = out.strip()
    assert TOKEN_FORMAT.match(token)
    assert token not in err
    assert "ne sera plus jamais affiché" in err
    api_token = ApiToken.objects.get()
    assert api_token.name == "Observatoire"
    assert api_token.scopes == ["statistiques", "lieux"]
    assert api_token.user == world.mediator
    assert abs(api_token.expires_at - timezone.now() - timedelta(days=30)) < timedelta(minutes=1)
    assert authenticate(token, TokenScope.LIEUX) == world.mediator


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "personne@ailleurs.fr"], "Aucun compte"),
        (["--user", "MEDIATOR", "--scope", "ecriture"], "Portée inconnue : ecriture"),
        (["--user", "INACTIVE"], "désactivé"),
        (["--user", "STRANGER"], "aucun rôle actif"),
        (["--user", "MEDIATOR", "--days", "0"], "au moins un jour"),
    ],
)
def test_the_command_explains_its_refusals(world: World, args: list[str], message: str) -> None:
    inactive = UserFactory.create(is_active=False)
    emails = {
        "MEDIATOR": world.mediator.email,
        "INACTIVE": inactive.email,
        "STRANGER": world.stranger.email,
    }
    args = [emails.get(arg, arg) for arg in args]
    if "--scope" not in args:
        args += ["--scope", "statistiques"]
    with pytest.raises(CommandError, match=message):
        run_command(*args)
    assert not ApiToken.objects.exists()


# Technical administration


def test_the_admin_lists_tokens_without_secrets_and_revokes_them(
    client: Client, world: World
) -> None:
    staff = world.administrator
    staff.is_staff = staff.is_superuser = True
    staff.save()
    api_token, token = make_token(world.mediator)
    client.force_login(staff)
    changelist = reverse("admin:accounts_apitoken_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    body = page.content.decode()
    assert api_token.prefix in body
    assert secret_of(token) not in body
    assert api_token.secret_hash not in body
    detail = client.get(reverse("admin:accounts_apitoken_change", args=[api_token.pk]))
    assert api_token.secret_hash not in detail.content.decode()
    response = client.post(
        changelist, {"action": "revoke", "_selected_action": [api_token.pk]}, follow=True
    )
    assert "1 jeton(s) révoqué(s)" in response.content.decode()
    api_token.refresh_from_db()
    assert api_token.revoked_at is not None
    assert AuditEvent.objects.about(api_token).filter(actor=staff, fields=["revoked_at"]).exists()


def test_a_staff_member_sees_only_his_own_tokens_in_the_admin(client: Client, world: World) -> None:
    staff = world.manager
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_apitoken"))
    mine, _ = make_token(staff)
    theirs, _ = make_token(world.mediator)
    client.force_login(staff)
    body = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert mine.prefix in body
    assert theirs.prefix not in body
    response = client.get(reverse("admin:accounts_apitoken_change", args=[theirs.pk]))
    assert response.status_code in {302, 404}


# « Mon espace » page


def test_my_tokens_page_lists_only_my_tokens_without_secrets(client: Client, world: World) -> None:
    mine, token = make_token(world.mediator)
    theirs, _ = make_token(world.manager)
    client.force_login(world.mediator)
    page = client.get(reverse("accounts:api_token_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert mine.prefix in body
    assert theirs.prefix not in body
    assert secret_of(token) not in body
    assert mine.secret_hash not in body
    assert "Statistiques (lecture)" in body
    assert reverse("accounts:api_token_revoke", args=[mine.pk]) in body
    assert (
        reverse("accounts:api_token_list")
        in client.get(reverse("accounts:dashboard")).content.decode()
    )


def test_my_tokens_page_needs_a_login(client: Client, db: None) -> None:
    response = client.get(reverse("accounts:api_token_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_i_can_revoke_my_token_from_my_page(client: Client, world: World) -> None:
    api_token, token = make_token(world.mediator)
    client.force_login(world.mediator)
    url = reverse("accounts:api_token_revoke", args=[api_token.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "est révoqué" in response.content.decode()
    assert "Révoqué" in response.content.decode()
    assert authenticate(token) is None
    assert AuditEvent.objects.about(api_token).filter(actor=world.mediator).count() == 1


@pytest.mark.parametrize("who", ["manager", "coordinator", "administrator", "stranger"])
def test_nobody_else_can_revoke_my_token_from_the_page(
    client: Client, world: World, who: str
) -> None:
    api_token, token = make_token(world.mediator)
    client.force_login(getattr(world, who))
    response = client.post(reverse("accounts:api_token_revoke", args=[api_token.pk]))
    assert response.status_code == 404
    assert authenticate(token) == world.mediator
