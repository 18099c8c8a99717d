"""The whole published module in one response, for static frontends and LMS imports."""

from django.db.models import Prefetch
from ninja import Router
from wagtail import blocks
from wagtail.api.v3.errors import problem_response
from wagtail.rich_text import expand_db_html

from roles.comparison import build_comparison

from .content import comparison_payload, conditional_json, iso_or_none

router = Router(tags=["module"])


def _block_json(block, value):
    """A StreamField value as JSON, with rich text rendered to HTML for other frontends."""
    if isinstance(block, blocks.RichTextBlock):
        return expand_db_html(value.source)
    if isinstance(block, blocks.StructBlock):
        return {
            name: _block_json(child, value[name]) for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        return [_block_json(block.child_block, item) for item in value]
    if isinstance(block, blocks.PageChooserBlock):
        return value.pk if value else None
    return block.get_api_representation(value)


def lesson_bodies(lessons):
    """Each lesson's body as JSON, keyed by lesson id.

    Converting each body on its own reads its chosen pages: a query per lesson. Here each
    block type is converted for all lessons at once, as Wagtail does within one body.
    """
    child_blocks = lessons[0].body.stream_block.child_blocks if lessons else {}
    items = [
        (lesson.pk, item)
        for lesson in lessons
        for item in lesson.body.raw_data
        if item["type"] in child_blocks
    ]
    values = [None] * len(items)
    for type_name, block in child_blocks.items():
        indexes = [i for i, (_, item) in enumerate(items) if item["type"] == type_name]
        converted = block.bulk_to_python([items[i][1]["value"] for i in indexes])
        for i, value in zip(indexes, converted, strict=True):
            values[i] = value
    bodies = {lesson.pk: [] for lesson in lessons}
    for (pk, item), value in zip(items, values, strict=True):
        block = child_blocks[item["type"]]
        bodies[pk].append(
            {"type": item["type"], "id": item.get("id"), "value": _block_json(block, value)}
        )
    return bodies


@router.get("/module/", summary="The whole published module in one response")
def module_bundle(request):
    """Module, roles, aspects with statements, career paths and lessons in order: everything
    a static frontend or an LMS import needs, published content only."""
    from roles.models import CareerPathPage, CareerStep, ModulePage

    module = ModulePage.objects.live().public().first()
    if module is None:
        return problem_response(status=404, title="Not found", detail="No module is published.")
    matrix = build_comparison()
    lessons = module.lessons()
    bodies = lesson_bodies(lessons)
    html = expand_db_html
    payload = {
        "module": {
            "id": module.pk,
            "title": module.title,
            "lead": module.lead,
            "author": module.author,
            "intro": html(module.intro),
            "disclaimer": html(module.disclaimer),
            "url": module.get_url(),
            "last_updated": iso_or_none(module.last_updated),
        },
        "comparison": comparison_payload(matrix),
        "roles": [
            {
                "id": r.pk,
                "definition": r.definition,
                "summary": html(r.summary),
                "responsibilities": html(r.responsibilities),
                "skills": html(r.skills),
                "kpis": html(r.kpis),
            }
            for r in matrix.roles
        ],
        "career_paths": [
            {
                "id": path.pk,
                "title": path.title,
                "role_id": path.role_id if path.role and path.role.live else None,
                "url": path.get_url(),
                "steps": [
                    {
                        "title": step.title,
                        "description": step.description,
                        "role_id": step.role_id if step.role and step.role.live else None,
                    }
                    for step in path.steps.all()
                ],
            }
            for path in CareerPathPage.objects.live()
            .public()
            .select_related("role")
            .prefetch_related(Prefetch("steps", CareerStep.objects.select_related("role")))
            .order_by("path")
        ],
        "lessons": [
            {
                "id": lesson.pk,
                "number": number,
                "title": lesson.title,
                "summary": lesson.summary,
                "url": lesson.get_url(),
                "reading_minutes": lesson.reading_minutes,
                "body": bodies[lesson.pk],
            }
            for number, lesson in enumerate(lessons, start=1)
        ],
    }
    return conditional_json(request, payload, module.last_updated)
