"""The module as an LMS package: what goes in, links that stay inside, the same bytes for the
same content, the command and the admin's export (issue 17)."""

import io
import posixpath
import re
import zipfile
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Page

from roles.lms.export import LOG_ACTION, build, exports
from roles.lms.package import FORMATS
from roles.lms.rendition import CSS_URL, render
from tests import factories
from tests.conftest import build_module

pytestmark = pytest.mark.django_db
MANIFESTS = {"scorm12": "imsmanifest.xml", "scorm2004": "imsmanifest.xml", "cmi5": "cmi5.xml"}
LINK = re.compile(r'(?:href|src|action)="([^"]*)"')


def quiet(message):
    pass


def unzip(package):
    archive = zipfile.ZipFile(io.BytesIO(package.data))
    return {name: archive.read(name) for name in archive.namelist()}


def lesson_file(page):
    return page.url.strip("/") + "/index.html"


@pytest.mark.parametrize("fmt", MANIFESTS)
def test_each_format_holds_the_module_its_runtime_and_its_manifest(module, fmt):
    files = unzip(build(fmt, report=quiet))
    assert {MANIFESTS[fmt], "index.html", "lms/launch.html", "lms/data.js"} <= set(files)
    for page in [*module.lessons, module.comparison, *module.roles, module.final_check]:
        assert lesson_file(page) in files, page
    # The self-assessment is a form the server scores: it stays on the site.
    assert lesson_file(module.assessment) not in files
    assert module.home.title in files["index.html"].decode()


def test_every_link_is_relative_and_leads_to_a_file_of_the_package(module):
    files = render(report=quiet).files
    checked = 0
    for name, body in files.items():
        if name.endswith(".css"):
            urls = CSS_URL.findall(body.decode())
        elif name.endswith(".html"):
            urls = LINK.findall(body.decode())
        else:
            continue
        for url in urls:
            assert not url.startswith(("/", "http:", "https:")), (name, url)
            path = url.split("#")[0]
            if path and not path.startswith("data:"):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
                assert target in files, (name, url)
                checked += 1
    assert checked > 50
    home = BeautifulSoup(files["index.html"], "html.parser")
    assert not home.select("link[rel=canonical], meta[property^='og:']")
    # The runtime comes before module.js, which reads the progress it restores.
    scripts = [s["src"] for s in home.find_all("script", src=True)]
    assert scripts.index("lms/lms.js") < scripts.index("static/js/module.js")


def test_drafts_private_and_unpublished_pages_never_go_in(module):
    factories.LessonPageFactory(parent=module.home, drafted="A draft title of a lesson")
    factories.LessonPageFactory(parent=module.home, private=True, title="A private lesson")
    factories.LessonPageFactory(parent=module.home, live=False, title="A never published lesson")
    factories.RolePageFactory(parent=module.role_index, live=False, title="A draft role")
    factories.CommentFactory(page=module.lessons[0], text="A pending comment")
    factories.CommentFactory(page=module.lessons[0], approved=True, text="An approved comment")
    files = render(report=quiet).files
    everything = b"".join(body for name, body in files.items() if not name.endswith(".png"))
    everything = everything.decode()
    # Comments stay on the site (an LMS has its own discussions), approved ones too.
    hidden = ("A draft title", "A private lesson", "A never published", "A draft role")
    for text in (*hidden, "A pending comment", "An approved comment", "Questions and comments"):
        assert text not in everything, text


def test_the_same_content_gives_the_same_bytes_and_a_publish_changes_them(module):
    first, again = build("scorm12", report=quiet), build("scorm12", report=quiet)
    assert first.data == again.data
    manifest = unzip(first)["imsmanifest.xml"].decode()
    assert first.content_hash in manifest and first.version in manifest

    lesson = module.lessons[0].get_latest_revision_as_object()
    lesson.title = "A renamed lesson"
    lesson.save_revision().publish()
    changed = build("scorm12", report=quiet)
    assert changed.data != first.data and changed.content_hash != first.content_hash
    assert changed.version > first.version
    assert "A renamed lesson" in unzip(changed)[lesson_file(lesson)].decode()


def test_the_command_writes_the_package_and_shows_each_step(module, tmp_path, capsys):
    target = tmp_path / "module.zip"
    call_command("export_module", format="cmi5", output=str(target))
    out = capsys.readouterr().out
    assert "Exporting the published module as cmi5 (xAPI)" in out
    assert "Rendering" in out and "rendered" in out and "Wrote" in out
    assert "cmi5.xml" in zipfile.ZipFile(target).namelist()


def test_the_command_says_why_when_there_is_nothing_to_export(db, tmp_path):
    with pytest.raises(CommandError, match="No published module"):
        call_command("export_module", format="scorm12", output=str(tmp_path / "m.zip"))
    factories.ModulePageFactory(parent=Page.get_first_root_node())
    with pytest.raises(CommandError, match="no published lesson"):
        call_command("export_module", format="scorm12", output=str(tmp_path / "m.zip"))
    with pytest.raises(CommandError, match="not a folder"):
        call_command("export_module", format="scorm12", output=str(tmp_path / "no" / "m.zip"))
    assert not (tmp_path / "m.zip").exists()


def test_moderators_export_from_the_admin_and_each_export_is_logged(
    module, moderator_client, moderator, editor_client
):
    url = reverse("lms_export")
    # Wagtail's admin answers a refusal by sending the user to the dashboard with a message.
    for refused in (editor_client.get(url), editor_client.post(url, {"format": "scorm12"})):
        assert (refused.status_code, refused["Location"]) == (302, reverse("wagtailadmin_home"))
    assert "Export for an LMS" not in editor_client.get(reverse("wagtailadmin_home")).text
    page = moderator_client.get(url)
    assert page.status_code == 200 and "No export yet." in page.text
    response = moderator_client.post(url, {"format": "scorm2004"})
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    package = zipfile.ZipFile(io.BytesIO(response.content))
    assert "imsmanifest.xml" in package.namelist()

    entry = exports().get()
    assert (entry.user, entry.action, entry.data["format"]) == (moderator, LOG_ACTION, "scorm2004")
    listing = moderator_client.get(url).text
    assert entry.data["content_hash"][:12] in listing
    history = moderator_client.get(reverse("wagtailadmin_reports:site_history")).text
    assert "Exported the module for an LMS" in history


def test_a_bad_format_is_refused_with_the_forms_message(module, moderator_client):
    response = moderator_client.post(reverse("lms_export"), {"format": "aicc"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not exports().exists()


# --- the real packages: the seed module and a large one --------------------------------------


def exported_manifests(fmt, rendition):
    package = build(fmt, report=quiet, rendition=rendition)
    archive = zipfile.ZipFile(io.BytesIO(package.data))
    return archive.read(MANIFESTS[fmt]), archive.namelist()


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["seed", "60 aspects x 10 roles x 30 lessons"])
def test_exported_packages_validate_and_list_every_file(size, request):
    if size == "seed":
        call_command("load_module", verbosity=0)
    else:
        build_module(roles=10, aspects=60, lessons=30)
    rendition = render(report=quiet)  # once: the three formats package the same files
    for fmt in FORMATS:
        manifest, names = exported_manifests(fmt, rendition)
        schema = request.getfixturevalue(f"{fmt}_schema")
        schema.validate(manifest.decode())
        if fmt != "cmi5":  # a SCORM manifest lists every file of the package but itself
            root = ElementTree.fromstring(manifest)  # noqa: S314 (our own manifest)
            listed = {unquote(tag.get("href")) for tag in root.iter() if tag.get("href")}
            assert listed >= set(names) - {MANIFESTS[fmt]}
