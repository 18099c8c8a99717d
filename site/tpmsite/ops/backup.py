"""Back the whole site up to one .tar.gz file; restore.py loads it into an empty database.

The archive holds manifest.json (format, schema, row counts, checksums of data.json and of
every file), data.json (every row of the content apps, as dumpdata writes them) and
media/<name> for each original image, document and avatar, in that order. Renditions,
sessions, login-attempt records, editing sessions and the search index are left out: they are
regenerated or only matter while running.
"""

import datetime
import hashlib
import io
import json
import tarfile
from collections import Counter
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

import django
import wagtail
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
APPS = (
    "auth",
    "admin",
    "taggit",
    "wagtailcore",
    "wagtailusers",
    "wagtailimages",
    "wagtaildocs",
    "wagtailredirects",
    "roles",
)
# Permissions are made by migrate and referred to by name (so are content types, whose app is
# not backed up); renditions are regenerated from the original images on first use.
SKIPPED = {"auth.permission", "wagtailimages.rendition"}
# Not backed up, but restore deletes them too: they point at the users, images and pages that
# the backup replaces, and would otherwise dangle or collide with the restored ids.
ALSO_CLEARED = ("wagtailimages.rendition", "wagtailadmin.editingsession", "wagtailadmin.formstate")
# Referred to by natural key: their ids differ between databases, their names do not.
BY_NAME = (ContentType, Permission)


class BackupError(Exception):
    """The backup cannot be written or read; the message says why and what to do."""


def backed_up_models():
    """The models a backup writes, and so the only ones restore loads: one rule for both."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in APPS
        and model._meta.label_lower not in SKIPPED
        and not model._meta.proxy
        and model._meta.managed
    ]


def cleared_models():
    """Every table restore empties before loading: the backed-up models, the rows that point at
    them, and the automatic many-to-many tables of both (their rows are restored inline)."""
    base = backed_up_models() + [apps.get_model(label) for label in ALSO_CLEARED]
    through = [
        field.remote_field.through
        for model in base
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    return base + through


def file_fields(model):
    return [f for f in model._meta.local_fields if isinstance(f, models.FileField)]


def backed_up_model(label, where):
    """The model a backup's label names, if backups hold it; `where` says where it was found."""
    allowed = {model._meta.label_lower: model for model in backed_up_models()}
    if label in allowed:
        return allowed[label]
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        raise BackupError(
            f"{where} refers to {label!r}, a model this site does not have"
        ) from None
    raise BackupError(
        f"{where} refers to {label}, a model backups never hold (sessions, login attempts "
        "and the like are not restored)"
    )


def check_rows(data, expected):
    """Every row is of a model a backup writes and names only fields Serializer writes, and the
    counts match the manifest's: found before any table is cleared, not halfway through."""
    try:
        rows = json.loads(data)
    except ValueError as exc:
        raise BackupError(f"data.json is not valid JSON (damaged?): {exc}") from exc
    if not isinstance(rows, list):
        raise BackupError("data.json is not a list of rows")
    fields, counts = {}, Counter()
    for row in rows:
        if not (isinstance(row, dict) and isinstance(row.get("model"), str)):
            raise BackupError(f"data.json has a row that is not a serialized object: {row!r:.80}")
        label = row["model"]
        if label not in fields:
            model = backed_up_model(label, "data.json")
            fields[label] = {
                f.name
                for f in [*model._meta.local_fields, *model._meta.local_many_to_many]
                if f.serialize
            }
        if not isinstance(row.get("fields"), dict):
            raise BackupError(f"data.json has a row of {label} without fields")
        unknown = sorted(set(row["fields"]) - fields[label])
        if unknown:
            raise BackupError(
                f"data.json has a row of {label} (pk {row.get('pk')!r}) with a field "
                f"{unknown[0]!r}, which {label} does not have"
            )
        counts[label] += 1
    differing = {
        label: (expected.get(label, 0), counts[label])
        for label in set(expected) | set(counts)
        if expected.get(label, 0) != counts[label]
    }
    if differing:
        raise BackupError(f"data.json's rows differ from the manifest's counts: {differing}")
    return len(rows)


def applied_migrations():
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


class Serializer(JSONSerializer):
    """dumpdata's JSON, with natural keys for content types and permissions only.

    Django's ``use_natural_foreign_keys`` applies to every model that has a natural key, and
    Wagtail gives Page one (its url_path) that is not unique across sites; restored rows keep
    their ids, so everything else is referred to by id.
    """

    def _value_from_field(self, obj, field):
        value = field.value_from_object(obj)
        # DjangoJSONEncoder cuts times to milliseconds; keep every microsecond, or revisions
        # saved within one millisecond could come back in a different order.
        if isinstance(value, datetime.datetime | datetime.time):
            return value.isoformat()
        return super()._value_from_field(obj, field)

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in BY_NAME
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in BY_NAME
        super().handle_m2m_field(obj, field)


@contextmanager
def snapshot():
    """One consistent view of the database while it is read, even if editors keep working."""
    outer = connection.in_atomic_block
    with transaction.atomic():
        # PostgreSQL's default isolation lets each query see newer commits; SQLite holds its
        # read lock until the transaction ends, which is already a snapshot.
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def default_path():
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "backups" / f"tpm-{stamp}.tar.gz"


def _add(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _media(model_list, warn):
    """(model label, field, name, bytes) of every stored file; missing ones are reported."""
    found, missing = [], []
    for model in model_list:
        for field in file_fields(model):
            names = model._base_manager.exclude(**{field.name: ""}).values_list(field.name)
            for (name,) in names.order_by(field.name).iterator():
                try:
                    with field.storage.open(name, "rb") as handle:
                        found.append((model._meta.label_lower, field.name, name, handle.read()))
                except OSError:
                    missing.append(name)
    for name in missing:
        warn(f"{name}: not in the media storage, backed up without its file")
    return found, missing


def backup(path=None, report=print, warn=print):
    """Write the archive; returns (path, objects, models, files). A failure leaves no file."""
    path = Path(path) if path else default_path()
    model_list = backed_up_models()
    with snapshot():
        counts = {m._meta.label_lower: m._base_manager.count() for m in model_list}
        rows = chain.from_iterable(m._base_manager.order_by("pk").iterator() for m in model_list)
        data = Serializer().serialize(rows, indent=None).encode()
        files, missing = _media(model_list, warn)
        migrations = applied_migrations()
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "versions": {"django": django.get_version(), "wagtail": wagtail.__version__},
        "database": connection.vendor,
        "migrations": migrations,
        "counts": counts,
        "data_sha256": hashlib.sha256(data).hexdigest(),
        "files": [
            {
                "model": label,
                "field": field,
                "name": name,
                "sha256": hashlib.sha256(body).hexdigest(),
            }
            for label, field, name, body in files
        ],
        "missing_files": missing,
    }
    for label, count in counts.items():
        if count:
            report(f"  {label}: {count}")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        # Written beside the target and renamed at the end, so a crash never leaves a file
        # that looks like a complete backup.
        with tarfile.open(partial, "w:gz") as archive:
            _add(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
            _add(archive, "data.json", data)
            for _label, _field, name, body in files:
                _add(archive, f"media/{name}", body)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot write {path}: {exc.strerror or exc}") from exc
    objects = sum(counts.values())
    models_with_rows = sum(1 for c in counts.values() if c)
    return path, objects, models_with_rows, len(files)
