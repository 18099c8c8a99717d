"""The module's look and identity: role chips and colours, dates, the revision history kept
out of the way, the favicon, the site's own 404 under `make run`, and canonical URLs there."""

import importlib
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings
from django.urls import clear_url_caches, reverse
from wagtail.models import Site

from roles.comparison.palette import ROLE_COLOURS
from roles.management.commands import prepare_site
from tests import factories
from tests.conftest import edit_form_data, soup
from tests.test_api_writes import problem, write

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def admin_errors(response):
    """The messages the admin's edit form shows next to its fields."""
    from bs4 import BeautifulSoup

    html = BeautifulSoup(response.content, "html.parser")
    return " ".join(html.select_one("main").get_text(" ").split())


def post_edit(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


# Short labels and colours: one rule, in the admin and the API.


def test_the_admin_refuses_a_short_label_another_published_role_has(admin_client, module):
    program, project = module.roles
    data = edit_form_data(admin_client, project)
    data["short_label"] = program.short_label.upper()  # case makes no difference to a reader
    data["action-publish"] = "publish"
    response = post_edit(admin_client, project, data)
    assert response.status_code == 200  # the form comes back with the error
    message = f"“{program.short_label.upper()}” is already the short label of {program.title}."
    assert message in admin_errors(response)
    project.refresh_from_db()
    assert project.short_label != program.short_label.upper()

    data["short_label"] = "Project"  # positive control: a label no one has is saved
    assert post_edit(admin_client, project, data).status_code == 302
    project.refresh_from_db()
    assert project.short_label == "Project"


def test_the_admin_refuses_a_colour_another_published_role_has(admin_client, module):
    program, project = module.roles
    data = edit_form_data(admin_client, project)
    data["colour"] = program.colour
    data["action-publish"] = "publish"
    response = post_edit(admin_client, project, data)
    assert response.status_code == 200
    name = ROLE_COLOURS[program.colour][0]
    assert f"{name} is already the colour of {program.title}." in admin_errors(response)

    free = next(key for key in ROLE_COLOURS if key not in {program.colour, project.colour})
    data["colour"] = free
    assert post_edit(admin_client, project, data).status_code == 302
    project.refresh_from_db()
    assert project.colour == free


def test_an_unpublished_role_does_not_hold_its_label_or_colour(admin_client, module):
    program, project = module.roles
    # A colour no published role has (the factory deals colours out in turn across tests).
    free = next(key for key in ROLE_COLOURS if key not in {program.colour, project.colour})
    hidden = factories.RolePageFactory(
        parent=module.role_index, live=False, short_label="Product", colour=free
    )
    assert not hidden.live
    data = edit_form_data(admin_client, project)
    data["short_label"], data["colour"] = "Product", free
    data["action-publish"] = "publish"
    assert post_edit(admin_client, project, data).status_code == 302
    project.refresh_from_db()
    assert (project.short_label, project.colour) == ("Product", free)


def test_the_api_refuses_a_clash_with_the_same_message(client, module, moderator):
    program, project = module.roles
    path = f"/api/v3/pages/{project.pk}/"
    body = {"short_label": program.short_label, "colour": program.colour}
    answer = problem(write(client, moderator, "patch", path, body), 422)
    text = json.dumps(answer, ensure_ascii=False)
    assert f"“{program.short_label}” is already the short label of {program.title}." in text
    assert f"{ROLE_COLOURS[program.colour][0]} is already the colour of {program.title}." in text

    body = {"short_label": "Project"}  # positive control; a PATCH without colour keeps it
    assert write(client, moderator, "patch", path, body).status_code == 200


def test_the_api_reads_short_label_and_colour(client, module):
    roles = client.get("/api/v3/comparison/").json()["roles"]
    assert [(r["short_label"], r["colour"]) for r in roles] == [
        (role.short_label, role.colour) for role in module.roles
    ]


def test_the_palette_is_the_stylesheets_role_colours(subtests):
    """The palette is defined in Python; the stylesheet repeats each hex for its chip class
    (the site's CSP allows no inline styles), and must repeat it exactly."""
    css = (ROOT / "static/css/module.css").read_text()
    for key, (_name, hex_value) in ROLE_COLOURS.items():
        with subtests.test(colour=key):
            rule = re.search(rf"\.role-chip--{key}, \.role-col--{key} {{ --role: (#\w+); }}", css)
            assert rule and rule.group(1) == hex_value


# What learners see.


def test_roles_are_told_apart_by_title_and_chip_everywhere(client, module):
    program, project = module.roles
    pages = {
        "table": (module.comparison.url, "table.comparison thead th"),
        "module cards": (module.home.url, "#roles-heading + .cards .card"),
        "role index cards": (module.role_index.url, ".cards .card"),
    }
    for name, (url, selector) in pages.items():
        html = soup(client, url)
        for role, header in zip([program, project], html.select(selector)[-2:], strict=True):
            chip = header.select_one(".role-chip")
            assert chip, f"{name}: no chip for {role.title}"
            assert chip.get_text() == role.short_label, name
            assert f"role-chip--{role.colour}" in chip["class"], name
            assert role.title in header.get_text(" "), name
            assert f"({role.abbreviation})" not in header.get_text(" "), name
    header = soup(client, program.url).select_one("h1")
    assert header.select_one(f".role-chip--{program.colour}").get_text() == program.short_label
    # On phones each cell is labelled with its role, in the role's colour.
    cell = soup(client, module.comparison.url).select_one("table.comparison tbody td")
    assert cell["data-label"] == program.title
    assert f"role-col--{program.colour}" in cell["class"]


def test_a_role_without_a_short_label_has_no_empty_chip(client, module):
    role = module.roles[0]
    role.short_label = ""
    role.save_revision().publish()
    headers = soup(client, module.comparison.url).select("table.comparison thead th")
    assert headers[1].select_one(".role-chip") is None
    assert headers[2].select_one(".role-chip") is not None  # the other role keeps its chip


def test_a_short_label_is_shown_as_text_never_markup(client, module):
    role = factories.RolePageFactory(parent=module.role_index, hostile=True)
    assert role.short_label.startswith("<b>")
    for url in [module.comparison.url, module.role_index.url, role.url]:
        chips = soup(client, url).select(".role-chip")
        assert role.short_label in [chip.get_text() for chip in chips], url
        assert not [chip for chip in chips if chip.find("b")], url


def test_the_infographic_heads_each_column_with_the_roles_colour_and_label(client, module):
    svg = client.get(f"{module.comparison.url}infographic/").content.decode()
    for role in module.roles:
        hex_value = ROLE_COLOURS[role.colour][1]
        assert f'fill="{hex_value}"' in svg
        assert f">{role.short_label.upper()}</tspan>" in svg


def test_pages_show_when_they_were_first_published_and_last_updated(client, module):
    pages = [module.home, module.comparison, module.aspects[0], module.roles[0], module.lessons[0]]
    for page in pages:
        dates = soup(client, page.url).select_one(".page-header .page-dates")
        assert dates, page.url
        text = " ".join(dates.get_text(" ").split())
        first = page.first_published_at.strftime("%b %-d, %Y")
        assert f"First published {first}" in text, page.url
        assert "Last updated" in text, page.url


def test_revision_history_is_one_closed_disclosure_and_the_table_has_no_history_links(
    client, module
):
    aspect, role = module.aspects[0], module.roles[0]
    html = soup(client, module.comparison.url)
    assert not html.select("table.comparison a.cell-history")
    assert "History" not in html.select_one("table.comparison").get_text()
    disclosures = html.select("details.revision-history")
    assert len(disclosures) == 1 and not disclosures[0].has_attr("open")
    history = disclosures[0]
    assert history.select_one("summary").get_text(strip=True) == "Revision history"
    assert history.select_one(".page-history li")  # the page's own changes
    assert history.select_one("form.as-of input[name=as_of]")  # the dated table
    cell = history.select_one(f'a.cell-history[href$="/history/{aspect.pk}/{role.pk}/"]')
    assert cell and client.get(cell["href"]).status_code == 200

    # Asking for a dated table opens the disclosure, so the form is in view again.
    dated = soup(client, f"{module.comparison.url}?as_of=2000-01-01")
    assert dated.select_one("details.revision-history").has_attr("open")

    # The module page's recent changes, and an aspect's statement histories, inside theirs.
    home = soup(client, module.home.url).select("details.revision-history")
    assert len(home) == 1 and home[0].select_one(".page-history li a")
    aspect_page = soup(client, aspect.url).select("details.revision-history")
    assert len(aspect_page) == 1
    links = aspect_page[0].select("a.cell-history")
    assert [link.get_text(" ", strip=True) for link in links] == [
        f"History of this statement for {r.title}" for r in module.roles
    ]
    assert links[0]["href"].endswith(f"/history/{aspect.pk}/{role.pk}/")


# The site around the pages.


def test_the_favicon_is_linked_and_served(client, module):
    icon = soup(client, module.home.url).select_one('link[rel="icon"]')
    assert icon["type"] == "image/svg+xml"
    assert icon["href"] == static("favicon.svg")
    # The file the address names (served by WhiteNoise, which the test settings leave out).
    assert "<svg" in Path(finders.find("favicon.svg")).read_text()
    redirect = client.get("/favicon.ico")
    assert redirect.status_code == 302 and redirect["Location"] == icon["href"]


@pytest.fixture
def dev_urls(settings):
    """The URLs as `make run` builds them: DEBUG off (settings/dev.py), media served."""
    settings.DEBUG = False
    settings.SERVE_MEDIA = True
    import tpmsite.urls

    importlib.reload(tpmsite.urls)
    clear_url_caches()
    yield
    importlib.reload(tpmsite.urls)
    clear_url_caches()


def test_make_run_shows_the_sites_own_404_not_djangos_debug_page(client, module, dev_urls):
    from tpmsite.settings import dev

    assert dev.DEBUG is False  # unless DEBUG=1 is set
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in dev.MIDDLEWARE
    assert dev.WHITENOISE_USE_FINDERS  # static files without collectstatic, without DEBUG
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = soup(client, "/no-such-page/", status=404)
    assert html.select_one("h1").get_text() == "Page not found"
    assert "Technical 404" not in response.content.decode()  # Django's debug 404's wording
    # Positive control: a page that exists is served.
    assert client.get(module.home.url).status_code == 200


def test_dev_settings_turn_debug_on_only_when_asked(monkeypatch):
    from tpmsite.settings import dev

    monkeypatch.setenv("DEBUG", "1")
    assert importlib.reload(dev).DEBUG is True
    monkeypatch.delenv("DEBUG")
    assert importlib.reload(dev).DEBUG is False


def test_prepare_site_points_canonical_and_sitemap_urls_at_the_served_port(
    client, module, monkeypatch
):
    # Only the command's own step: migrating and loading the seed module are tested elsewhere.
    monkeypatch.setattr(prepare_site, "call_command", lambda *args, **kwargs: None)
    call_command("prepare_site", "--port", "8123", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    canonical = soup(client, module.roles[0].url).select_one('link[rel="canonical"]')["href"]
    assert canonical.startswith("http://127.0.0.1:8123/")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://127.0.0.1:8123/</loc>" in sitemap

    call_command("prepare_site", verbosity=0)  # without --port: left alone
    assert Site.objects.get(is_default_site=True).port == 8123


@override_settings(DEBUG=False)
def test_the_500_page_is_the_sites_own():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and 'href="/static/css/module.css"' in html
