"""Restore a backup made by roles/backup.py into an empty, freshly migrated database.

Everything is checked before anything is written: each member (a plain file named inside its
folder, listed in the manifest, matching its checksum, within the size limit), every model and
field named (only those a backup writes), the schema. Then, in one transaction, the rows
migrate made (root page, site, locale, groups, workflow) are deleted so the backup's own keep
their ids, every row is loaded, the media files written and the search index rebuilt. Any
failure rolls the database back and removes the files this run wrote.
"""

import gzip
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
from roles.backup import (
    FORMAT,
    BackupError,
    applied_migrations,
    backed_up_model,
    check_rows,
    cleared_models,
    file_fields,
)

READ_ERRORS = (OSError, EOFError, tarfile.TarError, zlib.error, UnicodeDecodeError, ValueError)
MIB = 1024 * 1024
# Everything is held in memory until it has all been checked, so this bounds memory too.
DEFAULT_MAX_BYTES = 2048 * MIB
CHUNK = MIB


class _Budget:
    """The archive's decompressed stream, refused once it has given more than `limit` bytes:
    member headers are checked first, but tarfile itself reads records (long names, pax
    headers) whose size no member declares, so only counting every byte bounds them all."""

    def __init__(self, stream, limit):
        self.stream, self.limit, self.remaining = stream, limit, limit

    def read(self, size=-1):
        # One byte past the limit is enough to know it is exceeded; never ask gzip for more.
        wanted = self.remaining + 1 if size is None or size < 0 else min(size, self.remaining + 1)
        chunk = self.stream.read(wanted)
        self.remaining -= len(chunk)
        if self.remaining < 0:
            raise BackupError(
                f"the archive expands to more than {self.limit / MIB:,.0f} MiB, the limit "
                "(--max-size): a genuine backup that big needs a higher one"
            )
        return chunk


def read(path, max_bytes=DEFAULT_MAX_BYTES):
    """(manifest, data text, {media name: bytes}), every part checked; BackupError if not."""
    try:
        with gzip.open(path, "rb") as stream:
            budget = _Budget(stream, max_bytes)
            # Read as a stream, one member at a time: each header is checked before its
            # member is read, and nothing is skipped over unread.
            with tarfile.open(fileobj=budget, mode="r|") as archive:
                manifest, data, files = _read_members(archive, budget)
            # The tar ends before the gzip stream does: read on to its end, so that a file cut
            # short there still fails gzip's length and CRC check.
            while budget.read(CHUNK):
                pass
    except READ_ERRORS as exc:
        raise BackupError(
            f"{path} is not a readable backup (damaged or truncated?): {exc}"
        ) from exc
    return manifest, data, files


def _read_members(archive, budget):
    manifest, expected, data, files = None, {}, None, {}
    for member in archive:
        _check_member(member, budget)
        name = member.name
        if manifest is None:
            # backup.py writes the manifest first, so every later member can be checked
            # against it before it is read.
            if name != "manifest.json":
                raise BackupError(
                    f"the archive has no manifest.json first (it starts with {name!r}): "
                    "not a file written by manage.py backup"
                )
            manifest = check_manifest(json.loads(_body(archive, member)[0]))
            expected = {f"media/{e['name']}": e["sha256"] for e in manifest["files"]}
            expected["data.json"] = manifest["data_sha256"]
            left = set(expected)
            continue
        if name not in expected or (name == "data.json" and data is not None):
            raise BackupError(f"the archive's member {name!r} is not listed in its manifest")
        body, digest = _body(archive, member)
        if digest != expected[name]:
            raise BackupError(f"{name} does not match its checksum in the manifest (altered?)")
        if name == "data.json":
            data = body.decode("utf-8")
        else:
            files[name.removeprefix("media/")] = body
        left.discard(name)
    if manifest is None:
        raise BackupError("the archive has no manifest.json")
    if left:
        raise BackupError(f"the archive has no {min(left)}")
    return manifest, data, files


def _unsafe(name):
    """Whether a stored name could reach outside the folder it is written to."""
    return "\\" in name or "\0" in name or any(p in ("", ".", "..") for p in name.split("/"))


KINDS = {
    tarfile.SYMTYPE: "a symbolic link",
    tarfile.LNKTYPE: "a hard link",
    tarfile.DIRTYPE: "a directory",
    tarfile.CHRTYPE: "a device",
    tarfile.BLKTYPE: "a device",
    tarfile.FIFOTYPE: "a FIFO",
}


def _check_member(member, budget):
    name = member.name
    if _unsafe(name):
        raise BackupError(
            f"the archive's member {name!r} is named outside its folder (absolute, empty or "
            "with ..), which a backup never is"
        )
    if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
        kind = KINDS.get(member.type, f"not a plain file (tar type {member.type!r})")
        raise BackupError(f"the archive's member {name!r} is {kind}, which a backup never has")
    if member.size > budget.remaining:
        raise BackupError(
            f"the archive's member {name!r} would expand to {member.size:,} bytes, beyond the "
            f"limit of {budget.limit / MIB:,.0f} MiB for the whole archive (--max-size)"
        )


def _body(archive, member):
    """The member's bytes and their sha256, read in chunks: the budget counts as it goes."""
    handle, digest, chunks = archive.extractfile(member), hashlib.sha256(), []
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        chunks.append(chunk)
    return b"".join(chunks), digest.hexdigest()


def check_manifest(manifest):
    """The manifest's shape, and every model, field and file name it refers to."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"the backup has format {found!r}; this code reads {FORMAT}")
    if "data_sha256" not in manifest:
        # Older backups are refused rather than trusted: their data.json cannot be checked.
        raise BackupError(
            "the manifest has no checksum of data.json, so it cannot be checked: the backup "
            "was made before backups carried one. Restore it with the code that made it, or "
            "make a new backup"
        )
    entries = manifest.get("files")
    if not (
        isinstance(manifest["data_sha256"], str)
        and _all(manifest.get("migrations"), list, lambda m: isinstance(m, str))
        and _all(manifest.get("counts"), dict, lambda c: isinstance(c, int))
        and _all(entries, list, lambda e: _all(e, dict, lambda v: isinstance(v, str)))
        and all({"model", "field", "name", "sha256"} <= set(e) for e in entries)
    ):
        raise BackupError("manifest.json is not a backup's manifest (parts missing or wrong)")
    for label in manifest["counts"]:
        backed_up_model(label, "the manifest")
    checksums = {}
    for entry in entries:
        label, field, name = entry["model"], entry["field"], entry["name"]
        if field not in {f.name for f in file_fields(backed_up_model(label, "the manifest"))}:
            raise BackupError(f"the manifest lists a file of {label}.{field}, not a file field")
        if _unsafe(name):
            raise BackupError(f"the manifest lists a media file {name!r} outside the media folder")
        if checksums.setdefault(name, entry["sha256"]) != entry["sha256"]:
            raise BackupError(f"the manifest lists {name} twice, with different checksums")
    return manifest


def _all(value, kind, test):
    values = value.values() if isinstance(value, dict) else value
    return isinstance(value, kind) and all(test(v) for v in values)


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
