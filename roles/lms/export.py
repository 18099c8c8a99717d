"""An LMS package of the published module, and the record of each export.

``build()`` renders what learners see now (roles.lms.rendition), hashes it, writes the
format's manifest and zips it (roles.lms.package). The same published content gives the same
bytes; the manifest carries the module's version (its newest publish) and the content hash.
Each export made by a person is logged in Wagtail's log against the module page (Reports →
Site history), which the admin's export screen lists.
"""

from dataclasses import dataclass
from datetime import UTC

from django.utils.text import slugify
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from .manifests import PackageMeta
from .package import FORMATS, content_hash, zip_package
from .rendition import RenditionError, render

LOG_ACTION = "roles.lms_export"
LABELS = {
    "scorm12": "SCORM 1.2",
    "scorm2004": "SCORM 2004 (4th edition)",
    "cmi5": "cmi5 (xAPI)",
}


@dataclass
class Package:
    format: str
    data: bytes
    filename: str
    content_hash: str
    version: str
    home: object  # the module page


def build(fmt, report=print, rendition=None):
    """The package of format ``fmt`` (one of FORMATS), of ``rendition`` or of the module as
    published now. RenditionError when the module is not published, has no lesson, or a page
    fails to render; ValueError for an unknown format."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
    rendition = rendition or render(report=report)
    if not rendition.lessons:
        raise RenditionError("The module has no published lesson: there is nothing to export.")
    digest = content_hash(rendition.files)
    version = rendition.version.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    identifier = slugify(rendition.title)[:60] or "module"
    site = rendition.home.get_site()
    root = site.root_url if site else "http://localhost"
    meta = PackageMeta(
        title=rendition.title,
        description=rendition.description,
        identifier=identifier,
        version=version,
        content_hash=digest,
        pass_mark=rendition.pass_mark,
        iri_base=f"{root}/lms/{identifier}",
    )
    report(f"Writing the {LABELS[fmt]} package ...")
    data = zip_package(fmt, rendition.files, meta)
    filename = f"{identifier}-{fmt}-{version[:10]}.zip"
    report(f"Done: {filename}, {len(data):,} bytes, content {digest[:12]}.")
    return Package(fmt, data, filename, digest, version, rendition.home)


def record(package, user):
    """Log ``package``'s export by ``user`` against the module page."""
    log(
        instance=package.home,
        action=LOG_ACTION,
        user=user,
        data={
            "format": package.format,
            "content_hash": package.content_hash,
            "version": package.version,
            "bytes": len(package.data),
        },
    )


def exports():
    """Every logged export, newest first."""
    return (
        PageLogEntry.objects.filter(action=LOG_ACTION)
        .select_related("user")
        .order_by("-timestamp")
    )
