"""Backup and restore: a full round trip loses nothing, and a bad restore changes nothing."""

import gzip
import hashlib
import io
import json
import re
import tarfile
from importlib import import_module
from types import SimpleNamespace

import pytest
import wagtail_factories
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import serializers
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

    monkeypatch.setattr("roles.restore._reset_sequences", fail)
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


# Hostile or damaged archives: each is refused before restore clears or writes anything.


@pytest.fixture
def small_backup(db, tmp_path):
    """A good backup of a user and an image, and a database changed since: a restore that
    wrote anything would show in rows()."""
    factories.UserFactory()
    wagtail_factories.ImageFactory()
    path = tmp_path / "small.tar.gz"
    call_command("backup", output=path, verbosity=0)
    backed_up = rows()
    factories.UserFactory()
    return SimpleNamespace(path=path, rows=backed_up)


def tar_member(name, body=b"", **attributes):
    info = tarfile.TarInfo(name)
    info.size = len(body)
    for key, value in attributes.items():
        setattr(info, key, value)
    return info, body


def repack(path, edit=None, extra=(), data_checksum=True):
    """Rewrite a backup after edit(manifest, rows, media) changed it (media: [TarInfo, bytes]
    pairs), `extra` members appended. data.json's checksum is made to match unless told not
    to, so that the edit alone is what is wrong."""
    with tarfile.open(path) as archive:
        members = [[m, archive.extractfile(m).read()] for m in archive.getmembers()]
    (_, manifest), (_, data), *media = members
    manifest, data_rows = json.loads(manifest), json.loads(data)
    if edit:
        edit(manifest, data_rows, media)
    data = json.dumps(data_rows).encode()
    if data_checksum:
        manifest["data_sha256"] = hashlib.sha256(data).hexdigest()
    with tarfile.open(path, "w:gz") as archive:
        for info, body in [
            tar_member("manifest.json", json.dumps(manifest).encode()),
            tar_member("data.json", data),
            *media,
            *extra,
        ]:
            archive.addfile(info, io.BytesIO(body))
    return path


def assert_refused(path, match, **options):
    """Restore is refused with a message matching `match`, before it changed anything."""
    before, files, out = rows(), stored_files(), io.StringIO()
    with pytest.raises(CommandError, match=match):
        call_command("restore", path, force=True, stdout=out, **options)
    assert out.getvalue() == ""  # not even "Cleared ... rows": nothing was touched
    assert rows() == before
    assert stored_files() == files


def test_a_repacked_backup_restores(small_backup):
    """The positive control for the tests below: repacking alone breaks nothing."""
    call_command("restore", repack(small_backup.path), force=True, verbosity=0)
    assert rows() == small_backup.rows


def move_first_file(name):
    def edit(manifest, data_rows, media):
        manifest["files"][0]["name"] = name
        media[0][0].name = f"media/{name}"

    return edit


@pytest.mark.parametrize(
    "edit, extra, named",
    [
        (move_first_file("../../escaped.png"), (), "../../escaped.png"),
        (move_first_file("/srv/escaped.png"), (), "/srv/escaped.png"),
        (None, [tar_member("/etc/escaped", b"x")], "/etc/escaped"),
        (None, [tar_member("media/../../escaped", b"x")], "media/../../escaped"),
    ],
)
def test_names_outside_their_folder_are_refused(small_backup, edit, extra, named):
    path = repack(small_backup.path, edit, extra)
    assert_refused(path, f"'{re.escape(named)}'.* outside")


@pytest.mark.parametrize(
    "kind, attributes",
    [
        ("a symbolic link", {"type": tarfile.SYMTYPE, "linkname": "/etc/passwd"}),
        ("a hard link", {"type": tarfile.LNKTYPE, "linkname": "data.json"}),
        ("a device", {"type": tarfile.CHRTYPE, "devmajor": 1, "devminor": 3}),
        ("a FIFO", {"type": tarfile.FIFOTYPE}),
    ],
)
def test_links_and_devices_are_refused(small_backup, kind, attributes):
    path = repack(small_backup.path, extra=[tar_member("media/images/x.png", **attributes)])
    assert_refused(path, f"member 'media/images/x.png' is {kind}")


