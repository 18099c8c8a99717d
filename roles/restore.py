"""Restore a backup made by roles/backup.py into an empty, freshly migrated database.

The whole archive is read and checked (checksums, JSON, schema) before anything is written.
Then, in one transaction, the rows migrate made (root page, site, locale, groups, workflow) are
deleted so the backup's own versions keep their ids, every row is loaded, the media files are
written and the search index rebuilt. Any failure rolls the database back and removes the
files this run wrote, so the database is as it was.
"""

import hashlib
import json
import tarfile
import zlib

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from roles import cache
from roles.backup import FORMAT, BackupError, applied_migrations, cleared_models

READ_ERRORS = (OSError, EOFError, tarfile.TarError, zlib.error, UnicodeDecodeError, ValueError)


def read(path):
    """(manifest, data text, {media name: bytes}), every part checked; BackupError if not."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = {m.name: m for m in archive.getmembers() if m.isfile()}
            manifest = json.loads(_member(archive, members, "manifest.json"))
            data = _member(archive, members, "data.json").decode("utf-8")
            json.loads(data)  # truncated or edited JSON fails here, before any write
            files = {}
            for entry in manifest["files"]:
                body = _member(archive, members, f"media/{entry['name']}")
                if hashlib.sha256(body).hexdigest() != entry["sha256"]:
                    raise BackupError(f"media/{entry['name']} does not match its checksum")
                files[entry["name"]] = body
    except READ_ERRORS as exc:
        raise BackupError(
            f"{path} is not a readable backup (damaged or truncated?): {exc}"
        ) from exc
    except (KeyError, TypeError) as exc:
        raise BackupError(f"{path} is not a backup made by manage.py backup: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} has format {manifest.get('format')!r}; this code reads {FORMAT}"
        )
    return manifest, data, files


def _member(archive, members, name):
    if name not in members:
        raise BackupError(f"the archive has no {name}")
    return archive.extractfile(members[name]).read()


def check_schema(manifest):
    """The backup's tables must exist here: refuse a backup made by newer code."""
    newer = sorted(set(manifest["migrations"]) - set(applied_migrations()))
    if newer:
        shown = ", ".join(newer[:5]) + (" ..." if len(newer) > 5 else "")
        raise BackupError(
            f"the backup was made with migrations this database lacks ({shown}); "
            "run `manage.py migrate` with the code the backup was made with, then restore"
        )


def existing_content():
    """What a freshly migrated database would not have, described for the refusal message."""
    found = []
    pages = Page.objects.filter(depth__gt=1).exclude(
        # Wagtail's migrations add a plain "Welcome to your new Wagtail site!" page.
        depth=2,
        numchild=0,
        content_type=ContentType.objects.get_for_model(Page),
    )
    for label, count in (
        ("pages", pages.count()),
        ("users", get_user_model().objects.count()),
        ("images", get_image_model().objects.count()),
        ("documents", get_document_model().objects.count()),
    ):
        if count:
            found.append(f"{count} {label}")
    return found


def restore(path, force=False, report=print):
    """Replace the database's content with the backup's; returns (objects, files)."""
    manifest, data, files = read(path)
    check_schema(manifest)
    # Content types may have been created since this process cached them (after a flush).
    ContentType.objects.clear_cache()
    if not force and (found := existing_content()):
        raise BackupError(
            f"the database already has content ({', '.join(found)}); restore replaces "
            "everything, so it only runs on an empty, freshly migrated database. Point "
            "DATABASE_URL at a new database, or pass --force to replace this one."
        )
    written = []
    try:
        with transaction.atomic():
            report(f"Cleared {_clear()} rows made by migrate (or to be replaced).")
            objects = _load(data, manifest["counts"])
            tables = sum(1 for count in manifest["counts"].values() if count)
            report(f"Loaded {objects} objects of {tables} models.")
            _write_files(manifest["files"], files, written)
            report(f"Restored {len(files)} media files.")
            call_command("update_index", verbosity=0)
            report("Rebuilt the search index.")
            _reset_sequences()
            cache.content_changed()  # cached pages are of the old content: drop them on commit
    except Exception:
        for storage, name in written:
            storage.delete(name)
        raise
    return objects, len(files)


def _clear():
    deleted = 0
    for model in cleared_models():
        # A plain DELETE per table: no cascades, signals or tree bookkeeping, because every
        # table involved is emptied; foreign keys are checked when the transaction ends.
        deleted += model._base_manager.all()._raw_delete(connection.alias)
    return deleted


def _load(data, expected):
    counts = {}
    try:
        for obj in serializers.deserialize("json", data):
            obj.save()
            label = obj.object._meta.label_lower
            counts[label] = counts.get(label, 0) + 1
        # Deferred constraints are checked at commit on PostgreSQL and never inside a test's
        # transaction on SQLite: check now, so a dangling reference fails here and rolls back.
        connection.check_constraints(table_names=[m._meta.db_table for m in cleared_models()])
    except (serializers.base.DeserializationError, DatabaseError) as exc:
        raise BackupError(f"the backup's data does not load: {exc}") from exc
    differing = {
        label: (count, counts.get(label, 0))
        for label, count in expected.items()
        if count != counts.get(label, 0)
    }
    if differing:
        raise BackupError(f"rows loaded differ from the manifest (expected, loaded): {differing}")
    return sum(counts.values())


def _write_files(entries, files, written):
    for entry in entries:
        storage = apps.get_model(entry["model"])._meta.get_field(entry["field"]).storage
        name, body = entry["name"], files[entry["name"]]
        if storage.exists(name):
            with storage.open(name, "rb") as handle:
                if handle.read() == body:
                    continue
            # Never overwrite: that file may belong to a site this restore is not replacing.
            raise BackupError(f"media file {name} exists with different content; move it away")
        saved = storage.save(name, ContentFile(body))
        written.append((storage, saved))
        if saved != name:
            raise BackupError(f"media storage saved {name} as {saved}")


def _reset_sequences():
    # Rows were inserted with their ids, so PostgreSQL's id sequences still start at 1 and the
    # next page or revision an editor saves would collide. SQLite needs nothing.
    statements = connection.ops.sequence_reset_sql(no_style(), cleared_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
