"""The CMS screen where consultants set up an organisation's identity provider."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import IdentityProvider


class IdentityProviderViewSet(ModelViewSet):
    model = IdentityProvider
    icon = "key"
    add_to_admin_menu = True
    menu_order = 900
    form_fields = [
        "organisation",
        "name",
        "issuer",
        "client_id",
        "secret_variable",
        "email_domains",
        "enabled",
    ]
    list_display = ["organisation", "name", "issuer", "email_domains", "enabled"]


@hooks.register("register_admin_viewset")
def register_identity_providers():
    return IdentityProviderViewSet("identity_providers")
