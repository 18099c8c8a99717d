from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("roles/includes/nav.html", takes_context=True)
def main_nav(context):
    """The site's sections: the home page's published children marked 'show in menus'."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    root = site.root_page if site else None
    items = root.get_children().live().public().in_menu() if root else []
    path = getattr(context.get("page"), "path", None) or ""
    return {
        "root": root,
        "root_is_current": bool(root) and path == root.path,
        # A section stays highlighted on the pages inside it ("page" for itself, else "true").
        "items": [
            (item, "page" if path == item.path else path.startswith(item.path) and "true")
            for item in items
        ],
    }
