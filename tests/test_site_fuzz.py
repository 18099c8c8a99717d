"""No input makes the public site answer 5xx: generated paths, table dates, searches, knowledge
check and self-assessment submissions, API list parameters, numbers in any script or beyond
64 bits in parameters and paths, and unknown API paths with any method, each against one small
module. Under /api/ every answer is JSON as well.

Bounded (at most 100 examples per test, derandomized) so the file runs in about a minute.
"""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import build_module
from tests.factories import LessonPageFactory, knowledge_check

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text with the troublesome kinds of character: RTL marks, emoji, NUL and other controls,
# lone surrogates (sent as their invalid UTF-8 bytes), quotes and FTS operators.
ODD = st.sampled_from(["\u202e", "\u200f", "😀", "\x00", "\x7f", "\ud800", '"', "'", "*", "%"])
TEXT = st.lists(st.one_of(st.text(max_size=20), ODD), max_size=8).map("".join)
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Around the edges of 32 and 64 bits, signed and unsigned: 2**63 - 1 fits, 2**63 does not.
EDGES = [2**31, INT64_MAX, 2**64, INT64_MIN, 10**20, 10**30]
NEAR_EDGE = st.sampled_from(EDGES).flatmap(lambda edge: st.integers(edge - 2, edge + 2))
# The spellings int(), pydantic or Django read as the same number.
SPELLING = st.sampled_from(["{}", "+{}", "{}.0", " {} ", "00{}", "{}_0"])
SPELLED = st.tuples(NEAR_EDGE, SPELLING).map(lambda pair: pair[1].format(pair[0]))
# Digits of other scripts ("٣", which int() reads) mixed with digit symbols ("²", "①", "፩"),
# which str.isdigit() accepts and int() refuses: code checking one before the other crashed.
DIGIT_SYMBOLS = [c for c in map(chr, range(0x10000)) if c.isdigit() and not c.isdecimal()]
DIGIT = st.one_of(st.sampled_from(DIGIT_SYMBOLS), st.characters(categories=["Nd"]))
UNICODE_DIGITS = st.text(DIGIT, min_size=1, max_size=25)
NUMBERISH = st.one_of(st.integers(-(10**6), 10**6).map(str), SPELLED, UNICODE_DIGITS, TEXT)


@pytest.fixture
def site(db):
    module = build_module(roles=2, aspects=2, lessons=1)
    # A lesson with a knowledge check, so that submitted answers are read.
    module.lessons.insert(0, LessonPageFactory(parent=module.home, body=[knowledge_check()]))
    client = Client(raise_request_exception=False)
    return module, client


def encode(text):
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def get(client, path, params=()):
    """GET with the query string built by hand, so repeated keys and odd bytes survive."""
    query = "&".join(f"{encode(k)}={encode(v)}" for k, v in params)
    response = client.get(f"{path}?{query}" if query else path)
    assert response.status_code < 500, (path, params, response.content[:300])
    return response


SEGMENT = st.one_of(
    TEXT,
    st.just(".."),
    st.just(""),
    st.text(min_size=300, max_size=600),
    st.sampled_from(["comparison", "history", "infographic", "roles", "api", "v3", "pages"]),
)


@FUZZ
@given(segments=st.lists(SEGMENT, max_size=6), slash=st.booleans())
def test_any_path(site, segments, slash):
    _, client = site
    path = "/" + "/".join(encode(s) for s in segments) + ("/" if slash else "")
    get(client, path.replace("%2F", "/"))


AS_OF = st.one_of(
    TEXT,
    st.dates().map(str),
    st.from_regex(r"\A-?\d{1,6}-\d{1,3}-\d{1,3}\Z"),
    st.sampled_from(["0000-00-00", "9999-12-31", "0001-01-01", "2025-02-30", "2025-3-5"]),
)


@FUZZ
@given(values=st.lists(AS_OF, min_size=1, max_size=3))
def test_the_table_as_of_any_date(site, values):
    module, client = site
    get(client, module.comparison.url, [("as_of", v) for v in values])


@FUZZ
@given(q=st.one_of(TEXT, st.text(min_size=200, max_size=3000)), page=NUMBERISH)
def test_any_search(site, q, page):
    _, client = site
    get(client, "/search/", [("q", q), ("page", page)])


@FUZZ
@given(
    check=st.one_of(st.none(), TEXT, st.just("real"), st.text(min_size=100, max_size=5000)),
    answers=st.lists(NUMBERISH, max_size=3),
)
def test_any_knowledge_check_submission(site, check, answers):
    module, client = site
    lesson = module.lessons[0]
    if check == "real":
        check = next((b.id for b in lesson.body if b.block_type == "knowledge_check"), "x")
    params = ([("check", check)] if check is not None else []) + [("answer", a) for a in answers]
    get(client, lesson.url, params)


@FUZZ
@given(
    known=st.lists(NUMBERISH, max_size=4),
    unknown=st.lists(st.tuples(TEXT.map("q-{}".format), NUMBERISH), max_size=4),
    many=st.integers(0, 300),
)
def test_any_self_assessment_submission(site, known, unknown, many):
    module, client = site
    questions = [q.id for q in module.assessment.questions]
    params = [(f"q-{qid}", answer) for qid, answer in zip(questions, known, strict=False)]
    params += unknown + [(f"q-extra{i}", "0") for i in range(many)]
    get(client, module.assessment.url, params)


API_PARAM = st.sampled_from(
    ["offset", "limit", "fields", "order", "type", "search", "child_of", "locale"]
    + ["id", "descendant_of", "ancestor_of", "translation_of", "search_operator", "site"]
)
API_VALUE = st.one_of(
    NUMBERISH,
    st.sampled_from(["*", "-title", "title,-id", "random", "roles.LessonPage", "_,id"]),
    st.sampled_from(["roles.Nope", "wagtailcore.Page", "body(*)", "-*", "id,"]),
)


