"""The infographic: an SVG drawn from the published comparison, in two layouts, and its
downloads (SVG, PNG at 1x and 2x), always in step with what was last published."""

from types import SimpleNamespace as NS

import pytest
from defusedxml import ElementTree as ET

from roles.comparison.icons import DRAWINGS, ICONS
from roles.comparison.infographic import LAYOUTS, render_svg, title_for
from roles.comparison.matrix import Cell, Comparison, Row
from tests import factories
from tests.page_cache import PURGED, page_cache  # noqa: F401

SVG = "{http://www.w3.org/2000/svg}"
db = pytest.mark.django_db


# --- stand-ins: a comparison without the database ------------------------------------------


def role(n, title=None, label=None, colour="blue"):
    return NS(pk=n, title=title or f"Role {n}", short_label=label or f"R{n}", colour=colour)


def aspect(n, title=None, scale="", low="", high="", icon="time"):
    return NS(
        pk=100 + n,
        title=title or f"Aspect {n}",
        icon=icon,
        scale_label=scale,
        scale_low=low,
        scale_high=high,
    )


def comparison(roles, aspects, statement="States this role's work", phrase=None, value=None):
    rows = [
        Row(
            a,
            [Cell(r, statement, phrase, value(a, r) if callable(value) else value) for r in roles],
        )
        for a in aspects
    ]
    return Comparison(roles=roles, rows=rows)


def parse(svg):
    return ET.fromstring(svg)


def texts(root):
    return [
        " ".join(t.text or "" for t in el.iter(f"{SVG}tspan")) for el in root.iter(f"{SVG}text")
    ]


def compact(text):
    return "".join(text.split())


def drawn(root):
    return compact(" ".join(texts(root)))


# --- what it shows --------------------------------------------------------------------------


def test_the_title_names_the_published_roles():
    assert title_for([role(1, "A")]) == "A"
    assert title_for([role(1, "A"), role(2, "B")]) == "A vs B"
    assert title_for([role(1, "A"), role(2, "B"), role(3, "C")]) == "A, B and C"
    root = parse(render_svg(comparison([role(1, "A"), role(2, "B")], [aspect(1)])))
    assert root.find(f"{SVG}title").text == "A vs B"
    assert "A vs B" in texts(root)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_phrase_is_drawn_and_without_one_the_statement_shortened(layout):
    long = "Coordinates many interdependent workstreams across the whole organisation for years"
    roles = [role(1), role(2)]
    rows = [
        Row(aspect(1), [Cell(roles[0], long, "Many projects, one goal"), Cell(roles[1], long)])
    ]
    found = texts(parse(render_svg(Comparison(roles=roles, rows=rows), layout)))
    assert "Many projects, one goal" in found
    shortened = rows[0].cells[1].short
    assert shortened.endswith("…") and len(shortened) <= 60
    assert compact(shortened) in compact(" ".join(found))
    assert compact(long) not in compact(" ".join(found))  # the full statement is the table's


@pytest.mark.parametrize("layout", LAYOUTS)
def test_aspects_without_any_published_role_are_drawn_empty_not_an_error(layout):
    """Every role private or unpublished: the page still answers (this was a 500)."""
    root = parse(render_svg(comparison([], [aspect(1, title="Scope")]), layout))

    assert "Scope" in texts(root)
    assert title_for([]) in texts(root)


def test_a_missing_statement_says_so():
    roles = [role(1), role(2)]
    rows = [Row(aspect(1), [Cell(roles[0], "Owns it"), Cell(roles[1], None)])]
    assert "No statement yet" in texts(parse(render_svg(Comparison(roles=roles, rows=rows))))


def scaled(n):
    return [aspect(i, scale="Breadth", low="one project", high="many") for i in range(n)]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_profile_chart_needs_three_scaled_aspects(layout):
    roles = [role(1), role(2)]
    three = parse(render_svg(comparison(roles, scaled(3), value=3), layout))
    two = parse(render_svg(comparison(roles, [*scaled(2), aspect(9)], value=3), layout))
    unvalued = parse(render_svg(comparison(roles, scaled(3), value=None), layout))
    panels = lambda root: {el.get("data-panel") for el in root.iter() if el.get("data-panel")}  # noqa: E731
    assert "profile" in panels(three)
    assert "profile" not in panels(two)
    assert "profile" not in panels(unvalued)  # a scale with no values is not a scale yet


def test_a_scale_is_drawn_with_its_value_and_end_words():
    roles = [role(1), role(2)]
    c = comparison(roles, scaled(1), value=lambda a, r: 2 if r.pk == 1 else 5)
    found = texts(parse(render_svg(c)))
    assert "2 of 5" in found and "5 of 5" in found  # in words as well as dots
    assert any("1 = one project" in t and "5 = many" in t for t in found)
    without = texts(parse(render_svg(comparison(roles, [aspect(1)], value=None))))
    assert not any("of 5" in t for t in without)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_role_is_named_in_words_and_every_aspect_has_its_icon(layout):
    roles = [role(n, label=f"Label{n}") for n in range(1, 7)]
    aspects = [aspect(n, icon=name) for n, name in enumerate(ICONS)]
    root = parse(render_svg(comparison(roles, aspects), layout))
    found = texts(root)
    for r in roles:
        assert r.short_label in found  # the legend's chip
        assert found.count(r.short_label.upper()) == len(aspects)  # each panel's column
    assert set(DRAWINGS) == set(ICONS)
    assert root.get("role") == "img"
    desc = root.find(f"{SVG}desc").text
    assert all(r.title in desc for r in roles) and all(a.title in desc for a in aspects)
    assert "table" in desc


def test_the_canvas_grows_with_the_aspects():
    roles = [role(1), role(2), role(3)]
    for layout in LAYOUTS:
        small = parse(render_svg(comparison(roles, scaled(2)), layout))
        big = parse(render_svg(comparison(roles, scaled(20)), layout))
        assert float(big.get("height")) > 5 * float(small.get("height"))
        assert big.get("width") == small.get("width") == str(LAYOUTS[layout]["width"])


@pytest.mark.parametrize("layout", LAYOUTS)
def test_hostile_text_in_every_field_is_drawn_as_text(layout):
    h = factories.hostile
    roles = [NS(pk=1, title=h("RoleTitle"), short_label=h("Lbl")[:40], colour='"><x'), role(2)]
    aspects = [
        aspect(
            n,
            title=h(f"Aspect{n}"),
            scale=h("Scale"),
            low=h("Low"),
            high=h("High"),
            icon='"><script>',
        )
        for n in range(3)
    ]
    c = comparison(roles, aspects, statement=h("Statement"), phrase=h("Phrase"), value=4)
    svg = render_svg(c, layout, id_prefix='a"b')
    root = parse(svg)  # well-formed
    assert "<script" not in svg
    assert root.find(f"{SVG}title").text.startswith(roles[0].title)
    all_text = drawn(root)
    for text in (roles[0].short_label, aspects[0].title, h("Phrase"), h("Low"), h("High")):
        assert compact(text) in all_text, text
    assert compact(h("Scale")) in all_text
