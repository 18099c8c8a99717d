"""Publishing and hiding pages as editors do: what every page factory shares.

A factory makes the page, then publishes it through a first revision, as the admin does
(``live=False`` keeps it a never-published draft). Then, on request, it is put where a reader
must not see it, or where tree order and creation order part:

- ``private=True``: a password restriction on the page (and so on everything under it);
- ``unpublished=True``: published once, then unpublished;
- ``drafted=True`` or ``drafted="Draft title"``: published, with a newer unpublished draft
  whose title differs (``"<title> (draft)"`` by default);
- ``first=True``: moved in front of its siblings, so its tree order is not its id order.

Together: ``unpublished=True, drafted=True`` is an unpublished page whose row holds a draft
title. Bugs that pass every test with uniform factories (a filter dropped, ids taken for tree
order) are caught by tests that ask for these.
"""

import factory
import wagtail_factories
from wagtail.models import PageViewRestriction

# Returned by a post-generation hook that set child rows (statements, steps) in memory: they
# must be saved before the first revision, or a never-published page would have none.
ROWS_SET = object()


def _requested(obj, create, extracted, **kwargs):
    """A hook that only reports what the caller asked for; it is acted on after publishing."""
    return extracted


def restrict(page):
    """Make ``page`` and everything under it private, as the admin's privacy dialogue does."""
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )


def reverse_tree_order(pages):
    """Move sibling ``pages`` so the tree holds them in the reverse of the given order (and
    ahead of any other siblings); return them refreshed, in their new tree order.

    Fixtures create pages in tree order, so ids and tree order agree and code that orders by
    id passes; after this they disagree.
    """
    for page in pages:  # each to the front: the last one moved ends up first
        page.refresh_from_db()  # earlier moves changed the paths of its siblings
        page.move(page.get_parent(), pos="first-child")
    for page in pages:
        page.refresh_from_db()
    return sorted(pages, key=lambda page: page.path)


class BasePageFactory(wagtail_factories.PageFactory):
    class Meta:
        abstract = True

    # factory_boy runs post-generation hooks before _after_postgeneration, in an order not to
    # rely on, so these only record the request; _after_postgeneration acts on them in order.
    first = factory.PostGeneration(_requested)
    unpublished = factory.PostGeneration(_requested)
    drafted = factory.PostGeneration(_requested)
    private = factory.PostGeneration(_requested)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if not create:
            return
        results = results or {}
        if ROWS_SET in results.values():
            instance.save()
        revision = instance.save_revision()
        if instance.live:
            revision.publish()
        instance.refresh_from_db()
        if results.get("first"):
            instance.move(instance.get_parent(), pos="first-child")
            instance.refresh_from_db()
        if results.get("unpublished"):
            instance.unpublish()
            instance.refresh_from_db()
        if drafted := results.get("drafted"):
            draft = instance.get_latest_revision_as_object()
            draft.title = drafted if isinstance(drafted, str) else f"{instance.title} (draft)"
            draft.save_revision()
            instance.refresh_from_db()
        if results.get("private"):
            restrict(instance)
