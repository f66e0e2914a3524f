"""Review queue of record linkage (coordinators and administrators)."""

from django.urls import URLPattern, URLResolver, path

from maillon.places.views import review

urlpatterns: list[URLPattern | URLResolver] = [
    path("doublons/", review.pair_list, name="review_list"),
    path("doublons/<int:pk>/", review.pair_detail, name="review_detail"),
    path("doublons/<int:pk>/meme-lieu/", review.decide_same, name="review_same"),
    path("doublons/<int:pk>/distincts/", review.decide_distinct, name="review_distinct"),
    path("doublons/<int:pk>/incertain/", review.decide_uncertain, name="review_uncertain"),
]
