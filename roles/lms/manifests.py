"""The manifests an LMS reads to import the module: SCORM 1.2 and SCORM 2004 4th edition
`imsmanifest.xml`, and cmi5's `cmi5.xml`.

Each is built with ElementTree, so every title, description and path is escaped as XML text
or attribute, and serialised the same way each time: same input, same bytes. Tags are written
with their conventional prefixes (`adlcp:`, `imsss:` ...) declared once on the root element
rather than through `ET.register_namespace`, whose map is global: SCORM 1.2 and 2004 both call
their ADL namespace `adlcp` with different URIs, and a registration would swap the prefix under
whichever manifest was built first.

tests/test_lms_manifests.py validates all three against the schemas they claim.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import quote

IMSCP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LOM = "http://ltsc.ieee.org/xsd/LOM"
CMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"  # ElementTree writes it as xml:lang

LAUNCH = "lms/launch.html"
SCORM12_TITLE_MAX = 200  # imscp_rootv1p1p2.xsd: titleType maxLength

# An xsd:ID (an NCName), since the identifier names the manifest and its parts.
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")  # xsd:language
_HASH = re.compile(r"[0-9a-f]{64}")
# An absolute IRI: a scheme, then no character RFC 3987 forbids anywhere in an IRI.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
# Characters XML 1.0 cannot carry at all, not even escaped (most C0 controls, lone surrogates).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Characters left as they are in an href: RFC 3986's unreserved, sub-delims, ":", "@" and "/".
_HREF_SAFE = "/-._~!$&'()*+,;=:@"


@dataclass(frozen=True)
class PackageMeta:
    """What the manifests say about the module; checked on creation, so every manifest built
    from it is valid whatever the caller passed."""

    title: str
    description: str
    identifier: str  # a stable id, e.g. "tpm-vs-tpm"
    version: str  # the module version, e.g. "2026-11-28T10:15:00Z" = newest publish date
    content_hash: str  # sha256 hex of the content files (package.content_hash)
    pass_mark: int  # 0-100 percent
    iri_base: str  # e.g. "https://example.org/tpm-vs-tpm", for cmi5 course/AU ids
    language: str = "en"

    def __post_init__(self):
        problems = []
        if not _clean(self.title).strip():
            problems.append("title is empty")
        if not _IDENTIFIER.fullmatch(self.identifier):
            problems.append(
                f"identifier {self.identifier!r} must start with a letter or _ and hold only "
                "letters, digits, '.', '_' and '-' (at most 100): it is an XML ID"
            )
        if not _clean(self.version).strip():
            problems.append("version is empty")
        if not _HASH.fullmatch(self.content_hash):
            problems.append("content_hash must be 64 lowercase hex digits (sha256)")
        if isinstance(self.pass_mark, bool) or not isinstance(self.pass_mark, int):
            problems.append(f"pass_mark must be an int, not {self.pass_mark!r}")
        elif not 0 <= self.pass_mark <= 100:
            problems.append(f"pass_mark {self.pass_mark} is not a percentage (0-100)")
        if not _IRI.fullmatch(self.iri_base) or self.iri_base.endswith("/"):
            problems.append(
                f"iri_base {self.iri_base!r} must be an absolute IRI without a trailing '/'"
            )
        if not _LANGUAGE.fullmatch(self.language):
            problems.append(f"language {self.language!r} is not a language tag such as 'en'")
        if problems:
            raise ValueError("PackageMeta: " + "; ".join(problems))

    @property
    def scaled_pass_mark(self):
        """The pass mark as SCORM 2004 and cmi5 want it: a decimal 0..1, e.g. "0.80"."""
        return f"{self.pass_mark / 100:.2f}"


def _clean(text):
    return _NOT_XML.sub("", text)


def _clip(text, limit):
    text = _clean(text)
    return text if len(text) <= limit else text[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"


def _href(path):
    """A relative path as a URI reference: spaces, '%', '#', '?' and non-ASCII escaped."""
    return quote(path, safe=_HREF_SAFE)


def _files(files):
    return sorted(set(files))


def _sub(parent, tag, text=None, attrs=None):
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in (attrs or {}).items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _serialise(root):
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _ids(meta):
    """The manifest's own XML IDs, each derived from the identifier so none can collide."""
    return (
        meta.identifier,
        f"{meta.identifier}-org",
        f"{meta.identifier}-item",
        f"{meta.identifier}-sco",
    )


def _scorm_skeleton(meta, namespaces, version_attr):
    manifest_id, org_id, item_id, sco_id = _ids(meta)
    attrs = {"identifier": manifest_id}
    if version_attr:
        attrs["version"] = meta.version
    root = ET.Element("manifest", attrs)
    for prefix, uri in namespaces:
        root.set(f"xmlns:{prefix}" if prefix else "xmlns", uri)
    return root, org_id, item_id, sco_id


def _resources(root, sco_id, files, scorm_type_attr):
    resources = _sub(root, "resources")
    resource = _sub(
        resources,
        "resource",
        attrs={"identifier": sco_id, "type": "webcontent", scorm_type_attr: "sco", "href": LAUNCH},
    )
    for path in _files(files):
        _sub(resource, "file", attrs={"href": _href(path)})


