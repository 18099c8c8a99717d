"""Hostile text in every field stays text: on every public page, the cell history, the dated
table, the infographic SVG and the API.

The module is loaded from the project's own content file with an attack appended to every
text and rich-text value, so each field the loader fills is covered; change notes and a
second wording of a cell are added the way editors add them, through a published revision.
"""

import datetime
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Page

from roles.content.loader import DEFAULT_FILE
from roles.models import AspectPage, LessonPage, ModulePage, RolePage, SelfAssessmentPage
from tests import factories

pytestmark = pytest.mark.django_db

TEXT = "\"'><script>alert(1)</script><img src=x onerror=alert(1)>"
RICH = (
    "<p>Rich <script>alert(1)</script><img src=x onerror=alert(1)> "
    '<a href="javascript:alert(1)">a javascript: link</a> '
    '<a href="https://example.com/" onclick="alert(1)">a handler</a> '
    '<b onmouseover="alert(1)">bold</b></p>'
)
# Values the loader reads as references or short codes, not prose. (A hostile short label,
# 20 characters at most, is the factories' hostile trait: tests/test_look.py.)
NOT_PROSE = {
    *("slug", "role", "aspects", "abbreviation", "short_label", "colour", "published"),
    *("question_source", "source"),
}
ALLOWED_SCRIPTS = ("module.js", "checks.js", "completion.js")


def poison(value, key=None):
    """The content file's data with an attack appended to every piece of prose."""
    if isinstance(value, dict):
        return {k: v if k in NOT_PROSE else poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [poison(v, key) for v in value]
    if isinstance(value, str) and key not in NOT_PROSE:
        return value + RICH if value.lstrip().startswith("<") else value[:100] + TEXT
    return value


@pytest.fixture
def hostile_site(tmp_path):
    data = poison(yaml.safe_load(Path(DEFAULT_FILE).read_text()))
    path = tmp_path / "module.yaml"
    path.write_text(yaml.safe_dump(data))
    call_command("load_module", file=path, verbosity=0)
    # Editors' later changes: a change note on every page and a second wording of a cell.
    for page in Page.objects.live().specific().exclude(depth=1):
        revision = page.get_latest_revision_as_object()
        revision.change_note = "Note " + TEXT
        if isinstance(revision, AspectPage):
            revision.statements.first().statement = "Reworded " + TEXT
        revision.save_revision().publish()
    # Learners' words, approved with a reply: plain text that must stay text everywhere.
    for page in Page.objects.live().type(LessonPage, ModulePage):
        factories.CommentFactory(page=page, approved=True, hostile=True)
        factories.CommentFactory(page=page, approved=True, text=TEXT, reply="Reply " + TEXT)
    return Page.objects.live().specific().exclude(depth=1)


def javascript_url(value):
    # Browsers ignore whitespace and control characters before the scheme.
    return "".join(ch for ch in str(value) if ch > " ").lower().startswith("javascript:")


def assert_inert(html, where):
    """Nothing in ``html`` would run: only the site's own scripts, no handlers, no js: URLs."""
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script")
    for script in scripts:
        if script.get("type") == "application/ld+json":
            json.loads(script.string)  # a "</script>" breakout would cut it short
        else:
            assert script.get("src", "").endswith(ALLOWED_SCRIPTS), (where, str(script)[:200])
    # The parser ends a script at the first "</script>": count the raw tags as well.
    assert html.lower().count("<script") == len(scripts), where
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), (where, str(tag)[:200])
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                assert not javascript_url(value), (where, str(tag)[:200])


def assert_inert_svg(svg, where):
    for element in ET.fromstring(svg).iter():  # noqa: S314 - our own output, under test
        assert not element.tag.lower().endswith(("script", "foreignobject")), where
        for name, value in element.attrib.items():
            assert not name.split("}")[-1].lower().startswith("on"), (where, name)
            assert not javascript_url(value), (where, name)


def assert_inert_json(response, where):
    """JSON is data: hostile titles are fine as strings, but rich text inside must be inert."""
    assert response["Content-Type"].startswith("application/json"), where
    assert response["X-Content-Type-Options"] == "nosniff"

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.lstrip().startswith(("<p", "<ul", "<ol")):
            assert_inert(value, where)

    walk(response.json())


def public_urls(pages):
    today = datetime.date.today().isoformat()
    comparison = next(p for p in pages if p.specific_class.__name__ == "ComparisonPage")
    lesson = LessonPage.objects.live().first()
    check = next(b for b in lesson.body if b.block_type == "knowledge_check")
    assessment = SelfAssessmentPage.objects.live().first()
    answers = "&".join(f"q-{q.id}=0" for q in assessment.questions)
    urls = [page.url for page in pages]
    urls += [
        f"{comparison.url}?as_of={today}",
        f"{comparison.url}?as_of=not-a-date{TEXT}",
        f"{lesson.url}?check={check.id}&answer=1",
        f"{assessment.url}?{answers}",
        f"{assessment.url}?q-unknown=1",
        "/search/?q=alert",
        f"/search/?q={TEXT}",
    ]
    for aspect in AspectPage.objects.live():
        for role in RolePage.objects.live():
            urls.append(f"{comparison.url}history/{aspect.pk}/{role.pk}/")
    return comparison, urls


def test_every_public_page_renders_hostile_content_as_text(client, hostile_site):
    comparison, urls = public_urls(hostile_site)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 400), url
        assert_inert(response.content.decode(), url)
    # A learner's comment and its reply: shown, as text, and their links are no links.
    lesson = LessonPage.objects.live().first()
    shown = BeautifulSoup(client.get(lesson.url).content, "html.parser").select_one("#comments")
    assert TEXT in shown.get_text() and "Reply " + TEXT in shown.get_text()
    assert "https://spam.example/x" in shown.get_text() and not shown.select(".comment a")
    # The attack is shown, as text: the field was really filled and rendered.
    assert TEXT in BeautifulSoup(client.get(comparison.url).content, "html.parser").get_text()

    svg = client.get(f"{comparison.url}infographic/").content.decode()
    assert_inert_svg(svg, "infographic")
    assert "alert(1)" in svg  # drawn, escaped


def test_the_api_returns_hostile_content_as_data(client, hostile_site):
    urls = ["/api/v3/module/", "/api/v3/comparison/"]
    for model in (LessonPage, RolePage, AspectPage, SelfAssessmentPage):
        urls.append(f"/api/v2/pages/?type={model._meta.label}&fields=*&limit=20")
    for page in hostile_site:
        urls += [f"/api/v2/pages/{page.pk}/", f"/api/v3/pages/{page.pk}/"]
        if isinstance(page, LessonPage | ModulePage):
            urls.append(f"/api/v3/comments/?page={page.pk}")
        urls.append(f"/api/v3/pages/{page.pk}/?rich_text_format=html")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert_json(response, url)


def test_the_admin_shows_hostile_comments_as_text(admin_client, hostile_site):
    from django.urls import reverse

    from roles.models import Comment

    comment = Comment.objects.filter(name__contains="<script>").first()
    listing = reverse("wagtailsnippets_roles_comment:list")
    edit = reverse("wagtailsnippets_roles_comment:edit", args=[comment.pk])
    for url in (listing, edit, reverse("wagtailadmin_home")):
        html = admin_client.get(url).content.decode()
        assert '<script>alert("Name' not in html and '<script>alert("Comment' not in html, url
    assert "&lt;script&gt;alert(" in admin_client.get(listing).content.decode()
