"""No input makes the public site answer 5xx: generated paths, table dates, searches, knowledge
check and self-assessment submissions, and API list parameters, each against one small module.

Bounded (tens of examples per test, derandomized) so the file runs in well under a minute.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import build_module

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
HUGE = st.sampled_from([2**31, 2**63, 2**64, 10**30, -(2**63) - 1])
NUMBERISH = st.one_of(st.integers(-(10**6), 10**6), HUGE, TEXT).map(str)


@pytest.fixture
def site(db):
    module = build_module(roles=2, aspects=2, lessons=1)
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
