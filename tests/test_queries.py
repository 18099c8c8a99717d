"""Every public read costs at most 10 queries, and the same number whatever the module's size.

Each read is measured on a small module and on a large one (60 aspects x 10 roles x 30
lessons); a query added per aspect, role or lesson shows up as a difference between the two.
"""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import build_module

# 11 since learners' comments: the module page reads them too (one query). What this file
# guards above all is that no read grows with the module: small and large must cost the same.
MAX_QUERIES = 11
LARGE = {"roles": 10, "aspects": 60, "lessons": 30}


def build_sized_module(**size):
    """A module, plus a lesson with a knowledge check, a scenario and a table of all of its
    aspects."""
    module = build_module(**size)
    module.lessons.append(
        factories.LessonPageFactory(
            parent=module.home,
            body=[
                {"type": "paragraph", "value": factories.PARAGRAPH},
                {
                    "type": "comparison",
                    "value": {"caption": "", "aspects": [a.pk for a in module.aspects]},
                },
                factories.knowledge_check(),
                factories.scenario([(role, "In practice.") for role in module.roles[:2]]),
            ],
        )
    )
    return module


# Each public read: a name for the report, and its address in a given module.
READS = {
    "module page": lambda m: m.home.url,
    "comparison table": lambda m: m.comparison.url,
    "infographic": lambda m: m.comparison.url + "infographic/",
    "aspect": lambda m: m.aspects[0].url,
    "role index": lambda m: m.role_index.url,
    "role": lambda m: m.roles[0].url,
    "career index": lambda m: m.career_index.url,
    "career path": lambda m: m.careers[0].url,
    "lesson with a knowledge check": lambda m: m.lessons[-1].url,
    "self-assessment": lambda m: m.assessment.url,
    "final check": lambda m: m.final_check.url,
    "final check result": lambda m: (
        f"{m.final_check.url}?q-{m.lessons[-1].pk}-{m.lessons[-1].body[2].id}=1"
    ),
    "completion summary": lambda m: m.final_check.url + "summary/",
    "API v3 comparison": lambda m: "/api/v3/comparison/",
    "API v3 module": lambda m: "/api/v3/module/",
    "API v2 pages": lambda m: "/api/v2/pages/",
    "API v3 pages": lambda m: "/api/v3/pages/",
    "API v2 aspect detail": lambda m: f"/api/v2/pages/{m.aspects[0].pk}/",
    "API v2 lesson detail": lambda m: f"/api/v2/pages/{m.lessons[-1].pk}/",
    # One page type matches: a results page costs a query per type shown (four at most).
    "search": lambda m: "/search/?q=aspect",
    "sitemap": lambda m: "/sitemap.xml",
}


@pytest.fixture(scope="module")
def large_counts(django_db_setup, django_db_blocker):
    """Queries per read on the large module, built once for this file and then rolled back."""
    counts = {}
    with django_db_blocker.unblock(), transaction.atomic():
        module = build_sized_module(**LARGE)
        client = Client()
        assert (len(module.aspects), len(module.roles)) == (60, 10)
        for name, address in READS.items():
            url = address(module)
            client.get(url)  # warms process-wide caches (content types, site root paths)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            counts[name] = (response.status_code, len(queries))
        transaction.set_rollback(True)
    return counts


@pytest.fixture
def small(db):
    return build_sized_module(roles=2, aspects=2, lessons=3)


@pytest.mark.parametrize("name", READS)
def test_read_costs_few_queries_whatever_the_module_size(
    name, small, large_counts, client, django_assert_max_num_queries
):
    url = READS[name](small)
    client.get(url)  # as for the large module: process-wide caches warm
    with django_assert_max_num_queries(MAX_QUERIES) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert large_counts[name] == (200, len(queries)), (
        f"{name}: {len(queries)} queries on the small module, "
        f"{large_counts[name][1]} on the large one"
    )
