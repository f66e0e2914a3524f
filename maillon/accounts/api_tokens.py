"""API tokens on the wire: their format, their stored fingerprint, and request authentication.

A token reads `mln_<key_id>_<secret>`. The key id (random, in clear in the database) finds the
row; the secret is kept only as an HMAC-SHA256 keyed by the server's secret key, so a copy of the
database alone cannot be replayed. Comparison is constant-time.

A token is a way for a program to act as its user, never more: it is refused once the user is
deactivated or has no active role left, and every view then scopes by `visible_to(request.user)`.
"""

import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.csrf import csrf_exempt

from maillon.accounts.models import ApiToken, Membership, TokenScope, User

TOKEN_PREFIX = "mln"  # noqa: S105 (the public marker of a token, not a secret)
HASH_SALT = "maillon.accounts.api_token"
KEY_ID_BYTES = 6  # 12 hex characters: only needs to be unique, the secret carries the entropy
SECRET_BYTES = 32
# Recording every request would mean one write per API call; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)

View = Callable[..., HttpResponse]


def new_key_id() -> str:
    return secrets.token_hex(KEY_ID_BYTES)


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def hash_secret(secret: str, *, server_key: str | bytes | None = None) -> str:
    return salted_hmac(HASH_SALT, secret, secret=server_key, algorithm="sha256").hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Constant-time check against the current key, then the fallbacks of a key rotation."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return any(
        constant_time_compare(hash_secret(secret, server_key=key), stored_hash) for key in keys
    )


def format_token(key_id: str, secret: str) -> str:
    return f"{TOKEN_PREFIX}_{key_id}_{secret}"


def parse_token(token: str) -> tuple[str, str] | None:
    """(key_id, secret) of a well-formed token; the secret itself may contain underscores."""
    prefix, _, rest = token.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != TOKEN_PREFIX or not key_id or not secret:
        return None
    return key_id, secret


def bearer_token(request: HttpRequest) -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def authenticate_api_request(request: HttpRequest, scope: TokenScope | str) -> User | None:
    """The user of a valid `Authorization: Bearer` token carrying `scope`, or None.

    None for a missing, malformed, unknown, wrong, expired or revoked token, a token without
    the scope, and a user who is inactive or has no active role.
    """
    token = bearer_token(request)
    parsed = parse_token(token) if token else None
    if parsed is None:
        return None
    key_id, secret = parsed
    api_token = ApiToken.objects.usable().select_related("user").filter(key_id=key_id).first()
    if api_token is None or not secret_matches(secret, api_token.secret_hash):
        return None
    if str(scope) not in api_token.scopes:
        return None
    user = api_token.user
    if not user.is_active or not Membership.objects.active().filter(user_id=user.pk).exists():
        return None
    _touch(api_token)
    return user


def _touch(api_token: ApiToken) -> None:
    """Record the use, at most once per LAST_USED_PRECISION (a conditional update, no race)."""
    now = timezone.now()
    last = api_token.last_used_at
    if last is not None and last > now - LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=api_token.pk, last_used_at=last).update(last_used_at=now)
    api_token.last_used_at = now


def unauthorized(scope: TokenScope | str) -> JsonResponse:
    label = TokenScope(str(scope)).label if str(scope) in TokenScope.values else str(scope)
    response = JsonResponse(
        {
            "erreurs": [
                "Jeton d'API absent, invalide, expiré ou révoqué, ou sans la portée "
                f"« {scope} » ({label}). Envoyez l'en-tête « Authorization: Bearer <jeton> »."
            ]
        },
        status=401,
    )
    response["WWW-Authenticate"] = f'Bearer realm="{settings.MAILLON_SITE_NAME}", scope="{scope}"'
    patch_cache_control(response, no_store=True)
    return response


def api_token_required(scope: TokenScope | str) -> Callable[[View], View]:
    """Let a view answer only to a token with `scope`; `request.user` becomes its user.

    The session is ignored (no login, no redirect to the login page): a browser's cookie gives
    no access, which is also why CSRF protection does not apply. The URL name must still be
    listed in MAILLON_PUBLIC_URL_NAMES so that the login middleware lets the request through.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            user = authenticate_api_request(request, scope)
            if user is None:
                return unauthorized(scope)
            request.user = user
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Authorization"])
            return response

        return csrf_exempt(wrapper)

    return decorator
