"""Query parameters and path ids that answered 500: each now gets a 4xx naming the problem.

Each test has cases that answered 500 (or a 200, or a 4xx not naming the parameter) before
tpmsite.ops.middleware.InputGuardMiddleware learnt about them; the guard itself crashed on "²". The
in-range cases are the positive controls.
"""

import pytest
from wagtail.models import APIToken, Site

from tests.factories import LessonPageFactory, knowledge_check

pytestmark = pytest.mark.django_db

LARGEST = 2**63 - 1  # the largest id a signed 64-bit column holds: still allowed
TOO_BIG = 2**63  # one more: refused


@pytest.fixture
def auth(moderator):
    _, token = APIToken.create_token(user=moderator, name="bad input")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def assert_problem(response, status, parameter=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["detail"]
    if parameter:
        assert body["errors"][0]["loc"] == ["query", parameter]
        assert parameter in body["detail"]


def test_digit_symbols_are_not_numbers(client, module):
    # str.isdigit() is True for these, int() fails on them: the guard itself crashed on
    # limit/offset, and so did the site's answer checks (isdigit() first, then int()).
    lesson = LessonPageFactory(parent=module.home, body=[knowledge_check()])
    check = lesson.body[0].id
    for value in ("²", "①", "፩"):
        for name in ("limit", "offset"):
            for api in ("/api/v2/pages/", "/api/v3/pages/"):
                assert_problem(client.get(f"{api}?{name}={value}"), 400, name)
            assert client.get(f"/?{name}={value}").status_code == 400
        question = module.assessment.questions[0].id
        assert client.get(f"{module.assessment.url}?q-{question}={value}").status_code == 400
        assert client.get(f"{lesson.url}?check={check}&answer={value}").status_code == 400
    assert client.get("/search/?q=x²").status_code == 200  # free text may hold them
    arabic_three = client.get(f"{module.assessment.url}?q-{question}=٣")  # a number: the page
    assert arabic_three["Content-Type"].startswith("text/html")  # answers, not the guard
    assert client.get(f"{lesson.url}?check={check}&answer=0").status_code == 200


def test_answer_checks_read_only_ascii_digits_whatever_reaches_them(module):
    """Behind the guard, the pages' own answer checks refuse digit symbols too (they read
    isdigit() then int(), which crashed on "²"); "٣" is Arabic-Indic three, also refused."""
    lesson = LessonPageFactory(parent=module.home, body=[knowledge_check()])
    check = lesson.body[0].id
    assessment = module.assessment.specific
    question = assessment.questions[0].id
    for value in ("²", "①", "٣"):
        assert "error" in lesson.check_answer({"check": check, "answer": value}), value
        _, errors = assessment.read_answers({f"q-{question}": value})
        assert errors == ["Question 1: choose one of its answers.", *errors[1:]], value
    assert "error" not in lesson.check_answer({"check": check, "answer": "1"})


INTEGER_FILTERS = [
    ("type=roles.AspectPage&statements={n}", "statements"),
    ("type=roles.CareerPathPage&role={n}", "role"),
    ("type=roles.CareerPathPage&steps={n}", "steps"),
    ("alias_of={n}", "alias_of"),
    ("id={n}", "id"),
    ("child_of={n}", "child_of"),
    ("descendant_of={n}", "descendant_of"),
    ("ancestor_of={n}", "ancestor_of"),
    ("translation_of={n}", "translation_of"),
    ("limit={n}", "limit"),
]
# The spellings int(), pydantic or Django read as that number.
SPELLINGS = ["{}", "%2B{}", "{}.0", "%20{}%20", "1_{}", "0000{}"]


@pytest.mark.parametrize("api", ["/api/v2/pages/", "/api/v3/pages/"])
def test_integer_filters_beyond_64_bits_are_refused(client, module, api):
    values = [spelling.format(TOO_BIG) for spelling in SPELLINGS] + [str(-(2**63) - 1)]
    for query, parameter in INTEGER_FILTERS:
        for value in values:
            assert_problem(client.get(api + "?" + query.format(n=value)), 400, parameter)


def test_unicode_decimal_digits_count_as_numbers_too(client, module):
    # int() reads Arabic-Indic digits, so v2 passed these to the database as a 23-digit id.
    huge = "٩" * 23
    response = client.get(f"/api/v2/pages/?type=roles.AspectPage&statements={huge}")
    assert_problem(response, 400, "statements")


def test_the_64_bit_boundary_itself_is_allowed(client, module):
    assert client.get(f"/api/v3/pages/?id={LARGEST}").json()["items"] == []
    assert client.get(f"/api/v2/pages/?id={-(2**63)}").json()["items"] == []
    aspect = module.aspects[0]
    statement = aspect.statements.first()
    rows = client.get(f"/api/v2/pages/?type=roles.AspectPage&statements={statement.pk}").json()
    assert [row["id"] for row in rows["items"]] == [aspect.pk]
    assert client.get(f"/api/v3/pages/?descendant_of={LARGEST}").status_code == 422  # no page


API_PATHS = [
    "/api/v2/pages/{n}/",
    "/api/v3/pages/{n}/",
    "/api/v3/pages/{n}.0/",
    "/api/v3/pages/{n}/revisions/",
    "/api/v3/pages/{page}/revisions/{n}/",
    "/api/v2/images/{n}/",
    "/api/v3/sites/{n}/",
]


def test_api_path_ids_beyond_64_bits_are_not_found(client, module, auth):
    for path in API_PATHS:
        url = path.format(n=TOO_BIG, page=module.aspects[0].pk)
        assert_problem(client.get(url, **auth), 404)
        patched = client.patch(url, data="{}", content_type="application/json", **auth)
        assert patched.status_code in (404, 405) and "json" in patched["Content-Type"]


def test_site_path_ids_beyond_64_bits_are_not_found(client, module):
    aspect, role = module.aspects[0], module.roles[0]
    history = module.comparison.url + "history/{}/{}/"
    assert client.get(history.format(aspect.pk, role.pk)).status_code == 200
    assert client.get(history.format(LARGEST, role.pk)).status_code == 404
    assert client.get(history.format(TOO_BIG, role.pk)).status_code == 404
    assert client.get(history.format(aspect.pk, 2**64)).status_code == 404


def test_v2_search_operator_must_be_and_or_or(client, module):
    bad = client.get("/api/v2/pages/?search=role&search_operator=xx")
    assert_problem(bad, 400, "search_operator")
    for operator in ("and", "or", ""):
        url = f"/api/v2/pages/?search=role&search_operator={operator}"
        assert client.get(url).status_code == 200


def test_revision_user_id_must_be_a_user_id(client, module, auth, moderator):
    # Wagtail types user_id as int | str (user models may have non-integer keys), so "abc"
    # passes validation and reaches the integer column: ValueError, 500.
    revisions = f"/api/v3/pages/{module.aspects[0].pk}/revisions/"
    for value in ("abc", "", "1.5", str(TOO_BIG)):
        assert_problem(client.get(f"{revisions}?user_id={value}", **auth), 400, "user_id")
    assert client.get(f"{revisions}?user_id={moderator.pk}", **auth).status_code == 200


DATE_TIME_FILTERS = [
    ("/api/v2/pages/?first_published_at={}", "first_published_at"),
    ("/api/v3/pages/?first_published_at={}", "first_published_at"),
    ("/api/v3/pages/{page}/revisions/?created_at_from={}", "created_at_from"),
    ("/api/v3/pages/{page}/revisions/?approved_go_live_at_to={}", "approved_go_live_at_to"),
]


def test_date_times_beyond_what_utc_can_hold_are_refused(client, module, auth):
    for url, parameter in DATE_TIME_FILTERS:
        url = url.replace("{page}", str(module.aspects[0].pk))
        for moment in ("9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00%2B05:00"):
            assert_problem(client.get(url.format(moment), **auth), 400, parameter)
        assert client.get(url.format("2025-03-05T10:00:00%2B01:00"), **auth).status_code == 200


def test_v2_reverse_relation_filters_need_an_id(client, module):
    # v2 converts the value of a forward key but passes a reverse relation's value (an
    # aspect's statements) straight to the query, which raises ValueError: 500.
    for page_type, parameter, value in [
        ("AspectPage", "statements", "abc"),
        ("CareerPathPage", "steps", "1.5"),
        ("CareerPathPage", "steps", ""),
    ]:
        url = f"/api/v2/pages/?type=roles.{page_type}&{parameter}={value}"
        assert_problem(client.get(url), 400, parameter)
    assert_problem(client.get("/api/v2/pages/find/?id=abc"), 400, "id")  # find's id too
    assert client.get("/api/v2/pages/?type=roles.AspectPage&show_in_menus=true").status_code == 200


def test_root_without_any_site_is_a_bad_request(client, module, auth):
    names = ("child_of", "descendant_of", "translation_of")
    apis = ("/api/v2/pages/", "/api/v3/pages/")
    for api in apis:
        assert client.get(f"{api}?descendant_of=root").status_code == 200  # with a site: fine
    Site.objects.all().delete()
    for api in apis:
        for name in names:
            assert_problem(client.get(f"{api}?{name}=root"), 400, name)
            assert_problem(client.get(f"{api}?{name}=root", **auth), 400, name)
        assert client.get(api).status_code == 200
