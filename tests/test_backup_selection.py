"""What a backup holds and how it is written (tpmsite/ops/backup.py), on a few rows: every model it
promises and none it leaves out, the manifest an operator and restore read, references by
name only where ids differ between databases, and no half-written file."""

import datetime
import hashlib
import io
import json
import re
import tarfile

import django
import pytest
import tpmsite.ops.backup as backup_module
import wagtail
import wagtail_factories
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from tpmsite.ops.backup import BackupError, backed_up_models, backup
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.users.models import UserProfile

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(db):
    """A row in every app a backup promises to hold, and two stored files."""
    editor = factories.UserFactory(groups=["Editors"])
    editor.date_joined = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)
    editor.save()
    UserProfile.get_for_user(editor)
    root = Page.get_first_root_node()
    lesson = factories.LessonPageFactory(parent=root, owner=editor)
    LogEntry.objects.create(user=editor, action_flag=1, object_repr="lesson")
    Redirect.objects.create(old_path="/old-lesson", redirect_page=lesson)
    image = wagtail_factories.ImageFactory(title="Org chart")
    image.tags.add("diagram")
    document = wagtail_factories.DocumentFactory(title="Career ladder")
    return {"editor": editor, "lesson": lesson, "image": image, "document": document}


def written(path):
    """(member names, manifest, data.json rows, {media name: bytes}) of a backup file."""
    with tarfile.open(path) as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}
        names = archive.getnames()
    media = {n.removeprefix("media/"): b for n, b in members.items() if n.startswith("media/")}
    return names, json.loads(members["manifest.json"]), json.loads(members["data.json"]), media


def rows_of(data, label):
    return [row for row in data if row["model"] == label]


def test_a_backup_holds_a_row_of_every_app_it_promises(content, tmp_path):
    _, manifest, data, _ = written(backup(tmp_path / "b.tar.gz", report=list, warn=list)[0])
    for label in (
        "auth.user",
        "auth.group",
        "admin.logentry",
        "taggit.tag",
        "taggit.taggeditem",
        "wagtailcore.page",
        "wagtailcore.revision",
        "wagtailusers.userprofile",
        "wagtailimages.image",
        "wagtaildocs.document",
        "wagtailredirects.redirect",
        "roles.lessonpage",
    ):
        assert manifest["counts"][label] >= 1, label
        assert len(rows_of(data, label)) == manifest["counts"][label], label


def test_permissions_renditions_proxies_and_other_apps_are_left_out(content, tmp_path):
    content["image"].get_rendition("fill-10x10")  # a rendition exists, and is not kept
    _, manifest, data, _ = written(backup(tmp_path / "b.tar.gz", report=list, warn=list)[0])
    labels = set(manifest["counts"]) | {row["model"] for row in data}
    for left_out in ("auth.permission", "wagtailimages.rendition", "sessions.session"):
        assert left_out not in labels
    assert not any(label.startswith(("contenttypes.", "axes.")) for label in labels)
    assert all(not m._meta.proxy and m._meta.managed for m in backed_up_models())
    assert "wagtailimages.image" in labels  # the control: images themselves are kept


