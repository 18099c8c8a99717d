"""The infographic: an SVG drawn from the published comparison, whatever its size."""

import pytest
from defusedxml import ElementTree as ET

from roles.comparison.infographic import CHAR
from tests import factories
from tests.conftest import soup
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


ELEMENTS = {f"{SVG}{name}" for name in ("svg", "title", "desc", "rect", "text", "tspan")}


def compact(text):
    """Text without whitespace: long words are wrapped over several lines."""
    return "".join(text.split())


def test_hostile_text_is_drawn_as_text_never_markup(client, module):
    """Script tags, quotes, ampersands and non-ASCII in the title, a role, an aspect and a
    cell: each is drawn as the same text, in the file and inlined in the module page, and the
    SVG has no element but its own."""
    home = module.home
    home.infographic_title = factories.hostile("Infographic")
    home.save_revision().publish()
    role = factories.RolePageFactory(parent=module.role_index, hostile=True)
    cell = factories.hostile("Cell")
    aspect = factories.AspectPageFactory(
        parent=module.comparison, hostile=True, statements={role: cell}
    )

    root = fetch(client, module)
    assert {el.tag for el in root.iter()} <= ELEMENTS
    assert root.find(f"{SVG}title").text == home.infographic_title
    description = root.find(f"{SVG}desc").text
    assert role.title in description and aspect.title in description  # names, rows
    drawn = [compact(text) for text in texts(root)]
    for text in (role.heading, aspect.title, cell):
        assert compact(text) in drawn, text

    inline = soup(client, home.url).select_one(".infographic svg")
    assert not inline.find_all(["script", "b", "img"])
    assert role.title in inline.desc.get_text()
    assert compact(cell) in compact(inline.get_text())
