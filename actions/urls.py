"""The improvement cycle of an organisation: actions, ambition, working group, dashboard,
schedule and external measures. Mounted under ``org/<slug:org>/cycle/`` by cms/urls.py."""

from django.urls import path

from . import views, views_cycle

app_name = "actions"

urlpatterns = [
    path("actions/", views.action_list, name="list"),
    path("actions/new/", views.action_create, name="create"),
    path("actions/<int:pk>/", views.action_detail, name="detail"),
    path("actions/<int:pk>/evidence/<int:evidence>/", views.evidence_download, name="evidence"),
    path("ambition/", views_cycle.ambition, name="ambition"),
    path("working-group/", views_cycle.working_group, name="working_group"),
    path("working-group/<int:pk>/", views_cycle.working_group_edit, name="working_group_edit"),
    path("actions/export.<str:fmt>", views.action_export, name="export"),
    path("dashboard/", views_cycle.dashboard, name="dashboard"),
    path("schedule/", views_cycle.schedule, name="schedule"),
    path("measures/import/", views_cycle.measures_import, name="measures_import"),
]
