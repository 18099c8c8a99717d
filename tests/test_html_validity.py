"""The Nu HTML Checker (vnu.jar from the npm package vnu-jar) finds no errors on any public
page, including search results, the as-of table, a quiz result and the 404 page."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from wagtail.models import Page

from tests import factories

pytestmark = pytest.mark.django_db

VNU = (
    Path(__file__).resolve().parent.parent
    / "node_modules"
    / "vnu-jar"
    / "build"
    / "dist"
    / "vnu.jar"
)


@pytest.fixture(scope="module")
def vnu():
    java = shutil.which("java")
    if not (java and VNU.exists()):
        message = "the Nu HTML Checker needs Java and node_modules/vnu-jar (make test installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-jar", str(VNU)]


def public_pages(client, module):
    """Every published page, then the pages made by queries and form submissions."""
    scenario = factories.scenario([(role, f"{role.title} in practice.") for role in module.roles])
    lesson = factories.LessonPageFactory(
        parent=module.home, body=[factories.knowledge_check(), scenario]
    )
    factories.CareerPathPageFactory(  # a fork: "either ... or ..." branches in one step
        parent=module.career_index, steps=[("A", None), ("B", None), ("C", None, True)]
    )
    pages = {p.url: client.get(p.url) for p in Page.objects.live().specific().exclude(depth=1)}
    pages["search"] = client.get("/search/?q=aspect")
    pages["as-of"] = client.get(f"{module.comparison.url}?as_of=2025-03-05")
    pages["bad-as-of"] = client.get(f"{module.comparison.url}?as_of=nonsense")
    pages["cell-history"] = client.get(
        f"{module.comparison.url}history/{module.aspects[0].pk}/{module.roles[0].pk}/"
    )
    pages["404"] = client.get("/no-such-page/")
    pages["check-result"] = client.get(lesson.url, {"check": lesson.body[0].id, "answer": "1"})
    quiz = module.assessment
    answers = {f"q-{q.id}": "0" for q in quiz.questions}
    pages["quiz-result"] = client.get(quiz.url, answers)
    pages["quiz-errors"] = client.get(quiz.url, {"q-unknown": "0"})
    tie = {f"q-{q.id}": str(n) for n, q in enumerate(quiz.questions)}  # 0, 1, 2: a tie
    pages["quiz-tie"] = client.get(quiz.url, tie)
    pages["search-passage"] = client.get("/search/?q=Senior+role")
    final = module.final_check
    pages["final-summary"] = client.get(final.url + "summary/")
    pages["final-result"] = client.get(final.url, {f"q-{lesson.pk}-{lesson.body[0].id}": "0"})
    pages["final-errors"] = client.get(final.url, {"q-unknown": "0"})
    return pages


def test_every_public_page_is_valid_html(client, module, vnu, tmp_path):
    files = []
    for n, (name, response) in enumerate(public_pages(client, module).items()):
        assert response["Content-Type"].startswith("text/html"), name
        path = tmp_path / f"page-{n}.html"
        path.write_bytes(response.content)
        files.append((path, name))
    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", *[str(p) for p, _ in files]],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    names = {p.name: name for p, name in files}
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{names.get(Path(m.get('url', '')).name, m.get('url'))}:{m.get('lastLine')}: "
        f"{m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert len(files) >= 15
    assert errors == []
