from django.urls import path

from . import views, views_cards

app_name = "pulse"

urlpatterns = [
    path("p/<str:token>/", views.survey, name="survey"),
    path("k/<str:token>/", views_cards.card_survey, name="card_survey"),
    path("partner/", views.partner_home, name="partner_home"),
    path("org/<slug:org>/pulse/", views.overview, name="overview"),
    path("org/<slug:org>/pulse/events/upload/", views.events_upload, name="events_upload"),
    path(
        "org/<slug:org>/pulse/call-backs/<int:pk>/done/",
        views.call_back_done,
        name="call_back_done",
    ),
    path("org/<slug:org>/pulse/partners/<slug:code>/", views.scorecard, name="scorecard"),
    path(
        "org/<slug:org>/pulse/partners/<slug:code>/scorecard.pdf",
        views.scorecard_pdf,
        name="scorecard_pdf",
    ),
    path("org/<slug:org>/pulse/moments/<slug:moment>/card/", views_cards.card, name="card"),
    path(
        "org/<slug:org>/pulse/moments/<slug:moment>/card/link/",
        views_cards.card_link,
        name="card_link",
    ),
]
