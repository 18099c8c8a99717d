"""Private, unpublished and draft content reaches no anonymous reader, on any surface.

One rule decides what a reader may see (roles.visibility). One module holds a target role and
a target aspect hidden in each way there is (SCENARIOS), each with a marker word of its own in
what it hides, beside a visible control role and aspect; every public surface is read
anonymously: no marker may be anywhere, while the control's marker must be there (so an empty
answer or a 404 cannot pass). A new surface is one line in SURFACES; a new way of hiding a
page is one line in SCENARIOS.
"""

import datetime
import json

import pytest
from django.utils import timezone
from wagtail.models import PageLogEntry, PageViewRestriction

from tests import factories
from tests.conftest import build_module
from tests.test_history import noon, on, republish

pytestmark = pytest.mark.django_db

SECRET, CONTROL = "zqsecret", "zqcontrol"
DAY1, DAY2, DAY3 = (datetime.date(2025, 3, d) for d in (5, 12, 19))
TODAY = timezone.localdate
LONG_AGO, FAR_FUTURE = "2000-01-01", "2999-12-31"


def restrict(page):
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")


def draft(page, title):
    revision = page.get_latest_revision_as_object()
    revision.title = title
    revision.save_revision()


def made_private(page, title):
    restrict(page)


def published_while_private(page, title):
    restrict(page)
    with on(DAY3):
        republish(page, title=title)


def unpublished_then_drafted(page, title):
    # An unpublished page's row holds its latest draft: the title readers must not see.
    page.unpublish()
    draft(page, title)


# How a target page is hidden (on DAY2, after everything was published on DAY1): a short code
# for its marker, whether the marker was already in what was published on DAY1, and how.
SCENARIOS = {
    "made private": ("mp", True, made_private),
    "published while private": ("pp", False, published_while_private),
    "unpublished, then drafted": ("ud", False, unpublished_then_drafted),
    "published, with a newer draft": ("nd", False, draft),
    "never published": ("np", True, None),
}
TARGETS = [(kind, scenario) for kind in ("role", "aspect") for scenario in SCENARIOS]


def marker(kind, scenario):
    """The word only this target's hidden text holds (no marker is a prefix of another)."""
    return f"{SECRET}{kind}{SCENARIOS[scenario][0]}"


def build_hidden(targets=TARGETS):
    """A module with a visible control role and aspect, and a target role or aspect per
    (kind, scenario) in ``targets``, hidden as the scenario says; a lesson, career paths and
    the self-assessment use them all. ``m.targets`` maps (kind, scenario) to its page."""
    m = build_module()
    control_role = factories.RolePageFactory(
        parent=m.role_index, title=f"Visible {CONTROL} role", definition=f"A {CONTROL} role."
    )
    pages = {}
    for kind, scenario in targets:
        _, marked_from_start, hide = SCENARIOS[scenario]
        word = marker(kind, scenario) if marked_from_start else f"plain {len(pages)}"
        if kind == "role":
            pages[kind, scenario] = factories.RolePageFactory(
                parent=m.role_index,
                title=f"Target {word} role",
                definition=f"A {word} role.",
                live=hide is not None,
            )
        else:
            pages[kind, scenario] = factories.AspectPageFactory(
                parent=m.comparison,
                title=f"Target {word} aspect",
                statements={control_role: f"{word} statement"},
                live=hide is not None,
            )
    target_roles = [page for (kind, _), page in pages.items() if kind == "role"]
    # The API keeps an aspect's rows for roles readers cannot see (unnamed), so a target
    # role's marker is in the role's own page only.
    control_aspect = factories.AspectPageFactory(
        parent=m.comparison,
        title=f"Visible {CONTROL} aspect",
        statements={
            control_role: f"{CONTROL} statement",
            **{role: "plain for the role" for role in target_roles},
        },
    )
    target_aspects = [page for (kind, _), page in pages.items() if kind == "aspect"]
    factories.LessonPageFactory(
        parent=m.home,
        body=[
            {
                "type": "comparison",
                "value": {
                    "caption": "",
                    "aspects": [control_aspect.pk, *(a.pk for a in target_aspects)],
                },
            }
        ],
    )
    for i, role in enumerate(target_roles or [control_role]):
        factories.CareerPathPageFactory(
            parent=m.career_index,
            title=f"A {CONTROL} path {i}",
            role=role,
            steps=[("Lead", role), ("Director", control_role)],
        )
    m.assessment.delete()
    answers = [
        {"text": f"Answer {i}", "weights": [{"role": role.pk, "points": 2}]}
        for i, role in enumerate([*target_roles, control_role])
    ]
    m.assessment = factories.SelfAssessmentPageFactory(
        parent=m.home,
        questions=[{"type": "question", "value": {"text": "Which?", "answers": answers}}],
    )
    PageLogEntry.objects.update(timestamp=noon(DAY1))
    with on(DAY2):
        for (kind, scenario), page in pages.items():
            if hide := SCENARIOS[scenario][2]:
                hide(page, f"Hidden {marker(kind, scenario)} {kind}")
    m.targets = pages
    m.roles += [control_role, *target_roles]
    m.aspects += [control_aspect, *target_aspects]
    return m


