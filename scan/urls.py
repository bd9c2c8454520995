from django.urls import path

from . import views, views_imports, views_links, views_people, views_respondents
from .wizard import RespondentWizard

app_name = "scan"

respond = RespondentWizard.as_view(url_name="scan:respond_step")

urlpatterns = [
    path("r/<str:token>/", respond, name="respond"),
    path("r/<str:token>/<str:step>/", respond, name="respond_step"),
    path("l/<str:token>/", views_links.open_link_join, name="open_link"),
    path("l/<str:token>/qr.svg", views_links.open_link_qr, name="open_link_qr"),
    path("org/<slug:org>/", views.organisation_home, name="organisation"),
    path("org/<slug:org>/audit/", views.audit_log, name="audit_log"),
    path("org/<slug:org>/people/invite/", views_people.member_invite, name="member_invite"),
    path(
        "org/<slug:org>/people/<int:member_pk>/invite-again/",
        views_people.member_reinvite_view,
        name="member_reinvite",
    ),
    path(
        "org/<slug:org>/people/<int:member_pk>/role/", views_people.member_role, name="member_role"
    ),
    path(
        "org/<slug:org>/people/<int:member_pk>/remove/",
        views_people.member_remove_view,
        name="member_remove",
    ),
    path("welcome/<uidb64>/<token>/", views_people.welcome, name="welcome"),
    path("org/<slug:org>/rounds/new/", views.round_create, name="round_create"),
    path("org/<slug:org>/rounds/<int:pk>/", views.round_detail, name="round"),
    path("org/<slug:org>/rounds/<int:pk>/status/", views.round_status, name="round_status"),
    path("org/<slug:org>/rounds/<int:pk>/delete/", views.round_delete, name="round_delete"),
    path(
        "org/<slug:org>/rounds/<int:pk>/respondents/bulk/",
        views_respondents.respondents_bulk,
        name="respondents_bulk",
    ),
    path(
        "org/<slug:org>/rounds/<int:pk>/respondents/<int:respondent_pk>/delete/",
        views_respondents.respondent_delete,
        name="respondent_delete",
    ),
    path(
        "org/<slug:org>/rounds/<int:pk>/respondents/add/",
        views.respondent_add,
        name="respondent_add",
    ),
    path(
        "org/<slug:org>/rounds/<int:pk>/respondents/import/",
        views_imports.respondent_import,
        name="respondent_import",
    ),
    path(
        "org/<slug:org>/rounds/<int:pk>/respondents/import/confirm/",
        views_imports.respondent_import_confirm,
        name="respondent_import_confirm",
    ),
    path(
        "org/<slug:org>/rounds/<int:pk>/respondents/<int:respondent_pk>/link/",
        views.respondent_link,
        name="respondent_link",
    ),
    path(
        "org/<slug:org>/rounds/<int:pk>/invitations/",
        views.invitations_send,
        name="invitations_send",
    ),
    path("org/<slug:org>/rounds/<int:pk>/reminders/", views.reminders_send, name="reminders_send"),
    path("org/<slug:org>/rounds/<int:pk>/mails/retry/", views.mails_retry, name="mails_retry"),
    path(
        "org/<slug:org>/rounds/<int:pk>/open-links/",
        views_links.open_link_create,
        name="open_link_create",
    ),
    path(
        "org/<slug:org>/rounds/<int:pk>/open-links/<int:link_pk>/withdraw/",
        views_links.open_link_revoke,
        name="open_link_revoke",
    ),
]
