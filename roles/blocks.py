"""StreamField blocks for lesson bodies."""

from wagtail import blocks

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ComparisonValue(blocks.StructValue):
    def comparison(self):
        """The chosen aspects as a table, built from the same data as the full comparison."""
        from roles.comparison import build_comparison

        return build_comparison(aspects=[page for page in self["aspects"] if page and page.live])


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
        blocks.PageChooserBlock(page_type="roles.AspectPage"),
        help_text="Rows to show. Statements come from the aspect pages, so they stay in sync.",
    )

    class Meta:
        icon = "table"
        template = "roles/blocks/comparison.html"
        value_class = ComparisonValue
        description = "Compare the roles on chosen aspects, using the aspect pages' statements"


LESSON_BLOCKS = [
    ("paragraph", ParagraphBlock()),
    ("heading", HeadingBlock()),
    ("takeaway", KeyTakeawayBlock()),
    ("comparison", ComparisonBlock()),
]
