"""The lesson blocks' own rules, called directly: what their text counts for, which chosen
pages readers see, what an editor's rich text offers, what a judged answer carries.

The pages and search tests reach the same code end to end; these are fast enough for
`make mutation` to run against every mutant of roles/blocks.py.
"""

import pytest
from wagtail import blocks

from roles.blocks import (
    RICH_TEXT_FEATURES,
    ComparisonBlock,
    KeyTakeawayBlock,
    KnowledgeCheckBlock,
    ParagraphBlock,
    ScenarioBlock,
    VisiblePageChooserBlock,
    searchable_text,
    shown_pages,
)
from tests import factories
from tests.factories import content


def test_a_takeaways_words_count_with_its_default_title_when_none_was_stored():
    block = KeyTakeawayBlock()

    assert searchable_text(block, {"title": "Remember", "text": "<p>Programs span.</p>"}) == [
        "Remember",
        "Programs span.",
    ]
    # An older block stored without a title shows (and counts) the default one.
    assert searchable_text(block, {"text": "<p>Programs span.</p>"}) == [
        "Key takeaway",
        "Programs span.",
    ]


def test_a_knowledge_checks_options_count_whether_stored_as_blocks_or_plain_values():
    block = KnowledgeCheckBlock()
    stored = content.knowledge_check(options=["Alpha answer", "Beta answer"])["value"]
    as_blocks = {
        **stored,
        "options": [
            {"type": "item", "value": o, "id": str(i)} for i, o in enumerate(stored["options"])
        ],
    }

    for raw in (stored, as_blocks):
        words = searchable_text(block, raw)
        assert words[0] == stored["question"]
        assert "Alpha answer" in words and "Beta answer" in words
        assert "Roadmaps span several projects." in words


def test_blocks_left_out_of_the_index_give_no_words_and_choosers_none():
    unindexed = blocks.StructBlock([("text", blocks.CharBlock())], search_index=False)
    indexed = blocks.StructBlock([("text", blocks.CharBlock())])

    assert searchable_text(unindexed, {"text": "hidden words"}) == []
    assert searchable_text(indexed, {"text": "shown words"}) == ["shown words"]
    assert searchable_text(blocks.ListBlock(blocks.CharBlock(), search_index=False), ["x"]) == []
    assert searchable_text(blocks.ListBlock(blocks.CharBlock()), ["x", "y"]) == ["x", "y"]
    assert searchable_text(VisiblePageChooserBlock(), 1) == []


def test_paragraphs_offer_editors_the_modules_rich_text_features_only():
    block = ParagraphBlock(required=False, help_text="One idea per paragraph")

    assert block.field.widget.features == RICH_TEXT_FEATURES
    assert "h2" not in block.field.widget.features and "image" not in block.field.widget.features
    # Options given where the block is declared still reach it.
    assert block.required is False
    assert block.field.help_text == "One idea per paragraph"


def test_a_judged_answer_carries_the_chosen_options_feedback():
    block = KnowledgeCheckBlock()
    value = block.to_python(content.knowledge_check(right=1)["value"])

    wrong, right = value.judge("0"), value.judge("1")
    assert wrong["feedback"] == "Why The Technical Project Manager is False."
    assert right["feedback"] == "Why The Technical Program Manager is True."
    assert wrong["correct"] is False and right["correct"] is True


@pytest.mark.django_db
def test_chosen_pages_come_with_their_visibility_and_missing_ones_as_none():
    shown = factories.RolePageFactory()
    hidden = factories.RolePageFactory(private=True)
    chooser = VisiblePageChooserBlock(page_type="roles.RolePage")

    pages = chooser.bulk_to_python([hidden.pk, 999_999, shown.pk])

    assert [page and page.pk for page in pages] == [hidden.pk, None, shown.pk]
    assert pages[0].visible_now is False and pages[2].visible_now is True


@pytest.mark.django_db
def test_shown_pages_uses_the_flags_read_with_the_pages_or_asks_once(django_assert_num_queries):
    shown = factories.RolePageFactory()
    hidden = factories.RolePageFactory(unpublished=True)
    chooser = VisiblePageChooserBlock(page_type="roles.RolePage")

    flagged = chooser.bulk_to_python([hidden.pk, shown.pk])
    with django_assert_num_queries(0):  # a lesson's chosen pages: flags read with them
        assert [page.pk for page in shown_pages([*flagged, None])] == [shown.pk]
    # Pages from a preview's form carry no flag: their visibility is read, in one query.
    with django_assert_num_queries(1):
        assert [page.pk for page in shown_pages([hidden, None, shown])] == [shown.pk]


@pytest.mark.django_db
def test_a_comparison_block_keeps_only_the_aspects_readers_may_see(module):
    private = factories.AspectPageFactory(parent=module.comparison, private=True)
    block = ComparisonBlock()
    value = block.to_python({"caption": "", "aspects": [private.pk, module.aspects[0].pk]})

    # Without the lesson's prepared list, visibility is read from the database.
    assert value.chosen_aspects() == [module.aspects[0]]
    # With it, only the pages in it are kept, in the block's order.
    visible = [module.aspects[0], module.aspects[1]]
    assert value.chosen_aspects(visible) == [module.aspects[0]]
    assert value.chosen_aspects([]) == []


@pytest.mark.django_db
def test_a_scenario_names_only_the_roles_readers_may_see(module):
    hidden = factories.RolePageFactory(parent=module.role_index, unpublished=True)
    block = ScenarioBlock()
    raw = content.scenario(
        [
            (module.roles[1], "Plans the program"),
            (hidden, "Hidden view"),
            (module.roles[0], "Runs it"),
        ]
    )["value"]

    shown = block.to_python(raw).perspectives_shown()

    assert shown == [(module.roles[1], "Plans the program"), (module.roles[0], "Runs it")]
