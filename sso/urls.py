"""Outside the language prefix: the provider's redirect URI must not change with the language."""

from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("login/sso/", views.sso_start, name="start"),
    path("sso/callback/", views.callback, name="callback"),
]
