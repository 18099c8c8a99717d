"""``{% fragment "name" [vary …] %}…{% endfragment %}``: a part of a page kept in the shared
cache under the publish generation (tpmsite.ops.fragments). Like Django's ``{% cache %}``, but
made stale by any publish rather than by time, and never shared from a preview, a form's
answer or an address with a query string."""

from django import template
from django.utils.safestring import mark_safe

from tpmsite.ops.fragments import cached_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context):
        name = self.name.resolve(context)
        vary = [value.resolve(context) for value in self.vary]
        html = cached_fragment(
            # An inclusion tag's template has the request on its context, not in it.
            getattr(context, "request", None) or context.get("request"),
            context.get("page"),
            name,
            lambda: self.nodelist.render(context),
            vary,
        )
        return mark_safe(html)  # noqa: S308 - the template's own output, escaped as it rendered


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name, *vary = (parser.compile_filter(bit) for bit in bits[1:])
    return FragmentNode(nodelist, name, vary)
