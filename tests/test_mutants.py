"""Tests for bugs that once passed the whole suite (issue 12) and have no other home here.

Each was found by putting a small, realistic bug into a copy of the code: the test fails
with the bug and passes without it. Most such tests live with the feature they check; these
guard code whose own test files belong to other work.
"""

import pytest

pytestmark = pytest.mark.django_db

LARGEST = 2**63 - 1  # a signed 64-bit integer: the most an SQLite (or PostgreSQL) offset holds


@pytest.mark.parametrize("api", ["/api/v2/pages/", "/api/v3/pages/"])
def test_an_offset_is_allowed_up_to_64_bits_and_refused_one_past(client, module, api):
    # 10**20 was refused and small offsets allowed; a limit taken for the unsigned one
    # (2**64 - 1) let 2**63 through to the database, where it overflowed: a 500.
    client.raise_request_exception = False
    at_limit = client.get(f"{api}?offset={LARGEST}")
    assert at_limit.status_code == 200
    assert at_limit.json()["items"] == []
    past = client.get(f"{api}?offset={LARGEST + 1}")
    assert past.status_code == 400
    assert past["Content-Type"].startswith("application/problem+json")
    assert past.json()["errors"][0]["loc"] == ["query", "offset"]


def test_the_site_refuses_an_offset_past_64_bits_too(client, module):
    client.raise_request_exception = False
    assert client.get(f"{module.home.url}?offset={LARGEST}").status_code == 200
    assert client.get(f"{module.home.url}?offset={LARGEST + 1}").status_code == 400