@FUZZ
@given(
    version=st.sampled_from(["/api/v2/pages/", "/api/v3/pages/"]),
    params=st.lists(st.tuples(API_PARAM, API_VALUE), max_size=5),
)
def test_any_api_listing(site, version, params):
    _, client = site
    response = get(client, version, params)
    assert response["Content-Type"].startswith(("application/json", "application/problem"))


def ascii_integer(value):
    """The number in value if it is one in plain ASCII digits (the oracle, independent of the
    guard's own reading): such a number beyond 64 bits must be refused."""
    return int(value) if re.fullmatch(r"\s*[+-]?[0-9]+\s*", value) else None


DATE_TIME = st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.tuples(
        st.sampled_from(["0001-01-01T00:00:00", "9999-12-31T23:59:59"]), st.integers(-14, 14)
    ).map(lambda pair: f"{pair[0]}{pair[1]:+03d}:00"),
)
# Every parameter Wagtail's v2 and v3 listings read as a number (or a date-time), with the
# page type whose field filter it is.
NUMERIC = [
    ("limit", None),
    ("offset", None),
    ("id", None),
    ("child_of", None),
    ("descendant_of", None),
    ("ancestor_of", None),
    ("translation_of", None),
    ("alias_of", None),
    ("first_published_at", None),
    ("statements", "roles.AspectPage"),
    ("role", "roles.CareerPathPage"),
    ("steps", "roles.CareerPathPage"),
]


@pytest.fixture
def token_site(site, moderator):
    from wagtail.models import APIToken

    _, token = APIToken.create_token(user=moderator, name="fuzz")
    return *site, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@FUZZ
@given(
    api=st.sampled_from(["/api/v2/pages/", "/api/v3/pages/", "/api/v2/pages/find/"]),
    parameter=st.sampled_from(NUMERIC),
    value=st.one_of(NUMBERISH, DATE_TIME),
)
def test_any_number_in_any_numeric_api_parameter(site, api, parameter, value):
    _, client = site
    name, page_type = parameter
    params = ([("type", page_type)] if page_type else []) + [(name, value)]
    response = get(client, api, params)
    assert response["Content-Type"].startswith(("application/json", "application/problem"))
    number = ascii_integer(value)
    if number is not None and not INT64_MIN <= number <= INT64_MAX:
        assert response.status_code == 400, (api, params)


@FUZZ
@given(
    name=st.sampled_from(["user_id", "created_at_from", "approved_go_live_at_to", "limit"]),
    value=st.one_of(NUMBERISH, DATE_TIME),
)
def test_any_revision_filter(token_site, name, value):
    module, client, auth = token_site
    path = f"/api/v3/pages/{module.aspects[0].pk}/revisions/?{encode(name)}={encode(value)}"
    response = client.get(path, **auth)
    assert response.status_code < 500, (name, value, response.content[:300])
    assert response["Content-Type"].startswith(("application/json", "application/problem"))


@FUZZ
@given(
    path=st.sampled_from(["/", "/search/", "/comparison/"]),
    name=st.sampled_from(["limit", "offset", "page", "as_of", "q"]),
    value=NUMBERISH,
)
def test_any_number_in_site_parameters(site, path, name, value):
    _, client = site
    get(client, path, [(name, value)])


ID_PATHS = [
    "/api/v2/pages/{}/",
    "/api/v3/pages/{}/",
    "/api/v3/pages/{}/revisions/",
    "/api/v3/pages/{page}/revisions/{}/",
    "/api/v3/pages/{}/actions/publish/",
    "/api/v2/images/{}/",
    "/api/v3/sites/{}/",
    "/comparison/history/{}/{role}/",
    "/comparison/history/{aspect}/{}/",
]


@FUZZ
@given(
    template=st.sampled_from(ID_PATHS),
    number=st.one_of(NEAR_EDGE, st.integers(-5, 0)),  # no page has these ids: nothing deleted
    method=st.sampled_from(["GET", "PATCH", "DELETE", "POST"]),
)
def test_any_id_in_a_path(token_site, template, number, method):
    module, client, auth = token_site
    ids = {"page": module.aspects[0].pk, "aspect": module.aspects[0].pk}
    path = template.format(number, role=module.roles[0].pk, **ids)
    api = path.startswith("/api/")
    response = client.generic(method if api else "GET", path, b"{}", "application/json", **auth)
    assert response.status_code < 500, (method, path, response.content[:300])
    refused = not INT64_MIN <= number <= INT64_MAX
    if refused:
        assert response.status_code == 404, (method, path)
    if api:
        assert response["Content-Type"].startswith(("application/json", "application/problem"))
        assert refused == (b"beyond any id" in response.content), (method, path)


API_SEGMENT = st.one_of(
    st.sampled_from(["v2", "v3", "v4", "pages", "locales", "images", "documents", "actions"]),
    st.sampled_from(["revisions", "sites", "comparison", "module", "find", "schema", "1"]),
    TEXT.filter(lambda text: "/" not in text),
    NEAR_EDGE.map(str),
)
METHOD = st.sampled_from(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])


@FUZZ
@given(segments=st.lists(API_SEGMENT, max_size=4), slash=st.booleans(), method=METHOD)
def test_any_api_path_with_any_method(db, segments, slash, method):
    client = Client(raise_request_exception=False)  # no content needed: saves building it
    path = "/api/" + "/".join(encode(s) for s in segments) + ("/" if slash else "")
    response = client.generic(method, path, b'{"title": "x"}', "application/json")
    assert response.status_code < 500, (method, path, response.content[:300])
    if response.status_code >= 400:
        assert response["Content-Type"].startswith(("application/json", "application/problem"))
