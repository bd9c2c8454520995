"""An organisation's tenant pulse: overview, event upload, call-backs, partner scorecards and
visit cards. Mounted under ``org/<slug:org>/pulse/`` by cms/urls.py."""

from django.urls import path

from . import views, views_cards

app_name = "pulse"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("events/upload/", views.events_upload, name="events_upload"),
    path("call-backs/<int:pk>/done/", views.call_back_done, name="call_back_done"),
    path("call-backs/<int:pk>/owner/", views.call_back_assign, name="call_back_assign"),
    path("partners/<slug:code>/", views.scorecard, name="scorecard"),
    path("partners/<slug:code>/scorecard.pdf", views.scorecard_pdf, name="scorecard_pdf"),
    path("partners/<slug:code>/scorecard.pptx", views.scorecard_pptx, name="scorecard_pptx"),
    path("moments/<slug:moment>/card/", views_cards.card, name="card"),
    path("moments/<slug:moment>/card/link/", views_cards.card_link, name="card_link"),
]
