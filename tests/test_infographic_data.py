"""The infographic's data: an icon and a 1-5 scale per aspect, a short phrase and a value per
statement. Editors fill them in the aspect's rows (admin and API, one form's rules), the seed
brings them, and the comparison API, the dated table and the drawing read them.

The drawing itself is tested in test_infographic.py."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import rich_text

from roles.comparison.matrix import PHRASE_LENGTH, short_phrase
from roles.models import AspectPage
from roles.models.comparison import comparison_as_of, current_comparison
from tests import factories
from tests.factories import hostile
from tests.test_api_writes import draft, problem, write
from tests.test_history import on
from tests.test_history_units import DAY

pytestmark = pytest.mark.django_db

LONG = (
    "Coordinates cross-functional teams, the program roadmap, and stakeholder communication "
    "across every project"
)


def comparison_json(client):
    response = client.get("/api/v3/comparison/")
    assert response.status_code == 200
    return response.json()


def test_the_api_gives_each_cell_its_phrase_or_the_statement_shortened(client, module):
    one, two = module.roles
    aspect = factories.AspectPageFactory(
        parent=module.comparison,
        scaled=True,
        icon="time",
        statements={
            one: {"statement": LONG, "phrase": "Owns the roadmap", "value": 5},
            two: {"statement": LONG},
        },
    )

    row = next(a for a in comparison_json(client)["aspects"] if a["id"] == aspect.pk)

    assert row["icon"] == "time"
    assert row["scale"] == {"label": aspect.scale_label, "low": "Little", "high": "A lot"}
    first, second = row["statements"]
    assert (first["phrase"], first["short"], first["value"]) == ("Owns the roadmap",) * 2 + (5,)
    assert first["statement"] == LONG  # the full wording stays next to the phrase
    assert second["phrase"] is None and second["value"] is None
    assert second["short"] == short_phrase(LONG) and second["short"].endswith("…")
    assert len(second["short"]) <= PHRASE_LENGTH < len(LONG)


def test_an_aspect_that_is_no_scale_has_none_in_the_api(client, module):
    rows = comparison_json(client)["aspects"]
    assert [row["scale"] for row in rows] == [None, None]
    assert all(row["icon"] for row in rows)


def test_hostile_phrases_and_scale_words_come_back_as_the_same_text(client, module):
    phrase = "<b>&\"'phrase"
    aspect = factories.AspectPageFactory(
        parent=module.comparison,
        hostile=True,
        statements={module.roles[0]: {"statement": "S", "phrase": phrase, "value": 2}},
    )

    row = next(a for a in comparison_json(client)["aspects"] if a["id"] == aspect.pk)

    assert row["scale"]["label"] == aspect.scale_label and "<script>" in aspect.scale_label
    assert row["scale"]["low"] == aspect.scale_low
    assert row["statements"][0]["phrase"] == phrase


@pytest.mark.parametrize(
    ("cell", "field", "message"),
    [
        ({"value": 0}, "value", "greater than or equal to 1"),
        ({"value": 6}, "value", "less than or equal to 5"),
        ({"phrase": "x" * 61}, "phrase", "at most 60 characters"),
    ],
    ids=["zero", "six", "long-phrase"],
)
def test_values_off_the_scale_and_long_phrases_are_refused_by_the_api(
    client, module, moderator, cell, field, message
):
    aspect = module.aspects[0]
    aspect.scale_label = "How broad the scope"
    aspect.save_revision().publish()
    rows = [
        {"id": s.pk, "role_id": s.role_id, "statement": s.statement}
        for s in aspect.statements.order_by("sort_order")
    ]
    rows[0].update(cell)

    response = write(
        client, moderator, "patch", f"/api/v3/pages/{aspect.pk}/", {"statements": rows}
    )

    problem(response, 422, message)
    assert draft(client, moderator, aspect)["statements"][0].get(field) in (None, "")


@pytest.mark.parametrize("value", [1, 5])
def test_the_ends_of_the_scale_are_accepted(client, module, moderator, value):
    aspect = module.aspects[0]
    rows = [
        {"id": s.pk, "role_id": s.role_id, "statement": s.statement, "value": value}
        for s in aspect.statements.order_by("sort_order")
    ]
    body = {"scale_label": "How broad the scope", "statements": rows}

    response = write(client, moderator, "patch", f"/api/v3/pages/{aspect.pk}/", body)

    assert response.status_code == 200, response.content[:500]
    assert [s["value"] for s in draft(client, moderator, aspect)["statements"]] == [value] * 2


def test_a_value_needs_a_named_scale(client, module, moderator):
    aspect = module.aspects[0]  # no scale label
    rows = [
        {"id": s.pk, "role_id": s.role_id, "statement": s.statement, "value": 3}
        for s in aspect.statements.order_by("sort_order")
    ]

    response = write(
        client, moderator, "patch", f"/api/v3/pages/{aspect.pk}/", {"statements": rows}
    )

    problem(response, 422, "Name the scale first")


def test_the_admin_form_refuses_a_value_without_a_scale_and_keeps_one_with_it(module):
    aspect = AspectPage.objects.get(pk=module.aspects[0].pk)
    form_class = AspectPage.get_edit_handler().get_form_class()

    def form(scale_label, value):
        rows = list(aspect.statements.order_by("sort_order"))
        data = {
            "title": aspect.title,
            "slug": aspect.slug,
            "icon": "focus",
            "scale_label": scale_label,
            "scale_low": "",
            "scale_high": "",
            "explanation": rich_text(""),
            "statements-TOTAL_FORMS": len(rows),
            "statements-INITIAL_FORMS": len(rows),
            "statements-MIN_NUM_FORMS": 0,
            "statements-MAX_NUM_FORMS": 1000,
            "comments-TOTAL_FORMS": 0,
            "comments-INITIAL_FORMS": 0,
        }
        for i, row in enumerate(rows):
            data |= {
                f"statements-{i}-id": row.pk,
                f"statements-{i}-role": row.role_id,
                f"statements-{i}-statement": row.statement,
                f"statements-{i}-phrase": "Short",
                f"statements-{i}-value": value,
                f"statements-{i}-ORDER": i + 1,
            }
        return form_class(data, instance=aspect, for_user=None)

    refused = form("", 3)
    assert not refused.is_valid()
    assert "Name the scale first" in str(refused.formsets["statements"].errors)
    assert form("How strategic the focus", 3).is_valid()
    assert form("", "").is_valid()  # no scale, no values: the aspect differs in kind


def test_the_dated_table_shows_the_phrases_and_values_published_then():
    root = Page.get_first_root_node()
    with on(DAY[2]):
        role = factories.RolePageFactory(parent=factories.RoleIndexPageFactory(parent=root))
        aspect = factories.AspectPageFactory(
            parent=factories.ComparisonPageFactory(parent=root),
            scaled=True,
            statements={role: {"statement": "Owns it", "phrase": "Then", "value": 2}},
        )
    with on(DAY[3]):
        row = aspect.statements.get()
        row.phrase, row.value = "Now", 4
        aspect.statements = [row]
        aspect.scale_label = "Renamed scale"
        aspect.save_revision().publish()

    then, now = comparison_as_of(DAY[2]), comparison_as_of(DAY[3])

    assert (then.rows[0].cells[0].phrase, then.rows[0].cells[0].value) == ("Then", 2)
    assert (now.rows[0].cells[0].phrase, now.rows[0].cells[0].value) == ("Now", 4)
    assert then.rows[0].aspect.scale_label.startswith("How far along scale")
    assert now.rows[0].aspect.scale_label == "Renamed scale"


def test_revisions_from_before_the_fields_still_rebuild_the_table(module):
    aspect = module.aspects[0]
    revision = aspect.live_revision
    for row in revision.content["statements"]:
        row.pop("phrase", None), row.pop("value", None)
    for field in ("icon", "scale_label", "scale_low", "scale_high"):
        revision.content.pop(field, None)
    revision.save(update_fields=["content"])

    table = comparison_as_of(timezone.localdate())

    cells = table.rows[0].cells
    # Fields the revision does not have are read as the page has them now.
    shown = table.rows[0].aspect
    assert (shown.icon, shown.scale_label, shown.scale_low) == (aspect.icon, "", "")
    assert [c.statement for c in cells] == [s.statement for s in aspect.statements.all()]
    assert [(c.phrase, c.value) for c in cells] == [(None, None), (None, None)]
    assert cells[0].short == short_phrase(cells[0].statement)


def test_the_live_table_reads_phrases_and_values_in_its_three_queries(
    module, django_assert_num_queries
):
    aspect = module.aspects[1]
    aspect.scale_label = "How long the time horizon"
    rows = list(aspect.statements.order_by("sort_order"))
    for i, row in enumerate(rows):
        row.phrase, row.value = f"Phrase {i}", i + 2
    aspect.statements = rows
    aspect.save_revision().publish()

    with django_assert_num_queries(3):
        table = current_comparison()

    assert [(c.phrase, c.value) for c in table.rows[1].cells] == [("Phrase 0", 2), ("Phrase 1", 3)]
    assert [(c.phrase, c.value) for c in table.rows[0].cells] == [(None, None), (None, None)]


def test_the_seed_draws_every_aspect_with_an_icon_phrases_and_three_scales():
    call_command("load_module", verbosity=0)

    table = current_comparison()

    assert len(table.rows) == 6 and len(table.roles) == 2
    assert len({row.aspect.icon for row in table.rows}) == 6  # each its own picture
    scaled = [row for row in table.rows if row.aspect.scale_label]
    assert len(scaled) >= 3  # enough for the profile chart
    for row in table.rows:
        for cell in row.cells:
            assert cell.phrase and len(cell.phrase) <= PHRASE_LENGTH, cell
            assert len(cell.phrase) <= len(cell.statement)  # never longer than it says
            assert (cell.value is not None) == (row in scaled)
    program, project = table.roles
    by_title = {row.aspect.title: row for row in scaled}
    # The article: programs are broader and longer-term than projects.
    for title in ("Scope", "Time Horizon"):
        cells = {c.role: c.value for c in by_title[title].cells}
        assert cells[program] > cells[project], title


def test_hostile_text_fits_the_fields_it_goes_in():
    """The hostile trait stays within the columns' limits (PostgreSQL enforces them)."""
    assert len(hostile("Sc9999")) <= 80
