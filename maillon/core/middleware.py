from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve


def is_public_path(path: str) -> bool:
    """Whether the URL resolves to a view named in settings.MAILLON_PUBLIC_URL_NAMES.

    Static files are public too (served before this middleware in production by WhiteNoise).
    An unknown path is treated as public so that it reaches the normal 404 page.
    """
    if path.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return True
    return match.view_name in settings.MAILLON_PUBLIC_URL_NAMES


class LoginRequiredByDefaultMiddleware:
    """Deny by default: anonymous visitors go to the login page unless the URL is allowlisted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not is_public_path(request.path_info):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
