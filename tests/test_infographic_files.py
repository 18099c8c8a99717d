"""The infographic as files and on the module page: SVG and PNG downloads at their own
addresses, the layouts chosen by address or parameter, escaping on the page and in the file,
and every file in step with the last publish through the page cache (the drawing itself is
test_infographic.py)."""

import struct

import pytest

from roles.comparison.icons import DRAWINGS
from tests import factories
from tests.conftest import soup
from tests.page_cache import PURGED, page_cache  # noqa: F401
from tests.test_history import republish
from tests.test_infographic import SVG, compact, drawn, parse, texts

db = pytest.mark.django_db


# --- the files --------------------------------------------------------------------------------


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@db
@pytest.mark.parametrize(
    ("suffix", "layout", "scale"),
    [
        ("png/", "wide", 1),
        ("png/2x/", "wide", 2),
        ("narrow/png/2x/", "narrow", 2),
        ("png/?scale=2&layout=narrow", "narrow", 2),
    ],
)
def test_the_png_download_is_a_real_png_of_the_svgs_size(client, module, suffix, layout, scale):
    base = f"{module.comparison.url}infographic/"
    svg = parse(client.get(f"{base}?layout={layout}").content)
    response = client.get(base + suffix)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert (
        "attachment" in response["Content-Disposition"]
        and ".png" in response["Content-Disposition"]
    )
    width, height = png_size(response.content)
    assert (width, height) == (int(svg.get("width")) * scale, int(svg.get("height")) * scale)


@db
def test_the_layout_is_chosen_by_address_or_parameter_and_a_bad_one_is_refused(client, module):
    base = f"{module.comparison.url}infographic/"
    widths = {}
    for url in (
        base,
        f"{base}?layout=wide",
        f"{base}wide/",
        f"{base}?layout=narrow",
        f"{base}narrow/",
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("image/svg")
        widths[url] = parse(response.content).get("width")
    assert widths[base] == widths[f"{base}wide/"] == "1200"
    assert widths[f"{base}narrow/"] == widths[f"{base}?layout=narrow"] == "360"
    for bad in (f"{base}?layout=tall", f"{base}png/?scale=3", f"{base}png/?scale=x"):
        response = client.get(bad)
        assert response.status_code == 400, bad
        assert "use" in response.content.decode()
    assert client.get(f"{base}tall/").status_code == 404


@db
def test_the_module_page_embeds_both_layouts_and_links_the_table_and_downloads(client, module):
    page = soup(client, module.home.url)
    figure = page.select_one("figure.infographic")
    assert figure.select_one(".infographic__wide svg")["data-layout"] == "wide"
    assert figure.select_one(".infographic__narrow svg")["data-layout"] == "narrow"
    ids = [el["id"] for el in figure.select("[id]")]
    assert len(ids) == len(set(ids))  # two drawings, no clashing title ids
    assert figure.select_one('a[href="#table-heading"]')
    links = {a.get_text(): a["href"] for a in figure.select(".infographic__downloads a")}
    for href in links.values():
        assert client.get(href).status_code == 200, href
    assert {"SVG", "PNG", "PNG 2×"} <= set(links)


@db
def test_hostile_role_and_aspect_are_escaped_on_the_page_and_in_the_file(client, module):
    role = factories.RolePageFactory(parent=module.role_index, hostile=True)
    cell = factories.hostile("Cell")
    aspect_page = factories.AspectPageFactory(
        parent=module.comparison, hostile=True, statements={role: cell}
    )
    root = parse(client.get(f"{module.comparison.url}infographic/").content)
    assert (
        role.title in root.find(f"{SVG}desc").text
        and aspect_page.title in root.find(f"{SVG}desc").text
    )
    assert compact(aspect_page.title) in drawn(root)
    inline = soup(client, module.home.url).select_one(".infographic svg")
    assert not inline.find_all(["script", "b", "img"])
    assert role.title in inline.desc.get_text()


# --- in step with publishing, through the page cache -------------------------------------------


@db
def test_a_publish_shows_in_the_next_svg_and_png_through_the_page_cache(client, module):
    base = f"{module.comparison.url}infographic/"
    aspect_page, first = module.aspects[0], module.roles[0]
    for url in (base, f"{base}png/2x/"):
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"
    png_before = client.get(f"{base}png/2x/").content

    republish(aspect_page, statements={first.pk: "A freshly published wording"})
    response = client.get(base)
    assert response["X-Page-Cache"] == "miss"
    assert "Afreshlypublishedwording" in drawn(parse(response.content))

    republish(first, short_label="Renamed", colour="teal")
    response = client.get(base)
    assert response["X-Page-Cache"] == "miss"
    assert "Renamed" in texts(parse(response.content))
    assert "#00646f" in response.content.decode()  # teal, the new colour
    png = client.get(f"{base}png/2x/")
    assert png["X-Page-Cache"] == "miss" and png.content != png_before


@db
def test_a_published_phrase_value_or_icon_shows_in_the_next_svg(client, module):

    url = f"{module.comparison.url}infographic/"
    aspect_page = module.aspects[0]
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert DRAWINGS["risk"] not in client.get(url).content.decode()

    draft = aspect_page.get_latest_revision_as_object()
    rows = list(draft.statements.all())
    rows[0].phrase, rows[0].value = "Freshly phrased", 4
    draft.statements, draft.icon, draft.scale_label = rows, "risk", "How risky"
    draft.save_revision().publish()

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    svg = response.content.decode()
    assert "Freshlyphrased" in drawn(parse(response.content))
    assert "4 of 5" in texts(parse(response.content))
    assert DRAWINGS["risk"] in svg and "How risky" in svg


@db
def test_every_download_address_is_purged_on_publish(module):
    paths = module.comparison.specific.get_cached_paths()
    for suffix in (
        "/infographic/",
        "/infographic/narrow/",
        "/infographic/png/",
        "/infographic/png/2x/",
        "/infographic/narrow/png/2x/",
    ):
        assert suffix in paths
    PURGED.clear()
    republish(module.aspects[0], statements={module.roles[0].pk: "Changed"})
    from tests.test_cache_changes import commit

    commit()
    assert any(url.endswith("/infographic/png/2x/") for url in PURGED), PURGED
