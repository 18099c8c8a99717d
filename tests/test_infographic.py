"""The infographic: an SVG drawn from the published comparison, whatever its size."""

import pytest
from defusedxml import ElementTree as ET

from roles.comparison import build_comparison
from roles.infographic import CHAR, render_svg
from tests import factories
from tests.test_history import republish

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def texts(root):
    """Each <text> element's lines, joined as a reader would read them."""
    return [
        " ".join(t.text or "" for t in el.iter(f"{SVG}tspan")) for el in root.iter(f"{SVG}text")
    ]


def fetch(client, module):
    response = client.get(f"{module.comparison.url}infographic/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    return ET.fromstring(response.content)


def test_the_svg_is_valid_titled_and_shows_every_published_statement(client, module):
    root = fetch(client, module)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text
    assert "compare on" in root.find(f"{SVG}desc").text
    drawn = texts(root)
    for role in module.roles:
        assert role.heading in drawn  # one column header per role
    for aspect in module.aspects:
        assert aspect.title in drawn
        for statement in aspect.statements.all():
            assert statement.statement in drawn


def test_it_changes_when_a_statement_is_published(client, module):
    aspect, role = module.aspects[0], module.roles[0]
    republish(aspect, statements={role.pk: "A freshly published wording"})
    assert "A freshly published wording" in texts(fetch(client, module))
    assert "A freshly published wording" in client.get(module.home.url).content.decode()


def test_three_roles_and_long_statements_wrap_inside_their_columns(client, module):
    third = factories.RolePageFactory(parent=module.role_index, title="Engineering Manager")
    long_text = "Coordinates " + "many interdependent workstreams " * 12
    factories.AspectPageFactory(parent=module.comparison, statements={third: long_text})
    root = fetch(client, module)
    headers = [t for t in texts(root) if t in {r.heading for r in [*module.roles, third]}]
    assert len(headers) == 3
    width = float(root.get("width"))
    for el in root.iter(f"{SVG}text"):
        x = float(el.get("x"))
        for span in el.iter(f"{SVG}tspan"):
            assert x + len(span.text or "") * CHAR <= width, span.text
    assert " ".join(long_text.split()) in texts(root)


def test_text_is_escaped_never_markup(db):
    role = type("R", (), {"heading": "<script>alert(1)</script>", "title": "R", "pk": 1})()
    comparison = build_comparison(aspects=[], roles=[role])
    svg = render_svg(comparison, 'A "title" & <b>more</b>')
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}script") is None
    assert "<script>alert(1)</script>" in texts(root)
