"""The lesson shell as the server renders it: outline, breadcrumb, calls to action, and the
author snippet credited (with the disclaimer) under every lesson. module.js fills in progress."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from roles.models import Author, ModulePage
from tests import factories
from tests.conftest import build_module, edit_form_data, soup

pytestmark = pytest.mark.django_db


def outline(page):
    """(title, is current) for each lesson in a lesson page's outline, in order."""
    return [
        (a.get_text(strip=True), a.get("aria-current") == "page")
        for a in page.select(".outline [data-lesson-list] > li > a")
    ]


def test_the_outline_lists_every_published_lesson_in_order_with_the_current_one_marked(
    client, module
):
    first, second, third = module.lessons
    factories.LessonPageFactory(parent=module.home, title="Private lesson", private=True)
    factories.LessonPageFactory(parent=module.home, title="Draft lesson", live=False)
    factories.LessonPageFactory(parent=module.home, title="Withdrawn lesson", unpublished=True)
    titles = [first.title, second.title, third.title]
    for current, lesson in enumerate(module.lessons):
        page = soup(client, lesson.url)
        assert outline(page) == [(title, i == current) for i, title in enumerate(titles)]
        summary = page.select_one(".outline summary").get_text(strip=True)
        assert summary == "Lessons in this module (3)"
    # Positive control: a lesson published later joins every outline.
    factories.LessonPageFactory(parent=module.home, title="Fourth lesson")
    assert outline(soup(client, first.url))[-1] == ("Fourth lesson", False)


def test_the_outline_works_without_javascript_as_a_disclosure(client, module):
    page = soup(client, module.lessons[0].url)
    disclosure = page.select_one(".outline details")
    assert disclosure.summary is not None
    assert [a["href"] for a in disclosure.select("li > a")] == [
        lesson.url for lesson in module.lessons
    ]
    # The states and the progress bar are left to module.js: hidden until it knows them.
    assert all(state.has_attr("hidden") for state in page.select("[data-lesson-state]"))
    assert page.select_one(".outline [data-progress]").has_attr("hidden")


def test_the_breadcrumb_leads_back_to_the_module_and_names_the_lesson(client, module):
    page = soup(client, module.lessons[1].url)
    crumbs = page.select("nav.breadcrumb li")
    assert crumbs[0].a["href"] == module.home.url
    assert crumbs[0].get_text(strip=True) == module.home.title
    assert crumbs[1].get_text(strip=True) == "Lesson 2"
    assert crumbs[1].select_one("[aria-current=page]") is not None
    assert page.select_one(".eyebrow").get_text(strip=True) == "Lesson 2 of 3"
    assert "min read" in page.select_one(".page-header .meta").get_text()


def test_each_lesson_ends_with_a_mark_as_read_button_before_the_pager(client, module):
    page = soup(client, module.lessons[0].url)
    end = page.select_one("[data-lesson-end]")
    button = end.select_one("button[data-mark-read]")
    assert button.get_text(strip=True) == "Mark as read"
    assert "button--secondary" in button["class"]
    assert end.select_one("[role=status]") is not None
    # At the end of the lesson: after its body, before the pager.
    article = page.select_one("article.lesson")
    order = [c.get("class", [""])[0] for c in article.find_all(recursive=False)]
    assert order.index("lesson__body") < order.index("lesson-end") < order.index("pager")


def test_after_the_last_lesson_comes_the_final_check_when_the_module_has_one(client, module):
    last = module.lessons[-1]
    final = module.final_check
    page = soup(client, last.url)
    assert page.select_one(".pager__next")["href"] == final.url
    assert page.select_one(".outline a[data-final-check]")["href"] == final.url
    home = soup(client, module.home.url)
    assert home.select_one(".lesson-list__final a[data-final-check]")["href"] == final.url
    final.unpublish()  # the last lesson's Next: see test_lessons
    assert soup(client, module.home.url).select_one("a[data-final-check]") is None


def test_the_module_page_offers_a_start_link_to_the_first_lesson_without_javascript(
    client, module
):
    page = soup(client, module.home.url)
    panel = page.select_one("[data-module-progress]")
    assert not panel.has_attr("hidden")
    start = panel.select_one("a[data-continue]")
    assert start.get_text(strip=True) == "Start the module"
    assert start["href"] == module.lessons[0].url
    assert "button" in start["class"]
    # Resetting needs JavaScript (progress lives in the browser): hidden without it, quiet,
    # and confirmed inline before anything is lost.
    reset_area = panel.select_one("[data-reset-area]")
    assert reset_area.has_attr("hidden")
    assert "button--secondary" in reset_area.select_one("button[data-reset]")["class"]
    confirm = reset_area.select_one("[data-reset-confirm]")
    assert confirm.has_attr("hidden")
    assert [b.get_text(strip=True) for b in confirm.select("button")] == ["Yes, reset", "Cancel"]
    # The module's own list carries a state slot per lesson, like the outline.
    assert len(page.select(".lesson-list [data-lesson-state]")) == 3


