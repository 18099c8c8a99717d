"""The in-process half of `make bench`, run by scripts/bench.py as its own Django process.

    bench_django.py grow     # grow DATABASE_URL's site to 60 aspects x 10 roles x 30 lessons
    bench_django.py measure  # print one JSON line: median render time and queries per page

bench.py passes the production settings' environment (SECRET_KEY, DATABASE_URL, ...) with
PAGE_CACHE_SECONDS=0, so each render is the real work, not a cache hit.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# As manage.py does: the settings package lives in site/, the app at the root.
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

LARGE = {"aspects": 60, "roles": 10, "lessons": 30}
RENDERS = int(os.environ.get("BENCH_RENDERS", "20"))
FIXED_PATHS = [
    "/",
    "/overview/",
    "/comparison/",
    "/api/v3/comparison/",
    "/api/v2/pages/",
    "/comparison/infographic/",
]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpmsite.settings.production")
    import django

    django.setup()


def grow(target=LARGE):
    """Add generated roles, aspects and lessons after the seed content, all published: made by
    the test suite's page factories (tests/factories), which publish a first revision as
    editors do, with the seed's own texts so a generated page weighs what a real one does."""
    from django.db import transaction

    from roles.models import (
        AspectPage,
        AspectStatement,
        ComparisonPage,
        LessonPage,
        ModulePage,
        RoleIndexPage,
        RolePage,
    )
    from tests.factories import AspectPageFactory, LessonPageFactory, RolePageFactory

    with transaction.atomic():
        roles = list(RolePage.objects.order_by("path"))
        model_role = roles[0]
        role_index = RoleIndexPage.objects.get()
        for n in range(len(roles) + 1, target["roles"] + 1):
            role = RolePageFactory(
                parent=role_index,
                title=f"Generated role {n}",
                slug=f"generated-role-{n}",
                abbreviation=f"GR{n}",
                definition=f"A generated role, number {n}, to size the benchmark.",
                summary=model_role.summary,
                responsibilities=model_role.responsibilities,
                skills=model_role.skills,
                kpis=model_role.kpis,
            )
            roles.append(role)

        def statement(role, aspect_title):
            return f"What a {role.title} does about {aspect_title.lower()}."

        # Every aspect states something for every role, as a complete table would.
        for aspect in AspectPage.objects.order_by("path"):
            present = {s.role_id for s in aspect.statements.all()}
            missing = [r for r in roles if r.pk not in present]
            for i, role in enumerate(missing, start=len(present)):
                aspect.statements.add(
                    AspectStatement(
                        role=role, statement=statement(role, aspect.title), sort_order=i
                    )
                )
            if missing:
                # As an editor's edit: a new revision, published.
                aspect.save_revision().publish()

        comparison = ComparisonPage.objects.get()
        for n in range(AspectPage.objects.count() + 1, target["aspects"] + 1):
            title = f"Generated aspect {n}"
            AspectPageFactory(
                parent=comparison,
                title=title,
                slug=f"generated-aspect-{n}",
                explanation="",
                statements={role: statement(role, title) for role in roles},
            )

        module = ModulePage.objects.get()
        model_lesson = LessonPage.objects.order_by("path").first()
        # Block ids are dropped so Wagtail gives each copy its own, as a new lesson would get.
        body = [{"type": b["type"], "value": b["value"]} for b in model_lesson.body.raw_data]
        for n in range(LessonPage.objects.count() + 1, target["lessons"] + 1):
            LessonPageFactory(
                parent=module,
                title=f"Generated lesson {n}",
                slug=f"generated-lesson-{n}",
                summary=model_lesson.summary,
                body=body,
            )

    counts = {
        "aspects": AspectPage.objects.live().count(),
        "roles": RolePage.objects.live().count(),
        "lessons": LessonPage.objects.live().count(),
        "statements": AspectStatement.objects.count(),
    }
    print(json.dumps(counts))


class QueryCounter:
    """Counts every SQL statement; unlike CaptureQueriesContext, request_started can't reset it."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def page_paths():
    """The fixed public addresses plus the first aspect, role, career path and self-assessment."""
    from roles.models import AspectPage, CareerPathPage, RolePage, SelfAssessmentPage

    paths = dict.fromkeys(FIXED_PATHS, "")
    for model in (AspectPage, RolePage, CareerPathPage, SelfAssessmentPage):
        page = model.objects.live().public().order_by("path").first()
        paths[page.get_url()] = model.__name__
    return paths


def measure():
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    cache.clear()  # nothing left from the HTTP runs may answer for a render
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    results = []
    for path, kind in page_paths().items():
        client.get(path)  # the first render fills per-process state (templates, URL resolvers)
        times, counts, statuses = [], [], set()
        for _ in range(RENDERS):
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            counts.append(counter.count)
            statuses.add(response.status_code)
        results.append(
            {
                "path": path,
                "kind": kind,
                "median_ms": statistics.median(times),
                "queries": max(counts),
                "queries_varied": min(counts) != max(counts),
                "statuses": sorted(statuses),
            }
        )
    print(json.dumps(results))


if __name__ == "__main__":
    setup_django()
    {"grow": grow, "measure": measure}[sys.argv[1]]()
