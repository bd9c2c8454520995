"""Pulse pages outside an organisation's root: the tenant's survey link, the visit card's
link, and a contract partner's start page. Mounted at the site root."""

from django.urls import path

from . import views, views_cards

app_name = "pulse_public"

urlpatterns = [
    path("p/<str:token>/", views.survey, name="survey"),
    path("k/<str:token>/", views_cards.card_survey, name="card_survey"),
    path("partner/", views.partner_home, name="partner_home"),
]
