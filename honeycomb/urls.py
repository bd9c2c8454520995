"""A round's results: the honeycomb, cells, group comparison, trend, exports and the board
pack. Mounted under ``org/<slug:org>/rounds/<int:pk>/results/`` by cms/urls.py."""

from django.urls import path

from . import exports, views, views_releases

app_name = "honeycomb"

urlpatterns = [
    path("", views.results, name="results"),
    path("cells/<str:cell>/", views.cell_detail, name="cell"),
    path("release/", views_releases.release_interim, name="release_interim"),
    path("compare/", views.compare, name="compare"),
    path("trend/", views.trend, name="trend"),
    path("workshop/", views.workshop, name="workshop"),
    path("export.xlsx", exports.excel_download, name="excel"),
    path("report/", exports.report_request, name="report"),
    path("report/<int:job>/", exports.report_status, name="report_status"),
    path("report/<int:job>/download/", exports.report_download, name="report_download"),
]
