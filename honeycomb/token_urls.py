"""A coordinator's view of the API tokens of the organisation's people. Mounted under
``org/<slug:org>/api-tokens/`` by cms/urls.py (a person's own tokens are cms:api_tokens)."""

from django.urls import path

from . import views_tokens

app_name = "api_tokens"

urlpatterns = [
    path("", views_tokens.member_api_tokens, name="organisation"),
]