def scorm12_manifest(meta, files):
    """imsmanifest.xml for SCORM 1.2 (IMS CP 1.1.2, ADL CP 1.2): one SCO launched at
    index.html that lists every file; version and content hash in its IMS metadata (LOM)."""
    root, org_id, item_id, sco_id = _scorm_skeleton(
        meta, [("", IMSCP12), ("adlcp", ADLCP12), ("imsmd", IMSMD12)], version_attr=False
    )
    metadata = _sub(root, "metadata")
    _sub(metadata, "schema", "ADL SCORM")
    _sub(metadata, "schemaversion", "1.2")
    lom = _sub(metadata, "imsmd:lom")
    general = _sub(lom, "imsmd:general")
    _sub(_sub(general, "imsmd:title"), "imsmd:langstring", meta.title, {XML_LANG: meta.language})
    # The content hash as a catalogue entry: an id of exactly these files.
    entry = _sub(general, "imsmd:catalogentry")
    _sub(entry, "imsmd:catalog", "sha256")
    _sub(_sub(entry, "imsmd:entry"), "imsmd:langstring", meta.content_hash, {XML_LANG: "x-none"})
    _sub(general, "imsmd:language", meta.language)
    description = _sub(general, "imsmd:description")
    _sub(description, "imsmd:langstring", meta.description, {XML_LANG: meta.language})
    version = _sub(_sub(lom, "imsmd:lifecycle"), "imsmd:version")
    _sub(version, "imsmd:langstring", meta.version, {XML_LANG: "x-none"})

    organizations = _sub(root, "organizations", attrs={"default": org_id})
    organization = _sub(organizations, "organization", attrs={"identifier": org_id})
    _sub(organization, "title", _clip(meta.title, SCORM12_TITLE_MAX))
    item = _sub(organization, "item", attrs={"identifier": item_id, "identifierref": sco_id})
    _sub(item, "title", _clip(meta.title, SCORM12_TITLE_MAX))
    _sub(item, "adlcp:masteryscore", str(meta.pass_mark))
    _resources(root, sco_id, files, "adlcp:scormtype")
    return _serialise(root)


def scorm2004_manifest(meta, files):
    """imsmanifest.xml for SCORM 2004 4th edition: one SCO whose primary objective is
    satisfied by its score (scaled score >= pass_mark / 100)."""
    root, org_id, item_id, sco_id = _scorm_skeleton(
        meta,
        [("", IMSCP), ("adlcp", ADLCP), ("imsss", IMSSS), ("lom", LOM)],
        version_attr=True,
    )
    metadata = _sub(root, "metadata")
    _sub(metadata, "schema", "ADL SCORM")
    _sub(metadata, "schemaversion", "2004 4th Edition")
    # IEEE LOM (its XML binding): the content hash as an identifier, the version in lifeCycle.
    lom = _sub(metadata, "lom:lom")
    general = _sub(lom, "lom:general")
    identifier = _sub(general, "lom:identifier")
    _sub(identifier, "lom:catalog", "sha256")
    _sub(identifier, "lom:entry", meta.content_hash)
    _sub(_sub(general, "lom:title"), "lom:string", meta.title, {"language": meta.language})
    _sub(general, "lom:language", meta.language)
    description = _sub(general, "lom:description")
    _sub(description, "lom:string", meta.description, {"language": meta.language})
    version = _sub(_sub(lom, "lom:lifeCycle"), "lom:version")
    _sub(version, "lom:string", meta.version, {"language": "x-none"})

    organizations = _sub(root, "organizations", attrs={"default": org_id})
    organization = _sub(organizations, "organization", attrs={"identifier": org_id})
    _sub(organization, "title", meta.title)
    item = _sub(organization, "item", attrs={"identifier": item_id, "identifierref": sco_id})
    _sub(item, "title", meta.title)
    sequencing = _sub(item, "imsss:sequencing")
    objective = _sub(
        _sub(sequencing, "imsss:objectives"),
        "imsss:primaryObjective",
        attrs={"objectiveID": f"{meta.identifier}-passed", "satisfiedByMeasure": "true"},
    )
    _sub(objective, "imsss:minNormalizedMeasure", meta.scaled_pass_mark)
    # The SCO reports completion and success itself; the LMS must not assume them on exit.
    _sub(
        sequencing,
        "imsss:deliveryControls",
        attrs={"completionSetByContent": "true", "objectiveSetByContent": "true"},
    )
    # flow lets the LMS start the one SCO on its own instead of waiting for a menu choice.
    organization_sequencing = _sub(organization, "imsss:sequencing")
    _sub(organization_sequencing, "imsss:controlMode", attrs={"choice": "true", "flow": "true"})
    _resources(root, sco_id, files, "adlcp:scormType")
    return _serialise(root)


def _langstrings(parent, tag, text, language):
    _sub(_sub(parent, tag), "langstring", text, {"lang": language})


def cmi5_xml(meta, launch=LAUNCH):
    """cmi5.xml: a course (id = iri_base) of one AU, passed at the scaled pass mark and moved
    on from only when both completed and passed."""
    root = ET.Element("courseStructure", {"xmlns": CMI5})
    course = _sub(root, "course", attrs={"id": meta.iri_base})
    _langstrings(course, "title", meta.title, meta.language)
    _langstrings(course, "description", meta.description, meta.language)
    au = _sub(
        root,
        "au",
        attrs={
            "id": f"{meta.iri_base}/au/module",
            "moveOn": "CompletedAndPassed",
            "masteryScore": meta.scaled_pass_mark,
            "launchMethod": "AnyWindow",
        },
    )
    _langstrings(au, "title", meta.title, meta.language)
    _langstrings(au, "description", meta.description, meta.language)
    _sub(au, "url", _href(launch))
    return _serialise(root)
