from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def accessibilite(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibilite.html")


def mentions_legales(request: HttpRequest) -> HttpResponse:
    return render(request, "core/mentions_legales.html")


def donnees_personnelles(request: HttpRequest) -> HttpResponse:
    return render(request, "core/donnees_personnelles.html")
