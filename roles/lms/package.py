"""The module's files and a manifest as one zip an LMS imports, built the same to the byte
each time from the same files: sorted entries, one fixed date and one fixed mode, so two
exports of an unchanged module can be compared by their checksum."""

import hashlib
import io
import zipfile

from .manifests import LAUNCH, cmi5_xml, scorm12_manifest, scorm2004_manifest

FORMATS = ("scorm12", "scorm2004", "cmi5")

# Where each format's manifest lives in the zip.
MANIFEST_NAMES = {"scorm12": "imsmanifest.xml", "scorm2004": "imsmanifest.xml", "cmi5": "cmi5.xml"}

# The earliest date a zip entry can hold (DOS time); any fixed date would do, this one says
# plainly that it is no real date.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644
_UNIX = 3  # ZipInfo.create_system: the mode bits are Unix ones on every platform


def content_hash(files):
    """sha256 hex of the files, by path then content. Each content is preceded by its length,
    so no two different sets of files can give the same bytes to hash (with path + NUL +
    content alone, {"a": b"Xb\\0Y"} would hash as {"a": b"X", "b": b"Y"})."""
    digest = hashlib.sha256()
    for path in sorted(files):
        content = files[path]
        digest.update(path.encode("utf-8") + b"\0" + str(len(content)).encode() + b"\0")
        digest.update(content)
    return digest.hexdigest()


def check_path(path):
    """Refuse a path that could land outside the folder an LMS unpacks the zip into, or that
    unpacks differently on Windows."""
    if not isinstance(path, str) or not path:
        raise ValueError(f"unsafe path {path!r}: a file needs a non-empty relative path")
    if "\\" in path:
        raise ValueError(f"unsafe path {path!r}: backslashes are not allowed, use '/'")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        raise ValueError(f"unsafe path {path!r}: absolute paths are not allowed")
    if "\0" in path:
        raise ValueError(f"unsafe path {path!r}: NUL is not allowed")
    for part in path.split("/"):
        if part in ("", ".", ".."):
            raise ValueError(f"unsafe path {path!r}: empty, '.' and '..' segments are not allowed")


def manifest(fmt, meta, names):
    """The manifest of one format, for the sorted relative paths `names`."""
    if fmt == "scorm12":
        return scorm12_manifest(meta, names)
    if fmt == "scorm2004":
        return scorm2004_manifest(meta, names)
    return cmi5_xml(meta)  # cmi5 launches one URL and lists no files


def _entry(name):
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = _UNIX
    info.external_attr = (0o100000 | FILE_MODE) << 16  # a regular file, rw-r--r--
    return info


def zip_package(fmt, files, meta):
    """The zip (bytes) of `files` ({relative path: content}) plus the format's manifest."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown LMS package format {fmt!r}: choose one of {FORMATS}")
    for path in files:
        check_path(path)
    manifest_name = MANIFEST_NAMES[fmt]
    if manifest_name in files:
        raise ValueError(f"{manifest_name} is written by the package, not taken from the files")
    if LAUNCH not in files:
        raise ValueError(f"the files have no {LAUNCH}: the package would launch nothing")
    if meta.content_hash != content_hash(files):
        raise ValueError("meta.content_hash does not match these files; pass content_hash(files)")
    entries = dict(files)
    entries[manifest_name] = manifest(fmt, meta, sorted(files))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            archive.writestr(_entry(name), entries[name], compresslevel=9)
    return buffer.getvalue()