def test_the_manifest_says_what_made_the_backup_and_what_it_holds(content, tmp_path):
    started = datetime.datetime.now(datetime.UTC)
    path = backup(tmp_path / "b.tar.gz", report=list, warn=list)[0]
    names, manifest, data, media = written(path)
    assert names[:2] == ["manifest.json", "data.json"]
    assert manifest["format"] == 1
    assert manifest["versions"] == {"django": django.get_version(), "wagtail": wagtail.__version__}
    assert manifest["database"] == connection.vendor
    made = datetime.datetime.fromisoformat(manifest["created_at"])
    assert started - datetime.timedelta(seconds=1) <= made <= datetime.datetime.now(datetime.UTC)
    assert "roles.0001_initial" in manifest["migrations"]
    assert manifest["migrations"] == sorted(manifest["migrations"])
    with tarfile.open(path) as archive:
        data_bytes = archive.extractfile("data.json").read()
    assert manifest["data_sha256"] == hashlib.sha256(data_bytes).hexdigest()
    image, document = content["image"].file.name, content["document"].file.name
    assert sorted(e["name"] for e in manifest["files"]) == sorted([image, document])
    assert names[2:] == [f"media/{e['name']}" for e in manifest["files"]]
    for entry in manifest["files"]:
        body = media[entry["name"]]
        assert entry["sha256"] == hashlib.sha256(body).hexdigest()
        expected = ("wagtailimages.image", "file") if entry["name"] == image else None
        assert (entry["model"], entry["field"]) == (expected or ("wagtaildocs.document", "file"))
    assert manifest["missing_files"] == []
    assert set(manifest) == {
        "format",
        "created_at",
        "versions",
        "database",
        "migrations",
        "counts",
        "data_sha256",
        "files",
        "missing_files",
    }


def test_content_types_and_permissions_by_name_everything_else_by_id(content, tmp_path):
    _, _, data, _ = written(backup(tmp_path / "b.tar.gz", report=list, warn=list)[0])
    page = next(r for r in rows_of(data, "wagtailcore.page") if r["pk"] == content["lesson"].pk)
    assert page["fields"]["content_type"] == ["roles", "lessonpage"]
    assert page["fields"]["owner"] == content["editor"].pk
    user = next(r for r in rows_of(data, "auth.user") if r["pk"] == content["editor"].pk)
    assert user["fields"]["groups"] == [Group.objects.get(name="Editors").pk]
    editors = next(r for r in rows_of(data, "auth.group") if r["fields"]["name"] == "Editors")
    assert ["access_admin", "wagtailadmin", "admin"] in editors["fields"]["permissions"]
    assert ContentType.objects.get_for_model(Page).pk not in editors["fields"]["permissions"]


def test_times_keep_every_microsecond(content, tmp_path):
    _, _, data, _ = written(backup(tmp_path / "b.tar.gz", report=list, warn=list)[0])
    user = next(r for r in rows_of(data, "auth.user") if r["pk"] == content["editor"].pk)
    assert user["fields"]["date_joined"] == content["editor"].date_joined.isoformat()
    assert user["fields"]["date_joined"].endswith(".123456+00:00")


def test_files_are_written_in_name_order_and_empty_file_fields_ignored(content, tmp_path):
    Document = get_document_model()
    made = {
        Document.objects.create(title=name, file=ContentFile(name.encode(), name)).file.name: name
        for name in ("zeta.txt", "alpha.txt")
    }
    Document.objects.create(title="No file", file="")
    warned = []
    names, manifest, _, media = written(backup(tmp_path / "b.tar.gz", report=list, warn=warned)[0])
    documents = [e["name"] for e in manifest["files"] if e["model"] == "wagtaildocs.document"]
    assert len(documents) == 3 and documents == sorted(documents)
    assert warned == [] and manifest["missing_files"] == []
    assert {name: media[name] for name in made} == {n: t.encode() for n, t in made.items()}


def test_a_missing_file_is_named_and_the_rest_backed_up(content, tmp_path):
    document = content["document"]
    document.file.storage.delete(document.file.name)
    warned = []
    path, _, _, files = backup(tmp_path / "b.tar.gz", report=list, warn=warned.append)
    _, manifest, _, media = written(path)
    assert warned == [
        f"{document.file.name}: not in the media storage, backed up without its file"
    ]
    assert manifest["missing_files"] == [document.file.name]
    assert files == 1 and list(media) == [content["image"].file.name]


def test_backup_reports_and_returns_what_it_wrote(content, tmp_path):
    reported = []
    path, objects, models, files = backup(tmp_path / "b.tar.gz", report=reported.append)
    manifest = written(path)[1]
    nonzero = {label: n for label, n in manifest["counts"].items() if n}
    assert 0 in manifest["counts"].values()  # some models are empty, and not reported
    assert reported == [f"  {label}: {n}" for label, n in nonzero.items()]
    assert (objects, models, files) == (sum(nonzero.values()), len(nonzero), 2)


