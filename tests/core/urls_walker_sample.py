"""A URL configuration with every kind of parameter, to test the walker of test_public_urls."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path


def view(request: HttpRequest, *args: str, **kwargs: str) -> HttpResponse:
    return HttpResponse("ok")


inner = (
    [
        path("<int:pk>/", view, name="detail"),
        path("<uuid:token>/<path:rest>", view, name="token"),
        re_path(r"^code/(?P<code>[0-9]{5})/$", view, name="by_code"),
    ],
    "inner",
)

urlpatterns = [
    path("", view, name="home"),
    re_path(r"^annee/([0-9]{4})/$", view, name="year"),
    path("<str:name>/<slug:slug>/", view, name="named"),
    path("outer/<int:group>/", include([path("inner/", include(inner))])),
    path("anonymous/", view),
]
