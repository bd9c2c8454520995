"""A round's review: results against the actions of its period, the consultant's summary and
the director's sign-off. Mounted under ``org/<slug:org>/rounds/<int:pk>/review/``."""

from django.urls import path

from . import views_review

app_name = "review"

urlpatterns = [
    path("", views_review.review, name="round"),
    path("signed/<int:version>/", views_review.signed_version, name="signed_version"),
]
