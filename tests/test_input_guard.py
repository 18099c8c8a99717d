"""The input guard (tpmsite.ops.middleware) at its edges: what it lets through and what it refuses.

Requests go through the guard alone, with a stand-in view behind it, so each check is fast
and says whether a request reached the view (passed) or what the client got instead (the
status, and the problem+json or text naming the parameter). Every refusal has a neighbouring
value that passes. tests/test_bad_input.py covers the same rules end to end.
"""

import json
import time

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from tpmsite.ops.middleware import INT64_MAX, INT64_MIN, MAX_DIGITS, InputGuardMiddleware
from wagtail.models import Site

REACHED = b"reached the view"
rf = RequestFactory()


def reached(request):
    return HttpResponse(REACHED)


def guard(path, data=None, view=reached, method="get", **headers):
    request = getattr(rf, method)(path, data or {}, **headers)
    return InputGuardMiddleware(view)(request)


def passes(response):
    return response.status_code == 200 and response.content == REACHED


def problem(response, status):
    """The problem+json body of a refusal with this status."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == status
    return body


def refused(response, name, detail, status=400, where="query"):
    """A refusal naming parameter ``name``: title, detail and the error's location."""
    body = problem(response, status)
    assert body["title"] == "Invalid parameter"
    assert body["detail"] == f"{name}: {detail}"
    assert body["errors"] == [{"loc": [where, name], "msg": detail}]
    return True


OUT_OF_RANGE = "is out of range (ids and counts are signed 64-bit)"
NOT_A_NUMBER = "is not a number (² and ① are not digits)"
NUL = "must not contain NUL characters"


@pytest.mark.parametrize(
    ("inside", "outside"),
    [
        (str(INT64_MAX), str(INT64_MAX + 1)),
        (str(INT64_MIN), str(INT64_MIN - 1)),
        ("+" + str(INT64_MAX), "+" + str(INT64_MAX + 1)),
        (f"{INT64_MAX}.0", f"{INT64_MAX + 1}.0"),
        ("9_223_372_036_854_775_807", "9_223_372_036_854_775_808"),
        (" 7 ", f" {INT64_MAX + 1} "),
        ("0" * (MAX_DIGITS - 1) + "1", "0" * MAX_DIGITS + "1"),  # a thousand digits, then more
        ("_".join("0" * (MAX_DIGITS - 1) + "1"), "_".join("0" * MAX_DIGITS + "1")),
    ],
)
def test_api_numbers_are_allowed_up_to_64_bits_and_refused_one_past(inside, outside):
    assert passes(guard("/api/v3/pages/", {"offset": inside}))
    assert refused(guard("/api/v3/pages/", {"offset": outside}), "offset", OUT_OF_RANGE)


def test_text_that_is_not_a_number_is_no_number_out_of_range():
    for value in ["abc", "", "1e30", "9" * 30 + "x", "__1", "1__0", "1.5"]:
        assert passes(guard("/api/v2/pages/", {"limit": value})), value
    assert refused(guard("/api/v2/pages/", {"limit": "9" * 30}), "limit", OUT_OF_RANGE)


def test_only_full_text_search_may_hold_a_huge_number_in_the_api():
    huge = str(INT64_MAX + 1)
    for name in ("search", "q"):
        assert passes(guard("/api/v3/pages/", {name: huge}))
    assert refused(guard("/api/v3/pages/", {"anything": huge}), "anything", OUT_OF_RANGE)


def test_on_the_site_only_limit_and_offset_are_numbers():
    huge = str(INT64_MAX + 1)
    assert passes(guard("/", {"page": huge}))
    assert passes(guard("/", {"offset": str(INT64_MAX)}))
    response = guard("/", {"offset": huge})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == f"Invalid parameter offset: {OUT_OF_RANGE}"


