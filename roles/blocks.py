"""StreamField blocks for lesson bodies."""

import copy

from django.core.exceptions import ValidationError
from wagtail import blocks

from roles.answers import OptionNumberField

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


def searchable_text(block, raw):
    """``block.get_searchable_content`` of a value still in its stored form, without reading
    chosen pages from the database: choosers contribute no text anyway."""
    if isinstance(block, blocks.ChooserBlock):
        return []
    if isinstance(block, (blocks.StructBlock, blocks.ListBlock)) and not block.search_index:
        return []
    if isinstance(block, blocks.StructBlock):
        return [
            text
            for name, child in block.child_blocks.items()
            for text in (
                searchable_text(child, raw[name])
                if name in raw
                else child.get_searchable_content(child.get_default())
            )
        ]
    if isinstance(block, blocks.ListBlock):
        return [
            text
            for item in raw
            for text in searchable_text(
                block.child_block,
                item["value"] if block._item_is_in_block_format(item) else item,
            )
        ]
    return block.get_searchable_content(block.to_python(raw))


class VisiblePageChooserBlock(blocks.PageChooserBlock):
    """A page chooser whose pages come with their visibility (``visible_now``), read in the
    same query: a lesson's comparisons and scenarios then need no second query to leave out
    the pages readers may not see (see shown_pages)."""

    def bulk_to_python(self, values):
        from roles.visibility import with_visible_now

        pages = with_visible_now(self.model_class.objects.all()).in_bulk(values)
        return [copy.copy(pages[pk]) if pk in pages else None for pk in values]


def shown_pages(pages):
    """The chosen ``pages`` readers may see, in order: from the flags VisiblePageChooserBlock
    read with them, or in one query for pages that came another way (a preview's form)."""
    from roles.visibility import visible_pages

    pages = [page for page in pages if page is not None]
    if all(hasattr(page, "visible_now") for page in pages):
        return [page for page in pages if page.visible_now]
    return visible_pages(pages)


class ComparisonValue(blocks.StructValue):
    # The table, set by the lesson showing the block (LessonPage.prepare_comparisons, asked by
    # ComparisonBlock.get_context when the first comparison block renders): it builds all of
    # its tables at once. Blocks sit below the page models, so they cannot read the table
    # themselves.
    prepared = None

    def chosen_aspects(self, visible=None):
        """The chosen aspects readers may see (``visible``: those already known to be)."""
        if visible is None:
            from roles.visibility import visible_pages

            return visible_pages(self["aspects"])
        ids = {page.pk for page in visible}
        return [page for page in self["aspects"] if page and page.pk in ids]

    def comparison(self):
        """The chosen aspects as a table, built from the same data as the full comparison."""
        return self.prepared


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "roles/blocks/paragraph.html"
        description = "A paragraph of text"
        preview_value = "<p>Programs are made of related projects.</p>"


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        form_classname = "title"
        template = "roles/blocks/heading.html"
        description = "A section heading inside the lesson"
        preview_value = "Who owns the roadmap?"


class KeyTakeawayBlock(blocks.StructBlock):
    title = blocks.CharBlock(default="Key takeaway", max_length=80)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "pick"
        template = "roles/blocks/key_takeaway.html"
        description = "A highlighted point the learner should remember"
        preview_value = {
            "title": "Key takeaway",
            "text": "<p>A program manager owns outcomes across projects.</p>",
        }


class ComparisonBlock(blocks.StructBlock):
    caption = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text="Shown above the table; defaults to the aspects' names.",
    )
    aspects = blocks.ListBlock(
        VisiblePageChooserBlock(page_type="roles.AspectPage"),
        help_text="Rows to show. Statements come from the aspect pages, so they stay in sync.",
    )

    class Meta:
        icon = "table"
        template = "roles/blocks/comparison.html"
        value_class = ComparisonValue
        description = "Compare the roles on chosen aspects, using the aspect pages' statements"

    def get_context(self, value, parent_context=None):
        # Asked here, not in the lesson's get_context: a lesson whose body comes from the
        # shared cache (tpmsite.ops.fragments) then reads no table at all.
        page = (parent_context or {}).get("page")
        if value.prepared is None and hasattr(page, "prepare_comparisons"):
            page.prepare_comparisons()
        return super().get_context(value, parent_context)


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    correct = blocks.BooleanBlock(required=False, help_text="Tick the one right answer.")
    feedback = blocks.TextBlock(
        required=False,
        max_length=400,
        help_text="Why this answer is right or wrong; shown to a learner who chooses it.",
    )

    class Meta:
        icon = "radio-empty"