def test_a_module_without_published_lessons_has_no_start_link(client, module):
    for lesson in module.lessons:
        lesson.unpublish()
    page = soup(client, module.home.url)
    assert page.select_one("a[data-continue]") is None
    assert page.select_one(".notice").get_text(strip=True) == "No lessons are published yet."


def footer(page):
    return page.select_one("footer.site-footer")


def test_every_lesson_and_the_module_page_credit_the_author_and_carry_the_disclaimer(
    client, module
):
    for page in [module.home, *module.lessons]:
        foot = footer(soup(client, page.url))
        assert foot.select_one(".module-footer__author").get_text(strip=True) == (
            "Written by M Clark"
        )
        assert "For general information only." in foot.select_one(".disclaimer").get_text()
        # No bio, no "About the author".
        assert "About the author" not in foot.get_text()


def test_about_the_author_appears_only_when_the_author_has_a_bio(client, module):
    author = module.home.author
    author.bio = "<p>Writes about delivery and careers.</p>"
    author.save()
    for page in [module.home, module.lessons[0]]:
        about = footer(soup(client, page.url)).select_one("details.module-footer__about")
        assert about.summary.get_text(strip=True) == "About the author"
        assert "Writes about delivery and careers." in about.get_text()


def test_a_module_without_an_author_credits_no_one(client, module):
    ModulePage.objects.filter(pk=module.home.pk).update(author=None)
    foot = footer(soup(client, module.lessons[0].url))
    assert foot.select_one(".module-footer__author") is None
    assert foot.select_one(".disclaimer") is not None


def test_the_author_is_shown_as_text_never_markup(client):
    module = build_module(lessons=1)
    ModulePage.objects.filter(pk=module.home.pk).update(
        author=factories.AuthorFactory(name=factories.hostile("Author"))
    )
    credit = footer(soup(client, module.lessons[0].url)).select_one(".module-footer__author")
    assert credit.get_text(strip=True) == "Written by " + factories.hostile("Author")
    assert credit.script is None


def test_the_api_reads_the_author_as_name_and_bio(client, module):
    module.home.author.bio = "<p>Bio.</p>"
    module.home.author.save()
    for version in ["v2", "v3"]:
        data = client.get(f"/api/{version}/pages/{module.home.pk}/").json()
        assert data["author"] == {"name": "M Clark", "bio": "<p>Bio.</p>"}, version
    assert client.get("/api/v3/module/").json()["module"]["author"] == "M Clark"


def test_editing_the_author_snippet_once_changes_the_credit_on_every_lesson(admin_client, module):
    author = module.home.author
    url = reverse("wagtailsnippets_roles_author:edit", args=[author.pk])
    assert admin_client.get(url).status_code == 200
    data = {"name": "Morgan Clark", "bio": rich_text("<p>Writes about delivery.</p>")}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    for lesson in module.lessons:
        foot = footer(soup(admin_client, lesson.url))
        assert foot.select_one(".module-footer__author").get_text(strip=True) == (
            "Written by Morgan Clark"
        )
        assert "Writes about delivery." in foot.select_one(".module-footer__about").get_text()


def test_editors_choose_the_module_author_from_the_snippets(admin_client, module):
    other = factories.AuthorFactory(name="Sam Lee")
    data = edit_form_data(admin_client, module.home)
    data["author"] = str(other.pk)
    data["action-publish"] = "publish"
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[module.home.pk]), data)
    assert response.status_code == 302, response.content[:2000]
    foot = footer(soup(admin_client, module.lessons[0].url))
    assert foot.select_one(".module-footer__author").get_text(strip=True) == "Written by Sam Lee"


def test_the_loader_credits_the_files_author_as_a_snippet_reused_by_name():
    existing = factories.AuthorFactory(name="M Clark", bio="<p>Kept.</p>")
    call_command("load_module", verbosity=0)
    home = ModulePage.objects.get()
    assert home.author == existing
    assert Author.objects.count() == 1
    assert existing.bio == "<p>Kept.</p>"


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_each_module_author_string_into_a_snippet():
    module = build_module(lessons=1)
    home = module.home
    home.save_revision()  # a saved revision holds the author too
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([("roles", "0007_final_check")])
        with connection.cursor() as cursor:
            cursor.execute("SELECT author FROM roles_modulepage WHERE page_ptr_id = %s", [home.pk])
            assert cursor.fetchone() == ("M Clark",)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    home = ModulePage.objects.get(pk=home.pk)
    assert home.author.name == "M Clark"
    assert Author.objects.filter(name="M Clark").count() == 1
    assert home.get_latest_revision().as_object().author == home.author
