from django.urls import path

from . import views, views_cycle, views_review

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
    path("org/<slug:org>/ambition/", views_cycle.ambition, name="ambition"),
    path("org/<slug:org>/working-group/", views_cycle.working_group, name="working_group"),
    path("org/<slug:org>/dashboard/", views_cycle.dashboard, name="dashboard"),
    path("org/<slug:org>/schedule/", views_cycle.schedule, name="schedule"),
    path("org/<slug:org>/measures/import/", views_cycle.measures_import, name="measures_import"),
    path("org/<slug:org>/rounds/<int:pk>/review/", views_review.review, name="review"),
    path("portfolio/", views_cycle.portfolio, name="portfolio"),
]
