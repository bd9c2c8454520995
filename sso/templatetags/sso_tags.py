from django import template

from ..models import IdentityProvider

register = template.Library()


@register.simple_tag
def sso_offered() -> bool:
    """Whether any organisation signs in through its own identity provider."""
    return IdentityProvider.objects.filter(enabled=True).exists()
