from django.urls import path

from maillon.territory import views

app_name = "territory"

urlpatterns = [
    path("", views.search, name="search"),
]
