from django.urls import path

from . import views

app_name = "pulse"

urlpatterns = [
    path("p/<str:token>/", views.survey, name="survey"),
    path("partner/", views.partner_home, name="partner_home"),
    path("org/<slug:org>/pulse/", views.overview, name="overview"),
    path("org/<slug:org>/pulse/events/upload/", views.events_upload, name="events_upload"),
    path(
        "org/<slug:org>/pulse/call-backs/<int:pk>/done/",
        views.call_back_done,
        name="call_back_done",
    ),
    path("org/<slug:org>/pulse/partners/<slug:code>/", views.scorecard, name="scorecard"),
]
