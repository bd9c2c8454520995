from django import template
from wagtail.models import Locale, Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menu_pages(context):
    """Top-level pages shown in menus, in the current language."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    root = site.root_page
    try:
        locale = Locale.get_active()
        root = root.get_translation(locale)
    except (Locale.DoesNotExist, Page.DoesNotExist):
        pass
    return root.get_children().live().in_menu().specific()


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key) if hasattr(mapping, "get") else None
