"""What restore (tpmsite/ops/restore.py) does with a good backup, on a few rows: it brings back the
pages, revisions, users and media, says what it did step by step, refuses a database that has
content unless forced, never overwrites a media file it did not write, and undoes everything
(rows and the files it wrote) when any step fails."""

import json
import re
import shutil
import tarfile
from types import SimpleNamespace

import pytest
import wagtail_factories
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Max
from tpmsite.ops.backup import BackupError, backup, cleared_models
from tpmsite.ops.cache import GENERATION_KEY
from tpmsite.ops.restore import restore
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from tests import factories
from tests.test_backup import rows, stored_files
from tests.test_restore_refusals import repack


@pytest.fixture
def site(db, tmp_path):
    """A backup of an editor's lesson with two revisions, an image and a document."""
    editor = factories.UserFactory()
    lesson = factories.LessonPageFactory(parent=Page.get_first_root_node(), owner=editor)
    lesson.title = "Mapping the stakeholders"
    lesson.save_revision(user=editor).publish()
    wagtail_factories.ImageFactory(title="Org chart")
    wagtail_factories.DocumentFactory(title="Career ladder")
    path = backup(tmp_path / "site.tar.gz", report=list, warn=list)[0]
    with tarfile.open(path) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
    return SimpleNamespace(
        path=path, lesson=lesson, manifest=manifest, rows=rows(), files=stored_files()
    )


def empty_database():
    """What migrate leaves: the root page and Wagtail's plain welcome page, no users, images,
    documents or media files."""
    for name in stored_files():
        default_storage.delete(name)
    Page.objects.filter(depth=2).exclude(slug="home").delete()
    for model in (get_image_model(), get_document_model(), factories.UserFactory._meta.model):
        model.objects.all().delete()
    assert Page.objects.get(depth=2).specific_class is Page  # the welcome page is left


def test_restore_replaces_changed_content_and_reports_each_step(site):
    site.lesson.title = "Renamed after the backup"
    site.lesson.save_revision().publish()
    factories.UserFactory()
    for name in site.files:
        default_storage.delete(name)
    cleared = sum(model._base_manager.count() for model in cleared_models())
    reported = []
    objects, files = restore(site.path, force=True, report=reported.append)
    assert rows() == site.rows and stored_files() == site.files
    counts = site.manifest["counts"]
    assert (objects, files) == (sum(counts.values()), len(site.manifest["files"])) == (objects, 2)
    tables = len([count for count in counts.values() if count])
    assert reported == [
        f"Cleared {cleared} rows made by migrate (or to be replaced).",
        f"Loaded {objects} objects of {tables} models.",
        f"Restored {files} media files.",
        "Rebuilt the search index.",
    ]
    # The search index is of the restored pages, not of those restore replaced.
    assert list(Page.objects.live().search("stakeholders")) == [site.lesson.page_ptr]
    assert list(Page.objects.live().search("Renamed")) == []


def test_an_operator_restores_into_a_freshly_migrated_database(site, capsys):
    empty_database()
    call_command("restore", site.path)  # no --force needed
    out = capsys.readouterr().out
    assert rows() == site.rows and stored_files() == site.files
    objects = sum(site.manifest["counts"].values())
    assert f"Loaded {objects} objects" in out
    assert f"Restored {objects} objects and 2 media files from {site.path} in " in out


def test_restore_defaults_to_printing_and_refusing_a_database_with_content(site, capsys):
    empty_database()
    assert restore(site.path) == (sum(site.manifest["counts"].values()), 2)
    assert "Restored 2 media files.\nRebuilt the search index.\n" in capsys.readouterr().out
    with pytest.raises(BackupError, match="already has content"):
        restore(site.path)  # the restored content is content: no second restore over it
    assert capsys.readouterr().out == ""


def test_cached_pages_of_the_old_content_are_dropped(site):
    def generation():
        return caches["default"].get(GENERATION_KEY)

    before = generation()
    with pytest.raises(BackupError, match="already has content"):
        restore(site.path, report=list)
    assert generation() == before  # the control: refused, so every cached page still holds
    restore(site.path, force=True, report=list)
    # Every cached page is stale at once (and again at the commit, which a test never reaches).
    assert generation() == before + 1


def welcome():
    return Page.objects.get(depth=2, slug="home")


def make(users=0, images=0, documents=0, lesson=False, under_welcome=False):
    factories.UserFactory.create_batch(users)
    wagtail_factories.ImageFactory.create_batch(images)
    wagtail_factories.DocumentFactory.create_batch(documents)
    if lesson:  # a page of the site's own, beside the welcome page
        factories.LessonPageFactory(parent=Page.get_first_root_node())
    if under_welcome:  # then the welcome page has been built on: both are content
        welcome().add_child(instance=Page(title="About", slug="about"))


@pytest.mark.parametrize(
    "made, found",
    [
        (
            {"users": 2, "images": 1, "documents": 3, "lesson": True},
            "1 pages, 2 users, 1 images, 3",
        ),
        ({"users": 1}, "1 users"),
        ({"images": 2}, "2 images"),
        ({"documents": 1}, "1 documents"),
        ({"lesson": True}, "1 pages"),
        ({"under_welcome": True}, "2 pages"),
    ],
)
def test_content_beyond_what_migrate_makes_is_named_and_refused(site, made, found):
    empty_database()
    make(**made)
    before, files, reported = rows(), stored_files(), []
    with pytest.raises(BackupError) as refusal:
        restore(site.path, report=reported.append)
    assert re.fullmatch(
        rf"the database already has content \({found}( documents)?\); restore replaces everything,"
        " so it only runs on an empty, freshly migrated database. Point DATABASE_URL at a new "
        "database, or pass --force to replace this one.",
        str(refusal.value),
    )
    assert rows() == before and stored_files() == files and reported == []
    restore(site.path, force=True, report=reported.append)  # the control: --force replaces it
    assert rows() == site.rows