def test_a_backup_goes_to_a_dated_file_under_backups_by_default(content, tmp_path, settings):
    settings.BASE_DIR = tmp_path
    path = backup(report=list, warn=list)[0]
    assert path.parent == tmp_path / "backups" and path.is_file()
    stamp = re.fullmatch(r"tpm-(\d{8}-\d{6})\.tar\.gz", path.name).group(1)
    made = datetime.datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    assert abs(datetime.datetime.now() - made) < datetime.timedelta(minutes=1)


def test_missing_folders_are_made_and_existing_ones_reused(content, tmp_path):
    deep = tmp_path / "a" / "b" / "site.tar.gz"
    assert backup(deep, report=list, warn=list)[0] == deep and deep.is_file()
    again = backup(deep.with_name("again.tar.gz"), report=list, warn=list)[0]
    assert again.is_file() and sorted(p.name for p in deep.parent.iterdir()) == [
        "again.tar.gz",
        "site.tar.gz",
    ]


def test_a_backup_that_cannot_be_written_says_why_and_leaves_no_file(content, tmp_path):
    target = tmp_path / "taken"
    target.mkdir()  # a folder where the file should go
    with pytest.raises(BackupError, match=re.escape(f"cannot write {target}: Is a directory")):
        backup(target, report=list, warn=list)
    assert [p.name for p in tmp_path.iterdir()] == ["taken"] and not any(target.iterdir())


def test_the_file_is_a_gzipped_tar_readable_as_a_stream(content, tmp_path):
    path = backup(tmp_path / "b.tar.gz", report=list, warn=list)[0]
    with tarfile.open(fileobj=io.BytesIO(path.read_bytes()), mode="r|gz") as archive:
        sizes = {m.name: m.size for m in archive}
    assert sizes["data.json"] > 0 and sizes["manifest.json"] > 0


def test_files_on_disk_are_read_as_stored(content, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    body = b"Role,Band\r\nProgram manager,7\r\n"
    saved = get_document_model().objects.create(title="Bands", file=ContentFile(body, "b.csv"))
    assert (tmp_path / "media" / saved.file.name).read_bytes() == body
    warned = []
    path = backup(tmp_path / "b.tar.gz", report=list, warn=warned.append)[0]
    _, manifest, _, media = written(path)
    assert media[saved.file.name] == body  # byte for byte, line ends included
    # The fixture's files are in the storage the test settings use, not here: named as missing.
    missing = {content["image"].file.name, content["document"].file.name}
    assert set(manifest["missing_files"]) == missing and len(warned) == 2


def test_the_manifest_is_readable_one_value_a_line(content, tmp_path):
    path = backup(tmp_path / "b.tar.gz", report=list, warn=list)[0]
    with tarfile.open(path) as archive:
        text = archive.extractfile("manifest.json").read().decode()
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0] == "{" and lines[-1] == "}"
    assert '"format": 1,' in lines and f'"database": "{connection.vendor}",' in lines


def test_while_writing_the_file_has_a_partial_name(content, tmp_path, monkeypatch):
    target, seen, add = tmp_path / "b.tar.gz", [], backup_module._add
    monkeypatch.setattr(
        backup_module, "_add", lambda *a: seen.append(sorted(tmp_path.iterdir())) or add(*a)
    )
    backup(target, report=list, warn=list)
    assert seen[0] == [tmp_path / "b.tar.gz.partial"]  # never a .tar.gz that is not whole
    assert sorted(tmp_path.iterdir()) == [target]


def test_a_file_that_cannot_even_be_started_says_why(content, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tarfile, "open", refuse)
    target = tmp_path / "b.tar.gz"
    with pytest.raises(BackupError, match=re.escape(f"cannot write {target}: Permission denied")):
        backup(target, report=list, warn=list)
    assert list(tmp_path.iterdir()) == []
