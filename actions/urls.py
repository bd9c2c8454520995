from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("org/<slug:org>/actions/", views.action_list, name="list"),
    path("org/<slug:org>/actions/new/", views.action_create, name="create"),
    path("org/<slug:org>/actions/<int:pk>/", views.action_detail, name="detail"),
    path(
        "org/<slug:org>/actions/<int:pk>/evidence/<int:evidence>/",
        views.evidence_download,
        name="evidence",
    ),
    path("org/<slug:org>/ambition/", views.ambition, name="ambition"),
    path("org/<slug:org>/working-group/", views.working_group, name="working_group"),
    path("org/<slug:org>/dashboard/", views.dashboard, name="dashboard"),
    path("org/<slug:org>/schedule/", views.schedule, name="schedule"),
    path("org/<slug:org>/measures/import/", views.measures_import, name="measures_import"),
    path("org/<slug:org>/rounds/<int:pk>/review/", views.review, name="review"),
    path("portfolio/", views.portfolio, name="portfolio"),
]
