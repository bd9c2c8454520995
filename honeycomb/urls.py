from django.urls import path

from . import views

app_name = "honeycomb"

urlpatterns = [
    path("org/<slug:org>/rounds/<int:pk>/results/", views.results, name="results"),
    path(
        "org/<slug:org>/rounds/<int:pk>/results/cells/<str:cell>/", views.cell_detail, name="cell"
    ),
    path("org/<slug:org>/rounds/<int:pk>/workshop/", views.workshop, name="workshop"),
]
