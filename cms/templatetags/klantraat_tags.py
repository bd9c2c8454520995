from django import template

from cms.site_frame import site_frame as build_site_frame

register = template.Library()


@register.simple_tag(takes_context=True)
def site_frame(context) -> dict:
    """The cached menu and footer of the request's site, in the current language."""
    return build_site_frame(context.get("request"))


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key) if hasattr(mapping, "get") else None
