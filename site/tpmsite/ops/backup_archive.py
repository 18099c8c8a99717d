"""Reading a backup archive and checking all of it before restore writes anything.

Each member must be a plain file named inside its folder, listed in the manifest, matching its
checksum and within the size limit (counted while gzip expands); every model and field named
must be one a backup writes; the schema must match this database's migrations.
"""

import gzip
import hashlib
import json
import tarfile
import zlib

from tpmsite.ops.backup import (
    FORMAT,
    BackupError,
    applied_migrations,
    backed_up_model,
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
