from dataclasses import dataclass, field
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.test import Client
from pytest_django.plugin import blocking_manager_key
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from tests import factories

# The LMS manifests' schemas, as fixtures for the tests that validate packages.
from tests.lms_schemas import cmi5_schema, scorm12_schema, scorm2004_schema  # noqa: F401


@dataclass
class Module:
    """A small published module built from factories: the tree every page type lives in."""

    home: object
    comparison: object
    role_index: object
    career_index: object
    roles: list = field(default_factory=list)
    aspects: list = field(default_factory=list)
    careers: list = field(default_factory=list)
    lessons: list = field(default_factory=list)
    assessment: object = None
    final_check: object = None

    def one_of_each(self):
        """One page of every page type, keyed by its model."""
        pages = [
            self.home,
            self.comparison,
            self.role_index,
            self.roles[0],
            self.aspects[0],
            self.career_index,
            self.careers[0],
            self.lessons[0],
            self.assessment,
            self.final_check,
        ]
        return {type(page): page for page in pages}


def build_module(roles=2, aspects=2, lessons=3):
    root = Page.get_first_root_node()
    home = factories.ModulePageFactory(parent=root)
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    comparison = factories.ComparisonPageFactory(parent=home)
    role_index = factories.RoleIndexPageFactory(parent=home)
    career_index = factories.CareerPathIndexPageFactory(parent=home)
    module = Module(home, comparison, role_index, career_index)
    module.roles = [factories.RolePageFactory(parent=role_index) for _ in range(roles)]
    module.aspects = [
        factories.AspectPageFactory(
            parent=comparison,
            statements={role: f"{role.title} on aspect {i}" for role in module.roles},
        )
        for i in range(aspects)
    ]
    module.careers = [
        factories.CareerPathPageFactory(
            parent=career_index, role=role, steps=[("Senior role", None), ("Other role", role)]
        )
        for role in module.roles
    ]
    module.lessons = [factories.LessonPageFactory(parent=home) for _ in range(lessons)]
    module.assessment = factories.SelfAssessmentPageFactory(parent=home, roles=module.roles)
    module.final_check = factories.FinalCheckPageFactory(parent=home)
    return module


@pytest.fixture
def module(db):
    return build_module()


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor-in-chief", "e@example.com", "pw")
    client.force_login(user)
    client.user = user
    return client


def logged_in(user):
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor(db):
    return factories.UserFactory(groups=["Editors"], first_name="Eddie", last_name="Editor")


@pytest.fixture
def moderator(db):
    return factories.UserFactory(groups=["Moderators"], first_name="Mo", last_name="Moderator")


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)


@pytest.fixture
def moderator_client(moderator):
    return logged_in(moderator)


def soup(client, url, status=200):
    """GET ``url``, check the status, and return the page parsed as a reader would see it."""
    from bs4 import BeautifulSoup

    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


def edit_form_data(client, page, body=None, streams=None):
    """The page's admin edit form as the browser would post it (client must be logged in).

    StreamFields are drawn by JavaScript, so their fields are absent from the HTML; ``body`` gives
    them as Wagtail's test helpers expect: ``[("paragraph", rich_text("<p>..</p>")), ...]``.
    """
    from django.urls import reverse
    from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    streams = dict(streams or {})
    if body is not None:
        streams["body"] = body
    for name, blocks in streams.items():
        for key, value in nested_form_data({name: streamfield(blocks)}).items():
            data[key] = value
    return data


def make_migration_data():
    """What the migrations put in the database: root page, locale, site, groups, workflow.

    A transactional test (a live server's, say) commits, so its database is emptied
    afterwards, migration data too. serialized_rollback=True restored it when these tests ran
    alone but not after other tests (the connection had no saved copy by then), so it is made
    again, the groups and workflow by the project's own data migration.
    """
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en-gb"))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    if not root.get_children().exists():  # Wagtail's welcome page, as its migration makes it
        welcome = Page(title="Welcome to your new Wagtail site!", slug="home")
        root.add_child(instance=welcome)
        Site.objects.filter(is_default_site=True).delete()
        Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    import_module("roles.migrations.0002_editorial_groups").grant(django_apps, None)
    import_module("roles.migrations.0013_learner_comments").grant(django_apps, None)


@pytest.fixture
def wagtail_root(transactional_db):
    make_migration_data()


def is_transactional(item):
    marker = item.get_closest_marker("django_db")
    uses = getattr(item, "fixturenames", ())
    return (
        "transactional_db" in uses
        or "live_server" in uses
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has emptied the database, make the migration data again for
    the tests after it. In one process pytest-django runs such tests last; parallel workers
    (pytest-xdist, make test) take whole test files in any order. A hook cannot ask for the
    django_db_blocker fixture: pytest-django 4.14 keeps the blocker under blocking_manager_key."""
    result = yield
    # After the last test the test database is already gone (nothing follows to need it).
    if nextitem is not None and is_transactional(item):
        with item.config.stash[blocking_manager_key].unblock():
            make_migration_data()
    return result
