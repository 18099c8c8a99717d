"""Lessons read in tree order, with 'Lesson N of M', previous/next and embedded comparisons."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests import factories
from tests.conftest import soup

pytestmark = pytest.mark.django_db


def pager(client, lesson):
    page = soup(client, lesson.url)
    prev = page.select_one("a[rel=prev]")
    nxt = page.select_one("a[rel=next]")
    return (
        page.select_one(".eyebrow").get_text(strip=True),
        prev["href"] if prev else None,
        nxt["href"] if nxt else None,
    )


def test_lessons_number_themselves_and_link_in_tree_order(client, module):
    first, second, third = module.lessons
    assert pager(client, first) == ("Lesson 1 of 3", None, second.url)
    assert pager(client, second) == ("Lesson 2 of 3", first.url, third.url)
    assert pager(client, third) == ("Lesson 3 of 3", second.url, None)


def test_the_last_lesson_leads_to_the_final_check_or_back_to_the_module(client, module):
    last = module.lessons[-1]
    assert soup(client, last.url).select_one(".pager__next")["href"] == module.final_check.url
    module.final_check.unpublish()
    assert soup(client, last.url).select_one(".pager__next")["href"] == module.home.url


def test_the_module_lists_lessons_in_order(client, module):
    links = [a["href"] for a in soup(client, module.home.url).select(".lesson-list a")]
    assert links == [lesson.url for lesson in module.lessons]


def test_moving_a_lesson_renumbers_every_lesson(client, module):
    first, second, third = module.lessons
    third.move(first, pos="left")
    assert pager(client, third) == ("Lesson 1 of 3", None, first.url)
    assert pager(client, second)[0] == "Lesson 3 of 3"


def test_unpublished_and_draft_lessons_are_skipped(client, module):
    first, second, third = module.lessons
    second.unpublish()
    factories.LessonPageFactory(parent=module.home, live=False)
    assert pager(client, first) == ("Lesson 1 of 2", None, third.url)
    assert pager(client, third) == ("Lesson 2 of 2", first.url, None)


def test_reading_time_grows_with_the_text(module):
    lesson = module.lessons[0]
    assert lesson.reading_minutes == 1
    words = " ".join(["word"] * 1001)
    lesson.body = [{"type": "paragraph", "value": f"<p>{words}</p>"}]
    assert lesson.reading_minutes == 6  # 1001 words at 200 a minute, rounded up


def test_an_embedded_comparison_renders_the_chosen_aspects_live_statements(client, module):
    aspect = module.aspects[1]
    lesson = factories.LessonPageFactory(
        parent=module.home,
        body=[
            {"type": "comparison", "value": {"caption": "Chosen", "aspects": [aspect.pk]}},
        ],
    )
    table = soup(client, lesson.url).select_one("table.comparison")
    assert table.caption.get_text(strip=True) == "Chosen"
    assert [th.get_text(strip=True) for th in table.select("tbody th")] == [aspect.title]
    assert f"{module.roles[0].title} on aspect 1" in table.get_text()

    rows = list(aspect.statements.all())
    rows[0].statement = "Republished wording"
    aspect.statements = rows
    aspect.save_revision().publish()
    assert "Republished wording" in soup(client, lesson.url).select_one("table").get_text()

    aspect.unpublish()
    assert soup(client, lesson.url).select_one("table.comparison") is None


def test_lesson_blocks_render_headings_and_takeaways(client, module):
    page = soup(client, module.lessons[0].url)
    assert [h.get_text() for h in page.select(".lesson__body h2")] == [
        f"{module.lessons[0].title} in brief"
    ]
    assert page.select_one("aside.takeaway .takeaway__title").get_text() == "Key takeaway"


def test_a_lesson_previewed_in_the_admin_shows_its_comparison_table(admin_client, module):
    """The table of a comparison block is prepared by the lesson (blocks read no tables
    themselves); the admin's preview of a draft goes through the same preparation."""
    aspect = module.aspects[0]
    lesson = factories.LessonPageFactory(parent=module.home)
    lesson.body = [("comparison", {"caption": "Draft caption", "aspects": [aspect]})]
    lesson.save_revision()
    url = reverse("wagtailadmin_pages:view_draft", args=[lesson.pk])
    table = BeautifulSoup(admin_client.get(url).content, "html.parser").select_one("table")
    assert table.caption.get_text(strip=True) == "Draft caption"
    assert [th.get_text(strip=True) for th in table.select("tbody th")] == [aspect.title]
    assert f"{module.roles[0].title} on aspect 0" in table.get_text()