class KnowledgeCheckValue(blocks.StructValue):
    def correct_index(self):
        return next((i for i, option in enumerate(self["options"]) if option["correct"]), None)

    def judge(self, answer):
        """The reader's answer (an option's number, as submitted) judged: the choice, whether
        it is right, the right option's text and the chosen option's feedback; None when it
        names no option."""
        options = self["options"]
        try:
            choice = OptionNumberField(len(options)).clean(answer)
        except ValidationError:
            return None
        right = self.correct_index()
        return {
            "choice": choice,
            "correct": choice == right,
            "right_text": options[right]["text"] if right is not None else "",
            "feedback": options[choice]["feedback"],
        }


class KnowledgeCheckBlock(blocks.StructBlock):
    """A multiple-choice question with one right answer and an explanation."""

    question = blocks.CharBlock(max_length=300)
    options = blocks.ListBlock(OptionBlock(), min_num=2, max_num=8)
    explanation = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, help_text="Shown after the learner answers."
    )
    final_check = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text="Ask this question in the module's final check too.",
    )

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for option in value["options"] if option["correct"]) != 1:
            raise blocks.StructBlockValidationError(
                block_errors={"options": ValidationError("Mark exactly one option as correct.")}
            )
        return value

    class Meta:
        icon = "help"
        template = "roles/blocks/knowledge_check.html"
        value_class = KnowledgeCheckValue
        description = "A question to check what the learner understood"
        preview_value = {
            "question": "Who owns the program roadmap?",
            "options": [
                {
                    "text": "The Technical Program Manager",
                    "correct": True,
                    "feedback": "Yes: the roadmap spans every project in the program.",
                },
                {
                    "text": "The Technical Project Manager",
                    "correct": False,
                    "feedback": "A project manager plans one project within the roadmap.",
                },
            ],
            "explanation": "<p>Roadmaps span projects, so they belong to the program.</p>",
        }


class ScenarioValue(blocks.StructValue):
    def perspectives_shown(self):
        """(role page, text) for each perspective whose role readers may see: a role that is
        unpublished or private is not named, so its perspective is left out."""
        shown = {page.pk for page in shown_pages([p["role"] for p in self["perspectives"]])}
        return [
            (p["role"], p["text"])
            for p in self["perspectives"]
            if p["role"] and p["role"].pk in shown
        ]


class PerspectiveBlock(blocks.StructBlock):
    role = VisiblePageChooserBlock(page_type="roles.RolePage")
    text = blocks.TextBlock(max_length=600, help_text="What this role does in the scenario.")

    class Meta:
        icon = "user"


class ScenarioBlock(blocks.StructBlock):
    """One situation seen by each role in turn: the roles' differences in practice."""

    title = blocks.CharBlock(max_length=120, help_text="e.g. Launching a payments feature")
    intro = blocks.TextBlock(max_length=600, help_text="The situation, in a sentence or two.")
    perspectives = blocks.ListBlock(PerspectiveBlock(), min_num=2, max_num=4)

    class Meta:
        icon = "group"
        template = "roles/blocks/scenario.html"
        value_class = ScenarioValue
        label = "Scenario (In practice)"
        description = "The same situation seen by each role"


# A lesson's learning objectives: one short line each, shown above the lesson.
OBJECTIVE_BLOCKS = [
    (
        "objective",
        blocks.CharBlock(
            max_length=200,
            icon="tick",
            help_text="Something the learner will be able to do, e.g. 'Tell a program from a "
            "project'. Shown after 'By the end of this lesson you will be able to:'.",
        ),
    ),
]

LESSON_BLOCKS = [
    ("paragraph", ParagraphBlock()),
    ("heading", HeadingBlock()),
    ("takeaway", KeyTakeawayBlock()),
    ("comparison", ComparisonBlock()),
    ("knowledge_check", KnowledgeCheckBlock()),
    ("scenario", ScenarioBlock()),
]
