"""Backup and restore: a full round trip loses nothing, and a bad restore changes nothing."""

import tarfile
from importlib import import_module

import pytest
import wagtail_factories
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.core.management.sql import emit_post_migrate_signal
from django.core.serializers.base import DeserializedObject
from django.db import DatabaseError
from wagtail.contrib.redirects.models import Redirect
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    Locale,
    Page,
    PageLogEntry,
    PageViewRestriction,
    Revision,
    Site,
    WorkflowState,
)

from tests import factories
from tests.conftest import build_module

# Rows a restored site is not expected to have: made by migrate (content types, permissions),
# regenerated (renditions, search index) or only meaningful while the old site ran.
NOT_RESTORED = {"contenttypes", "sessions", "axes", "wagtailsearch", "wagtailadmin"}
NOT_RESTORED_MODELS = {"wagtailimages.rendition", "auth.permission"}


def build_content():
    """Every kind of row a backup must carry, beyond the published module itself."""
    editor = factories.UserFactory(groups=["Editors"])
    moderator = factories.UserFactory(groups=["Moderators"])
    module = build_module()
    # As the content loader does: without it, restoring over a fresh database's own welcome
    # page (same id) would hide a restore that failed to remove what migrate made.
    Page.objects.filter(depth=2, title__startswith="Welcome").delete()
    aspect = module.aspects[0]
    for n in range(3):  # published revisions, then a draft on top
        aspect.title = f"Scope, take {n}"
        aspect.save_revision(user=moderator).publish(user=moderator)
    aspect.title = "Scope, draft"
    aspect.save_revision(user=editor)
    lesson = module.lessons[0]
    lesson.title = "Submitted for review"
    lesson.save_revision(user=editor)
    lesson.get_workflow().start(lesson, editor)  # in progress: waiting for the moderators
    PageViewRestriction.objects.create(page=module.lessons[1], restriction_type="login")
    Redirect.objects.create(old_path="/old-roles", redirect_page=module.role_index)
    image = wagtail_factories.ImageFactory(title="Org chart")
    image.tags.add("diagram")
    document = wagtail_factories.DocumentFactory(title="Career ladder")
    # Learners' comments: one approved with the learning team's reply, one still pending.
    factories.CommentFactory(page=module.lessons[0], approved=True, reply="Yes.")
    factories.CommentFactory(page=module.home)
    return module, image, document


def rows():
    """Every row of every table a restore should bring back, ids of content types and
    permissions replaced by their names (a fresh database numbers them differently)."""
    names = {ct.pk: ct.natural_key() for ct in ContentType.objects.all()}
    names_of = {
        ContentType: names,
        Permission: {p.pk: p.natural_key() for p in Permission.objects.all()},
    }
    state = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in NOT_RESTORED or meta.label_lower in NOT_RESTORED_MODELS:
            continue
        lookups = {
            f.attname: names_of[f.related_model]
            for f in meta.concrete_fields
            if f.related_model in names_of
        }
        table = [
            {
                key: lookups[key].get(value) if key in lookups else value
                for key, value in row.items()
            }
            for row in model._base_manager.order_by("pk").values()
        ]
        if meta.auto_created:  # many-to-many rows are re-added, under new ids
            table = sorted(tuple(sorted((k, v) for k, v in r.items() if k != "id")) for r in table)
        state[meta.label_lower] = table
    return state


def stored_files():
    names = [i.file.name for i in wagtail_factories.ImageFactory._meta.model.objects.all()]
    names += [d.file.name for d in wagtail_factories.DocumentFactory._meta.model.objects.all()]
    return {
        name: default_storage.open(name).read() for name in names if default_storage.exists(name)
    }


def fresh_database():
    """What `migrate` leaves in a new database: content types and permissions (numbered
    differently from before), the root page with Wagtail's welcome page, a site, a locale, the
    root collection, and the project's groups and workflow. No media files."""
    for name in stored_files():
        default_storage.delete(name)
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    ContentType.objects.clear_cache()
    ContentType.objects.create(app_label="shifts", model="every_id")
    emit_post_migrate_signal(0, False, "default")
    Locale.objects.create(language_code=get_supported_content_language_variant("en-gb"))
    Collection.add_root(name="Root")
    root = Page.add_root(instance=Page(title="Root", slug="root"))
    welcome = root.add_child(instance=Page(title="Welcome to your new Wagtail site!", slug="home"))
    Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)
    import_module("roles.migrations.0002_editorial_groups").grant(apps, None)


