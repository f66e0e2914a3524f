from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/dashboard.html")


def structure_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/dashboard.html")
