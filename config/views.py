from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from maillon.territory.models import Commune


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: answers only when the database answers."""
    return JsonResponse({"status": "ok", "communes": Commune.objects.count()})
