"""Restore a backup made by site/tpmsite/ops/backup.py into an empty, freshly migrated database.

Everything is checked before anything is written: each member (a plain file named inside its
folder, listed in the manifest, matching its checksum, within the size limit), every model and
field named (only those a backup writes), the schema. Then, in one transaction, the rows
migrate made (root page, site, locale, groups, workflow) are deleted so the backup's own keep
their ids, every row is loaded, the media files written and the search index rebuilt. Any
failure rolls the database back and removes the files this run wrote.
"""

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

from tpmsite.ops import cache
from tpmsite.ops.backup import (
    BackupError,
    check_rows,
    cleared_models,
)
from tpmsite.ops.backup_archive import DEFAULT_MAX_BYTES, check_schema, read


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


def restore(path, force=False, report=print, max_bytes=DEFAULT_MAX_BYTES):
    """Replace the database's content with the backup's; returns (objects, files)."""
    manifest, data, files = read(path, max_bytes)
    check_schema(manifest)
    check_rows(data, manifest["counts"])
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
            objects = _load(data)
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


def _load(data):
    objects = 0
    try:
        for obj in serializers.deserialize("json", data):
            obj.save()
            objects += 1
        # Deferred constraints are checked at commit on PostgreSQL and never inside a test's
        # transaction on SQLite: check now, so a dangling reference fails here and rolls back.
        connection.check_constraints(table_names=[m._meta.db_table for m in cleared_models()])
    except (serializers.base.DeserializationError, DatabaseError) as exc:
        raise BackupError(f"the backup's data does not load: {exc}") from exc
    return objects


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
