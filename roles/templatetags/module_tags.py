import json
from functools import partial

from django import template
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Site

from roles.visibility import visible

register = template.Library()


@register.inclusion_tag("roles/includes/nav.html", takes_context=True)
def main_nav(context):
    """The site's sections: the home page's published children marked 'show in menus'."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    # Wagtail keeps the specific root it routed through; its children, read once, also give a
    # lesson its previous and next.
    root = site.root_page.specific if site else None
    path = getattr(context.get("page"), "path", None) or ""
    if hasattr(root, "sections"):
        items = [child for child in root.sections if child.show_in_menus]
    elif root:
        items = visible(root.get_children()).in_menu()
    else:
        items = []
    return {
        "root": root,
        "root_is_current": bool(root) and path == root.path,
        # A section stays highlighted on the pages inside it ("page" for itself, else "true").
        "items": [
            (item, "page" if path == item.path else path.startswith(item.path) and "true")
            for item in items
        ],
    }


@register.simple_tag(takes_context=True)
def structured_data(context):
    """The page's schema.org JSON-LD, safe inside <script>: "<" is escaped in the JSON."""
    page, request = context.get("page"), context.get("request")
    data = page.structured_data(request) if hasattr(page, "structured_data") else None
    if not data:
        return ""
    data = {key: value for key, value in data.items() if value is not None}
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.inclusion_tag("roles/includes/comments.html")
def comments_section(page):
    """Approved learners' comments under ``page``, and the form to add one (roles.comments)."""
    from roles.comments import CommentForm, approved_comments

    return {
        "page": page,
        # Read only when the list is rendered, not when it comes from the shared cache.
        "comments": SimpleLazyObject(partial(approved_comments, page)),
        "form": CommentForm(page=page),
    }
