"""An organisation's own pages: its home, people, audit log and scan rounds. Mounted under
``org/<slug:org>/`` by cms/urls.py, where membership is checked once for the whole subtree."""

from django.urls import include, path

from . import views, views_imports, views_links, views_people, views_respondents, views_rounds

app_name = "scan"

people = [
    path("invite/", views_people.member_invite, name="member_invite"),
    path(
        "<int:member_pk>/invite-again/", views_people.member_reinvite_view, name="member_reinvite"
    ),
    path("<int:member_pk>/role/", views_people.member_role, name="member_role"),
    path("<int:member_pk>/remove/", views_people.member_remove_view, name="member_remove"),
]

respondents = [
    path("add/", views.respondent_add, name="respondent_add"),
    path("bulk/", views_respondents.respondents_bulk, name="respondents_bulk"),
    path("export.<str:fmt>", views_respondents.respondents_export, name="respondents_export"),
    path("import/", views_imports.respondent_import, name="respondent_import"),
    path(
        "import/confirm/",
        views_imports.respondent_import_confirm,
        name="respondent_import_confirm",
    ),
    path("<int:respondent_pk>/link/", views.respondent_link, name="respondent_link"),
    path(
        "<int:respondent_pk>/delete/", views_respondents.respondent_delete, name="respondent_delete"
    ),
]

round_pages = [
    path("", views.round_detail, name="round"),
    path("status/", views_rounds.round_status, name="round_status"),
    path("edit/", views_rounds.round_edit, name="round_edit"),
    path("delete/", views.round_delete, name="round_delete"),
    path("respondents/", include(respondents)),
    path("invitations/", views.invitations_send, name="invitations_send"),
    path("reminders/", views.reminders_send, name="reminders_send"),
    path("mails/retry/", views.mails_retry, name="mails_retry"),
    path("open-links/", views_links.open_link_create, name="open_link_create"),
    path(
        "open-links/<int:link_pk>/withdraw/",
        views_links.open_link_revoke,
        name="open_link_revoke",
    ),
]

urlpatterns = [
    path("", views.organisation_home, name="organisation"),
    path("audit/", views.audit_log, name="audit_log"),
    path("ask/", views_rounds.ask_consultant, name="ask_consultant"),
    path("people/", include(people)),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", include(round_pages)),
]
