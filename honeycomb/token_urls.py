"""A coordinator's view of the API tokens of the organisation's people. Mounted under
``org/<slug:org>/api-tokens/`` by cms/urls.py (a person's own tokens are cms:api_tokens)."""

from django.urls import path

from . import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.member_api_tokens, name="organisation"),
]