def test_digit_symbols_are_refused_except_in_searches():
    for value in ("²", "①"):
        assert refused(guard("/api/v3/pages/", {"limit": value}), "limit", NOT_A_NUMBER)
        assert guard("/", {"answer": value}).content.decode() == (
            f"Invalid parameter answer: {NOT_A_NUMBER}"
        )
        assert passes(guard("/api/v3/pages/", {"search": value}))
        assert passes(guard("/", {"q": value}))
    assert passes(guard("/api/v3/pages/", {"limit": "٣"}))  # Arabic-Indic three: a number
    assert passes(guard("/", {"answer": "3"}))


def test_nul_characters_are_refused_in_names_values_and_the_path():
    assert refused(guard("/api/v3/pages/", {"se\x00arch": "a"}), "search", NUL)
    assert refused(guard("/api/v3/pages/", {"search": "a\x00b"}), "search", NUL)
    assert passes(guard("/api/v3/pages/", {"search": "a b"}))
    assert refused(guard("/api/v3/pa\x00ges/"), "path", NUL, where="path")
    site = guard("/over\x00view/")
    assert site.status_code == 400
    assert site.content.decode() == f"Invalid parameter path: {NUL}"
    assert passes(guard("/overview/"))


def test_a_path_id_beyond_64_bits_is_not_found():
    assert passes(guard(f"/api/v3/pages/{INT64_MAX}/"))
    body = problem(guard(f"/api/v3/pages/{INT64_MAX + 1}/revisions/"), 404)
    assert body["detail"] == f"{INT64_MAX + 1} is beyond any id (signed 64-bit)"
    assert body["title"] == "Not Found" and "errors" not in body
    long = "1" * 50
    body = problem(guard(f"/api/v3/pages/{long}/"), 404)
    assert body["detail"] == f"{long[:40]} is beyond any id (signed 64-bit)"  # cut short
    with pytest.raises(Http404):  # the site's own 404 page
        guard(f"/comparison/history/{INT64_MAX + 1}/1/")
    assert passes(guard(f"/comparison/history/{INT64_MAX}/1/"))


BEYOND_UTC = "is a date-time beyond what UTC can represent"


def test_api_date_times_beyond_utc_are_refused_and_the_site_leaves_them_to_its_views():
    for moment in ("9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"):
        response = guard("/api/v3/pages/", {"first_published_at": moment})
        assert refused(response, "first_published_at", BEYOND_UTC)
        assert passes(guard("/comparison/", {"as_of": moment}))
    for moment in ("9999-12-31T23:59:59+05:00", "9999-12-31T23:59:59", "0001-01-01", "2025-"):
        assert passes(guard("/api/v3/pages/", {"first_published_at": moment})), moment
    assert passes(guard("/api/v3/pages/", {"title": "1999-12-31 party"}))


def test_the_verdict_on_a_date_time_does_not_depend_on_the_servers_time_zone(monkeypatch):
    # 20:00 UTC on the last day is fine; in a zone 14 hours ahead of UTC it is already 10000.
    late = "9999-12-31T20:00:00+00:00"
    monkeypatch.setenv("TZ", "Etc/GMT-14")  # POSIX spelling of UTC+14
    time.tzset()
    try:
        assert passes(guard("/api/v3/pages/", {"first_published_at": late}))
        response = guard("/api/v3/pages/", {"first_published_at": "9999-12-31T23:59:59-05:00"})
        assert refused(response, "first_published_at", BEYOND_UTC)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_request_that_passes_reaches_the_view_as_it_came():
    def echo(request):
        return HttpResponse(request.get_full_path())

    assert guard("/api/v3/pages/", {"limit": "5"}, view=echo).content == b"/api/v3/pages/?limit=5"
    assert guard("/overview/", {"q": "x²"}, view=echo).content == b"/overview/?q=x%C2%B2"


def test_a_v2_search_operator_must_be_and_or_or():
    for operator in ("and", "or", ""):
        assert passes(guard("/api/v2/pages/", {"search_operator": operator}))
    detail = 'must be "and" or "or"'
    response = guard("/api/v2/pages/", {"search_operator": "xx"})
    assert refused(response, "search_operator", detail)
    assert passes(guard("/api/v3/pages/", {"search_operator": "xx"}))  # v3 checks its own


