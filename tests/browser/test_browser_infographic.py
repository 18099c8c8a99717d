"""The infographic measured in Chromium: with 2, 3 and 6 roles and 6 and 20 aspects, in both
layouts, every text stays inside its panel, no two panels overlap, and the narrow layout's
text is at least 12 px tall on a 360 px phone. Then the module page picks the layout that fits
the viewport and passes axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from roles.comparison.infographic import render_svg
from tests.conftest import build_module
from tests.test_infographic import aspect, comparison, role

pytestmark = pytest.mark.browser

NAMES = [
    ("Technical Program Manager", "Program", "blue"),
    ("Technical Project Manager", "Project", "orange"),
    ("Engineering Manager with a very long title indeed", "Engineering", "green"),
    ("Product Manager", "Product", "purple"),
    ("Scrum Master", "Scrum", "rose"),
    ("Solutions Architect", "Architecturalness", "teal"),
]
LONG = "Coordinates many interdependent workstreams across the whole organisation and its partners"

# Every <text> box against its panel's box, every pair of panels, the smallest font, all in
# CSS pixels as rendered (getBoundingClientRect), after the SVG is scaled to the page width.
MEASURE = """() => {
  const svg = document.querySelector('svg');
  const panels = {};
  for (const el of svg.querySelectorAll('[data-panel]'))
    panels[el.dataset.panel] = el.getBoundingClientRect();
  const outside = [];
  let smallest = Infinity;
  for (const t of svg.querySelectorAll('text')) {
    const box = t.getBoundingClientRect(), p = panels[t.dataset.inPanel];
    if (!p) { outside.push('no panel: ' + t.textContent); continue; }
    const eps = 0.5;
    if (box.left < p.left - eps || box.right > p.right + eps ||
        box.top < p.top - eps || box.bottom > p.bottom + eps)
      outside.push(t.dataset.inPanel + ': ' + t.textContent.slice(0, 50));
    smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) *
      svg.getBoundingClientRect().width / svg.viewBox.baseVal.width);
  }
  const ids = Object.keys(panels), overlaps = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) {
    const a = panels[ids[i]], b = panels[ids[j]];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
      overlaps.push(ids[i] + ' / ' + ids[j]);
  }
  const canvas = svg.getBoundingClientRect();
  const clipped = ids.filter(id => panels[id].bottom > canvas.bottom + 0.5 ||
                                   panels[id].right > canvas.right + 0.5);
  return {outside, overlaps, clipped, smallest, panels: ids.length};
}"""


def drawing(roles, aspects):
    rows = [
        aspect(
            n,
            title=f"Aspect {n}: how the role " + "spends its week " * (n % 3),
            icon="time",
            scale="Breadth of scope" if n % 2 == 0 else "",
            low="a single project",
            high="a portfolio of programs",
        )
        for n in range(aspects)
    ]
    people = [role(i, t, label, colour) for i, (t, label, colour) in enumerate(NAMES[:roles])]
    return comparison(
        people,
        rows,
        statement=LONG,
        value=lambda a, r: (a.pk + r.pk) % 5 + 1 if a.scale_label else None,
    )


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("roles", [2, 3, 6])
@pytest.mark.parametrize("aspects", [6, 20])
@pytest.mark.parametrize(("layout", "width"), [("wide", 1440), ("narrow", 390), ("narrow", 360)])
def test_nothing_overflows_or_overlaps_and_phone_text_is_legible(
    page, roles, aspects, layout, width
):
    page.set_viewport_size({"width": width, "height": 900})
    svg = render_svg(drawing(roles, aspects), layout)
    # The module page's frame: a little padding, the SVG at 100 % of what is left.
    page.set_content(
        "<!doctype html><body style='margin:0;padding:0 12px;font-family:sans-serif'>"
        f"<div style='max-width:75rem'><div style='width:100%'>{svg}</div></div></body>"
    )
    page.add_style_tag(content="svg{display:block;width:100%;height:auto}")
    result = page.evaluate(MEASURE)
    assert result["panels"] >= aspects + 2
    assert result["outside"] == []
    assert result["overlaps"] == []
    assert result["clipped"] == []
    if layout == "narrow":
        assert result["smallest"] >= 12, result["smallest"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("wagtail_root")
@pytest.mark.parametrize(("width", "shown"), [(360, "narrow"), (1440, "wide")])
def test_the_module_page_shows_the_layout_that_fits_and_passes_axe(
    live_server, browser, width, shown
):
    module = build_module()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + module.home.url)
    figure = page.locator("figure.infographic")
    visible = figure.locator("svg:visible")
    assert visible.count() == 1
    assert visible.get_attribute("data-layout") == shown
    scale = visible.evaluate(
        "svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width"
    )
    sizes = visible.evaluate(
        "svg => [...svg.querySelectorAll('text')]"
        ".map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert min(sizes) * scale >= 12, (min(sizes), scale)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert figure.locator("a[href='#table-heading']").count() == 1
    results = Axe().run(page, context={"include": [["figure.infographic"]]})
    assert results.violations_count == 0, results.generate_report()
    context.close()
