from typing import Any

from django.conf import settings
from django.http import HttpRequest


def branding(request: HttpRequest) -> dict[str, Any]:
    return {
        "branding": settings.MAILLON_BRANDING,
        "is_state_branding": settings.MAILLON_BRANDING == "etat",
        "site_name": settings.MAILLON_SITE_NAME,
        "site_operator": settings.MAILLON_OPERATOR,
    }