def test_a_restored_site_is_identical_to_the_backed_up_one(transactional_db, tmp_path):
    fresh_database()  # earlier transactional tests may have left it empty
    module, _, _ = build_content()
    before, files_before = rows(), stored_files()
    assert len(before["wagtailcore.revision"]) > len(before["wagtailcore.page"])
    assert WorkflowState.objects.filter(status="in_progress").count() == 1
    assert len(files_before) == 2
    call_command("backup", output=tmp_path / "site.tar.gz", verbosity=0)

    fresh_database()
    assert not Revision.objects.exists() and not stored_files()
    call_command("restore", tmp_path / "site.tar.gz", verbosity=0)

    after = rows()
    for label in before:
        assert after[label] == before[label], label
    assert stored_files() == files_before
    # New rows must not collide with restored ids (PostgreSQL sequences were reset).
    aspect = Page.objects.get(pk=module.aspects[1].pk).specific
    revision = aspect.save_revision()
    revision.publish()
    assert revision.pk > max(r["id"] for r in before["wagtailcore.revision"])
    assert PageLogEntry.objects.filter(page=aspect, action="wagtail.publish").count() == 2


@pytest.fixture
def content(db):
    return build_content()


@pytest.fixture
def backup_file(content, tmp_path):
    path = tmp_path / "site.tar.gz"
    call_command("backup", output=path, verbosity=0)
    return path


def test_backup_reports_what_it_wrote(content, tmp_path, capsys):
    call_command("backup", output=tmp_path / "b.tar.gz")
    out = capsys.readouterr().out
    assert f"to {tmp_path / 'b.tar.gz'} (" in out and "KiB)" in out
    assert "Exported" in out and "and 2 media files" in out
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        names = archive.getnames()
    assert names[:2] == ["manifest.json", "data.json"]
    assert len([n for n in names if n.startswith("media/")]) == 2


def test_restore_refuses_a_database_with_content(backup_file):
    before = rows()
    with pytest.raises(CommandError, match=r"already has content \(\d+ pages, 2 users, 1 images"):
        call_command("restore", backup_file, verbosity=0)
    assert rows() == before


@pytest.mark.parametrize("kept", [0.05, 0.5, 0.98])
def test_a_truncated_backup_is_refused_and_changes_nothing(backup_file, kept):
    data = backup_file.read_bytes()
    backup_file.write_bytes(data[: int(len(data) * kept)])
    before = rows()
    with pytest.raises(CommandError, match="not a readable backup.*truncated"):
        call_command("restore", backup_file, force=True, verbosity=0)
    assert rows() == before


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, content):
    path = tmp_path / "notes.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        archive.add(__file__, arcname="notes.py")
    with pytest.raises(CommandError, match="has no manifest.json"):
        call_command("restore", path, force=True, verbosity=0)


def test_a_failure_mid_load_leaves_the_database_as_it_was(backup_file, monkeypatch):
    before = rows()
    save = DeserializedObject.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 100:
            raise DatabaseError("disk full")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(DeserializedObject, "save", failing_save)
    with pytest.raises(CommandError, match="does not load: disk full"):
        call_command("restore", backup_file, force=True, verbosity=0)
    assert len(calls) == 100
    assert rows() == before  # the deleted rows came back, none of the loaded ones stayed


def test_a_failure_after_the_files_removes_them_too(backup_file, monkeypatch):
    files = stored_files()
    for name in files:
        default_storage.delete(name)
    before = rows()

    def fail():
        raise RuntimeError("connection lost")

    monkeypatch.setattr("tpmsite.ops.restore._reset_sequences", fail)
    with pytest.raises(RuntimeError, match="connection lost"):
        call_command("restore", backup_file, force=True, verbosity=0)
    assert rows() == before
    assert not stored_files()


def test_force_replaces_the_content_with_the_backups(backup_file):
    before = rows()
    Page.objects.get(slug="comparison").specific.save_revision().publish()
    factories.UserFactory()
    call_command("restore", backup_file, force=True, verbosity=0)
    assert rows() == before


def test_a_file_missing_from_storage_is_named_and_the_rest_backed_up(content, tmp_path, capsys):
    _, _, document = content
    default_storage.delete(document.file.name)
    call_command("backup", output=tmp_path / "b.tar.gz")
    captured = capsys.readouterr()
    assert f"{document.file.name}: not in the media storage" in captured.err
    assert "and 1 media files" in captured.out