def add_row(label, fields):
    def edit(manifest, data_rows, media):
        data_rows.append({"model": label, "pk": 1, "fields": fields})

    return edit


def count_rows_of(label):
    def edit(manifest, data_rows, media):
        manifest["counts"][label] = 1

    return edit


def add_user_field(manifest, data_rows, media):
    next(row for row in data_rows if row["model"] == "auth.user")["fields"]["is_owner"] = True


def set_file_reference(key, value):
    def edit(manifest, data_rows, media):
        manifest["files"][0][key] = value

    return edit


@pytest.mark.parametrize(
    "edit, message",
    [
        (add_row("nosuchapp.thing", {}), "data.json refers to 'nosuchapp.thing', a model this"),
        (add_row("roles.nosuchpage", {}), "'roles.nosuchpage', a model this site does not have"),
        (count_rows_of("nosuchapp.thing"), "the manifest refers to 'nosuchapp.thing', a model"),
        (add_user_field, "a row of auth.user .* field 'is_owner', which auth.user does not have"),
        (set_file_reference("model", "nosuch.image"), "manifest refers to 'nosuch.image'"),
        (set_file_reference("field", "title"), r"a file of wagtailimages.image.title, not a"),
    ],
)
def test_unknown_models_and_fields_are_refused(small_backup, edit, message):
    assert_refused(repack(small_backup.path, edit), message)


def session():
    store = SessionStore()
    store["reviewing"] = True
    store.create()
    return Session.objects.get(pk=store.session_key)


def login_attempt():
    user = factories.UserFactory()
    return AccessAttempt.objects.create(
        username=user.username,
        ip_address="192.0.2.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )


@pytest.mark.parametrize("make", [session, login_attempt])
@pytest.mark.parametrize("where", ["data.json", "the manifest"])
def test_rows_of_models_a_backup_never_writes_are_refused(small_backup, make, where):
    obj = make()
    (row,) = json.loads(serializers.serialize("json", [obj]))
    type(obj).objects.all().delete()

    def edit(manifest, data_rows, media):
        data_rows.append(row)
        if where == "the manifest":  # counted too, as a forger would: caught there, earlier
            manifest["counts"][row["model"]] = 1

    assert_refused(repack(small_backup.path, edit), f"{where} refers to {row['model']}, a model")
    assert not type(obj).objects.exists()


def test_data_altered_after_the_backup_is_refused(small_backup):
    def make_superuser(manifest, data_rows, media):
        for row in data_rows:
            if row["model"] == "auth.user":
                row["fields"]["is_superuser"] = True

    path = repack(small_backup.path, make_superuser, data_checksum=False)
    assert_refused(path, "data.json does not match its checksum")


def test_a_backup_without_a_checksum_of_its_data_is_refused(small_backup):
    def drop_checksum(manifest, data_rows, media):
        manifest.pop("data_sha256", None)

    path = repack(small_backup.path, drop_checksum, data_checksum=False)
    assert_refused(path, "no checksum of data.json.*make a new backup")


def test_a_member_claiming_a_huge_size_is_refused_from_its_header(small_backup):
    with tarfile.open(small_backup.path) as archive:
        manifest = archive.extractfile("manifest.json").read()
    info, _ = tar_member("manifest.json", manifest)
    huge, _ = tar_member("data.json", size=2**40)
    # Only the header: reading the member would fail as truncated, not as too big.
    raw = info.tobuf() + manifest + b"\0" * (-len(manifest) % 512) + huge.tobuf() + b"[]"
    small_backup.path.write_bytes(gzip.compress(raw))
    assert_refused(small_backup.path, r"'data.json' would expand to 1,099,511,627,776 bytes")


def test_an_archive_expanding_past_the_limit_is_refused_while_reading(small_backup):
    # The name is read by tarfile itself, in a record whose size no member header gives.
    long_name = tar_member("media/" + "x" * 2 * 1024 * 1024, b"x")
    path = repack(small_backup.path, extra=[long_name])
    assert_refused(path, "expands to more than 1 MiB", max_size=1)