def test_a_revisions_user_id_must_be_a_user_id():
    revisions = "/api/v3/pages/5/revisions/"
    assert passes(guard(revisions, {"user_id": "7"}))
    assert refused(guard(revisions, {"user_id": "abc"}), "user_id", "must be a user id")
    assert passes(guard("/api/v3/pages/5/", {"user_id": "abc"}))  # only revisions take one


@pytest.mark.django_db
def test_root_needs_a_site_serving_the_host():
    names = ("child_of", "descendant_of", "translation_of")
    for name in names:
        assert passes(guard("/api/v3/pages/", {name: "root"}))  # the default site serves it
    Site.objects.all().delete()
    detail = "no site serves this host, so it has no root"
    for name in names:
        assert refused(guard("/api/v3/pages/", {name: "root"}), name, detail)
        assert passes(guard("/api/v3/pages/", {name: "5"}))
    assert passes(guard("/api/v3/pages/", {"ancestor_of": "root"}))  # takes no "root"
    assert passes(guard("/", {"child_of": "root"}))  # the site has no such filter


def not_valid(value):
    return f"{value[:40]!r} is not a valid value"


def test_v2_filters_are_checked_against_the_field_they_filter():
    aspects = "/api/v2/pages/?type=roles.AspectPage"
    assert passes(guard(f"{aspects}&statements=5"))
    for value in ("abc", "x" * 50):
        response = guard(f"{aspects}&statements={value}")
        assert refused(response, "statements", not_valid(value))  # cut to 40 characters
    assert refused(
        guard("/api/v2/pages/?first_published_at=soon"), "first_published_at", not_valid("soon")
    )
    assert passes(guard("/api/v2/pages/?first_published_at=2025-03-05T10:00:00Z"))
    assert passes(guard("/api/v2/pages/?title=abc"))  # any text will do for a text field
    assert passes(guard("/api/v2/pages/?unknown=abc"))  # not a field: Wagtail answers


def test_v2_converts_some_filters_itself_and_the_guard_leaves_them_alone():
    # Booleans, integers and forward keys: v2 answers its own 400 for these.
    lessons = "/api/v2/pages/?type=roles.LessonPage"
    for query in ("show_in_menus=maybe", "depth=x", "owner=x", "locale=x"):
        assert passes(guard(f"/api/v2/pages/?{query}")), query
    assert passes(guard(f"{lessons}&body=anything"))  # a stream field compares as text
    careers = "/api/v2/pages/?type=roles.CareerPathPage"
    assert refused(guard(f"{careers}&steps=1.5"), "steps", not_valid("1.5"))  # reverse key


def test_v2_checks_the_filters_of_the_one_type_asked_for_or_of_any_page():
    both = "/api/v2/pages/?type=roles.AspectPage,roles.RolePage"
    assert passes(guard(f"{both}&statements=abc"))  # not a field of every page: Wagtail's 400
    assert passes(guard("/api/v2/pages/?type=roles.Nothing&statements=abc"))  # Wagtail's 400
    assert refused(
        guard(f"{both}&first_published_at=soon"), "first_published_at", not_valid("soon")
    )


def test_v2_find_checks_the_id_and_other_endpoints_are_left_alone():
    assert refused(guard("/api/v2/pages/find/?id=abc"), "id", not_valid("abc"))
    assert passes(guard("/api/v2/pages/find/?id=5"))
    assert passes(guard("/api/v2/pages/5/?id=abc"))  # a detail view takes no filters
    assert passes(guard("/api/v2/images/?id=abc"))  # an integer column: v2 converts it
    for path in ("/api/v2/", "/api/v2/nothing/", "/api/v2/pages/5/nothing/"):
        assert passes(guard(f"{path}?id=abc&statements=abc")), path  # no viewset's filters
