"""Pages people reach from a link outside any organisation's root: the respondent's wizard,
an open (QR) link and the welcome link of a new account. Mounted at the site root."""

from django.urls import path

from . import views_links, views_people
from .wizard import RespondentWizard

app_name = "scan_public"

respond = RespondentWizard.as_view(url_name="scan_public:respond_step")

urlpatterns = [
    path("r/<str:token>/", respond, name="respond"),
    path("r/<str:token>/<str:step>/", respond, name="respond_step"),
    path("l/<str:token>/", views_links.open_link_join, name="open_link"),
    path("l/<str:token>/qr.svg", views_links.open_link_qr, name="open_link_qr"),
    path("welcome/<uidb64>/<token>/", views_people.welcome, name="welcome"),
]
