from django.urls import path

from . import exports, views

app_name = "honeycomb"

urlpatterns = [
    path("org/<slug:org>/rounds/<int:pk>/results/", views.results, name="results"),
    path(
        "org/<slug:org>/rounds/<int:pk>/results/cells/<str:cell>/", views.cell_detail, name="cell"
    ),
    path("org/<slug:org>/rounds/<int:pk>/results/compare/", views.compare, name="compare"),
    path("org/<slug:org>/rounds/<int:pk>/results/trend/", views.trend, name="trend"),
    path(
        "org/<slug:org>/rounds/<int:pk>/results/export.xlsx", exports.excel_download, name="excel"
    ),
    path("org/<slug:org>/rounds/<int:pk>/results/report/", exports.report_request, name="report"),
    path(
        "org/<slug:org>/rounds/<int:pk>/results/report/<int:job>/",
        exports.report_status,
        name="report_status",
    ),
    path(
        "org/<slug:org>/rounds/<int:pk>/results/report/<int:job>/download/",
        exports.report_download,
        name="report_download",
    ),
    path("org/<slug:org>/rounds/<int:pk>/workshop/", views.workshop, name="workshop"),
    path("account/api-tokens/", views.api_tokens, name="api_tokens"),
    path("org/<slug:org>/api-tokens/", views.member_api_tokens, name="member_api_tokens"),
]