def visible_pages(m):
    from wagtail.models import Page

    from roles.visibility import visible

    return list(visible(Page.objects.descendant_of(m.home, inclusive=True)).specific())


def cell_urls(m):
    return [
        f"{m.comparison.url}history/{aspect.pk}/{role.pk}/"
        for aspect in m.aspects
        for role in m.roles
    ]


def assessment_result(m):
    data = {f"q-{q.id}": "0" for q in m.assessment.specific.questions}
    return m.assessment.url + "?" + "&".join(f"{k}={v}" for k, v in data.items())


# Each public surface: a name, and the anonymous addresses it covers in a module.
SURFACES = {
    "every page": lambda m: [page.url for page in visible_pages(m)],
    "self-assessment result": lambda m: [assessment_result(m)],
    "API v2 listings": lambda m: [
        f"/api/v2/pages/?type={t}&fields=*"
        for t in ("roles.RolePage", "roles.AspectPage", "roles.CareerPathPage", "roles.LessonPage")
    ],
    "API v2 details": lambda m: [f"/api/v2/pages/{page.pk}/" for page in visible_pages(m)],
    "API v3 listings": lambda m: [
        f"/api/v3/pages/?type={t}" for t in ("roles.RolePage", "roles.AspectPage")
    ],
    "API v3 details": lambda m: [f"/api/v3/pages/{page.pk}/" for page in visible_pages(m)],
    "API v3 bundle": lambda m: ["/api/v3/module/"],
    "API v3 comparison": lambda m: ["/api/v3/comparison/"],
    # Words both the control and the target carry (the query itself is shown on the page).
    "search": lambda m: ["/search/?q=role", "/search/?q=aspect", "/search/?q=statement"],
    "sitemap": lambda m: ["/sitemap.xml"],
    "infographic": lambda m: [m.comparison.url + "infographic/"],
    "table as of a date": lambda m: [
        f"{m.comparison.url}?as_of={day}" for day in (DAY1, DAY2, DAY3, TODAY(), FAR_FUTURE)
    ],
    "API v3 comparison as of a date": lambda m: [
        f"/api/v3/comparison/?as_of={day}" for day in (DAY1, DAY2, DAY3, TODAY(), FAR_FUTURE)
    ],
    "API v3 diff": lambda m: [
        f"/api/v3/comparison/diff/?from={start}&to={end}"
        for start in (LONG_AGO, DAY1, DAY2)
        for end in (DAY1, DAY3, TODAY(), FAR_FUTURE)
    ],
    "cell histories": cell_urls,
}
# Surfaces that name the control only by its address (the sitemap) or by its statements.
SHOWS_CONTROL_AS = {"sitemap": "visible-zqcontrol", "cell histories": f"{CONTROL} statement"}