def test_the_welcome_page_alone_is_no_content(site):
    empty_database()
    assert welcome().numchild == 0 and Page.objects.count() == 2  # root and welcome
    restore(site.path, report=list)
    assert rows() == site.rows


def test_content_types_renumbered_since_this_process_read_them(site):
    """As after a flush and migrate: the welcome page's content type has a new id, and the
    process still holds the old one."""
    empty_database()
    old = ContentType.objects.get_for_model(Page).pk  # held by ContentType's cache from now
    new = ContentType.objects.aggregate(Max("pk"))["pk__max"] + 100
    with connection.cursor() as cursor:
        cursor.execute("UPDATE django_content_type SET id = %s WHERE id = %s", [new, old])
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.related_model is ContentType:
                model._base_manager.filter(**{field.attname: old}).update(**{field.attname: new})
    restore(site.path, report=list)  # the welcome page is still no content
    assert rows() == site.rows


def fail_after_the_files(monkeypatch):
    def fail():
        raise RuntimeError("connection lost")

    monkeypatch.setattr("tpmsite.ops.restore._reset_sequences", fail)


def test_an_identical_media_file_is_kept_and_the_missing_one_written(site, monkeypatch):
    kept, missing = (entry["name"] for entry in site.manifest["files"])  # in restore's order
    default_storage.delete(missing)
    restore(site.path, force=True, report=list)
    assert stored_files() == site.files  # the missing one was written after the first was kept

    default_storage.delete(missing)
    fail_after_the_files(monkeypatch)
    with pytest.raises(RuntimeError, match="connection lost"):
        restore(site.path, force=True, report=list)
    # Only what this run wrote is removed: the first file was there before it.
    assert stored_files() == {kept: site.files[kept]}


def test_identical_files_on_disk_are_kept(site, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    for name, body in site.files.items():
        default_storage.save(name, ContentFile(body))
    restore(site.path, force=True, report=list)  # read back and found the same: not refused
    on_disk = {str(p.relative_to(tmp_path / "media")) for p in tmp_path.rglob("media/*/*")}
    assert on_disk == set(site.files) and stored_files() == site.files


def test_a_media_file_with_other_content_is_never_overwritten(site):
    first, second = (entry["name"] for entry in site.manifest["files"])
    for name in (first, second):
        default_storage.delete(name)
    default_storage.save(second, ContentFile(b"someone else's file"))
    before = rows()
    with pytest.raises(CommandError, match=f"media file {second} exists with different"):
        call_command("restore", site.path, force=True, verbosity=0)
    assert rows() == before  # rolled back; and the first file, written before, removed again
    assert stored_files() == {second: b"someone else's file"}


def test_a_file_that_appears_while_restoring_is_not_overwritten(site, monkeypatch):
    """Another process writes the file between restore's check and its save: the storage
    saves under a new name, which restore refuses and removes."""
    first, second = (entry["name"] for entry in site.manifest["files"])
    for name in site.files:
        default_storage.delete(name)
    folder = second.rsplit("/", 1)[0]
    others = set(default_storage.listdir(folder)[1])
    storage_class = type(storages["default"])
    exists = storage_class.exists

    def racing_exists(storage, name):
        if name == second and not exists(storage, name):
            storage._save(name, ContentFile(b"theirs"))  # just after restore looked
            return False
        return exists(storage, name)

    monkeypatch.setattr(storage_class, "exists", racing_exists)
    with pytest.raises(BackupError, match=rf"saved {re.escape(second)} as {folder}/"):
        restore(site.path, force=True, report=list)
    monkeypatch.undo()
    # Only theirs is left: the copy saved under another name was removed again.
    assert set(default_storage.listdir(folder)[1]) == others | {second.rsplit("/", 1)[1]}
    assert default_storage.open(second).read() == b"theirs"
    assert not default_storage.exists(first)  # written before, and removed again


def dangling_owner(manifest, data_rows, media):
    row = next(r for r in data_rows if r["model"] == "wagtailcore.page" and r["fields"]["owner"])
    row["fields"]["owner"] = 99999


def bad_date(manifest, data_rows, media):
    row = next(r for r in data_rows if r["model"] == "auth.user")
    row["fields"]["date_joined"] = "the day before yesterday"


@pytest.mark.parametrize(
    "edit, why",
    [(dangling_owner, "FOREIGN KEY|owner"), (bad_date, "the day before yesterday")],
)
def test_rows_that_do_not_load_are_refused_and_rolled_back(site, edit, why, tmp_path):
    path = repack(shutil.copy(site.path, tmp_path / "edited.tar.gz"), edit)
    before, reported = rows(), []
    with pytest.raises(BackupError, match=f"the backup's data does not load: .*({why})"):
        restore(path, force=True, report=reported.append)
    assert rows() == before and reported[0].startswith("Cleared ")  # it had begun
    restore(repack(site.path), force=True, report=list)  # the control: repacked only, it loads
    assert rows() == site.rows
