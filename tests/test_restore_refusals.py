"""Hostile or damaged archives: each is refused before restore clears or writes anything."""

import gzip
import hashlib
import io
import json
import re
import tarfile
from types import SimpleNamespace

import pytest
import wagtail_factories
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.management import CommandError, call_command

from tests import factories

# Rows a restored site is not expected to have: made by migrate (content types, permissions),
# regenerated (renditions, search index) or only meaningful while the old site ran.
from tests.test_backup import rows, stored_files


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