def read(client, urls):
    bodies = []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        bodies.append(response.content.decode())
    return "\n".join(bodies)


def test_hidden_pages_reach_no_public_surface(client, subtests):
    m = build_hidden()
    markers = {target: marker(*target) for target in TARGETS}
    for surface, urls in SURFACES.items():
        with subtests.test(surface=surface):
            text = read(client, urls(m))
            assert SHOWS_CONTROL_AS.get(surface, CONTROL) in text, f"{surface}: no control"
            shown = [
                f"the {kind} {scenario}"
                for (kind, scenario), word in markers.items()
                if word in text
            ]
            assert not shown, f"{surface} shows {', '.join(shown)}"
            assert SECRET not in text, f"{surface} shows a hidden page"


def test_a_restricted_section_hides_every_page_in_it(client, subtests):
    """A view restriction on the roles' section hides every role in it, on every surface."""
    m = build_hidden([(kind, "published, with a newer draft") for kind in ("role", "aspect")])
    target_role = m.targets["role", "published, with a newer draft"].title
    restrict(m.role_index)
    everything = []
    for surface, urls in SURFACES.items():
        with subtests.test(surface=surface):
            text = read(client, urls(m))
            everything.append(text)
            for role_text in (f"Visible {CONTROL} role", f"A {CONTROL} role", target_role):
                assert role_text not in text, f"{surface} shows {role_text!r}"
    assert f"Visible {CONTROL} aspect" in "".join(everything)


@pytest.mark.parametrize("restricted", ["the aspect", "the table, its parent"])
def test_wording_published_while_private_stays_out_of_public_history(client, restricted):
    """Public on DAY1, private on DAY2 (a wording published then), public again on DAY3 with
    a new wording: the dated tables, the diff, the cell's history and the change histories
    show DAY1's and DAY3's wordings, never DAY2's, and no row for the aspect on DAY2."""
    m = build_module()
    aspect, role = m.aspects[0], m.roles[0]
    republish(aspect, statements={role.pk: "First wording"})
    PageLogEntry.objects.update(timestamp=noon(DAY1))
    section = aspect if restricted == "the aspect" else m.comparison
    with on(DAY2):
        restrict(section)
        republish(aspect, statements={role.pk: f"{SECRET} wording"}, change_note=SECRET)
    with on(DAY3):
        PageViewRestriction.objects.get(page=section).delete()
        republish(aspect, statements={role.pk: "Final wording"}, change_note="Made final")

    def text(url):
        response = client.get(url)
        assert response.status_code == 200, url
        return response.content.decode()

    table = m.comparison.url
    assert "First wording" in text(f"{table}?as_of={DAY1}")
    assert aspect.title not in text(f"{table}?as_of={DAY2}")  # private at the end of DAY2
    assert "Final wording" in text(f"{table}?as_of={DAY3}")
    cell = text(f"{table}history/{aspect.pk}/{role.pk}/")
    assert "First wording" in cell and "Final wording" in cell
    diff = json.loads(text(f"/api/v3/comparison/diff/?from={DAY1}&to={DAY3}"))
    assert {"old": "First wording", "new": "Final wording"}.items() <= diff["cells"][0].items()
    assert "Made final" in text(aspect.url) and "Made final" in text(m.home.url)
    urls = [
        *(f"{table}?as_of={day}" for day in (DAY1, DAY2, DAY3)),
        *(f"/api/v3/comparison/?as_of={day}" for day in (DAY1, DAY2, DAY3)),
        f"/api/v3/comparison/diff/?from={DAY1}&to={DAY2}",
        f"/api/v3/comparison/diff/?from={DAY2}&to={DAY3}",
        f"{table}history/{aspect.pk}/{role.pk}/",
        aspect.url,
        m.home.url,
    ]
    for url in urls:
        assert SECRET not in text(url), url
