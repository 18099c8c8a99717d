"""Who wrote the module: a snippet, so one author is edited once and named on every lesson."""

from django.db import models
from django.db.models.signals import post_delete, post_save
from rest_framework.fields import Field
from tpmsite.ops.cache import content_changed
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.rich_text import expand_db_html
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from roles.blocks import RICH_TEXT_FEATURES


@register_snippet
class Author(index.Indexed, models.Model):
    """A person credited on the module and its lessons; the bio is optional."""

    name = models.CharField(max_length=120, unique=True)
    bio = RichTextField(
        blank=True, features=RICH_TEXT_FEATURES, help_text="Shown under 'About the author'."
    )
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("name"), FieldPanel("bio"), FieldPanel("photo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class AuthorField(Field):
    """The API's view of a module's author: the name, and the bio as HTML (read-only)."""

    def to_representation(self, author) -> dict:
        return {"name": author.name, "bio": expand_db_html(author.bio)}


def author_changed(sender, instance, raw=False, **kwargs):
    # Every page names the author (byline, footer, structured data), and snippets without
    # revisions send no publish: an edit must drop cached pages and fragments as one does.
    if not raw:
        content_changed()


post_save.connect(author_changed, sender=Author, dispatch_uid="author-changed")
post_delete.connect(author_changed, sender=Author, dispatch_uid="author-deleted")
