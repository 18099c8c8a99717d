"""The whole published module in one response, for static frontends and LMS imports."""

from ninja import Router
from wagtail import blocks
from wagtail.api.v3.errors import problem_response
from wagtail.rich_text import expand_db_html

from roles.models.comparison import current_comparison
from roles.visibility import visible

from .comparison import comparison_payload, conditional_json, iso_or_none

router = Router(tags=["module"])


def _block_json(block, value, shown):
    """A StreamField value as JSON, with rich text rendered to HTML for other frontends;
    a chosen page is named only if it is among the ``shown`` page ids."""
    if isinstance(block, blocks.RichTextBlock):
        return expand_db_html(value.source)
    if isinstance(block, blocks.StructBlock):
        return {
            name: _block_json(child, value[name], shown)
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        items = [_block_json(block.child_block, item, shown) for item in value]
        if isinstance(block.child_block, blocks.PageChooserBlock):
            return [item for item in items if item is not None]
        return items
    if isinstance(block, blocks.PageChooserBlock):
        return value.pk if value and value.pk in shown else None
    return block.get_api_representation(value)


def lesson_bodies(lessons, shown):
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
            {
                "type": item["type"],
                "id": item.get("id"),
                "value": _block_json(block, value, shown),
            }
        )
    return bodies


@router.get("/module/", summary="The whole published module in one response")
def module_bundle(request):
    """Module, roles, aspects with statements, career paths and lessons in order: everything
    a static frontend or an LMS import needs, published content only."""
    from roles.models import CareerPathPage, ModulePage

    module = visible(ModulePage.objects.all()).first()
    if module is None:
        return problem_response(status=404, title="Not found", detail="No module is published.")
    matrix = current_comparison()
    # A path or step names its role only while readers may see it: the table's columns.
    role_ids = {role.pk for role in matrix.roles}
    lessons = module.lessons()
    # Lessons' comparison blocks name only the aspects readers may see: the table's rows.
    bodies = lesson_bodies(lessons, shown={row.aspect.pk for row in matrix.rows})
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
                "role_id": path.role_id if path.role_id in role_ids else None,
                "url": path.get_url(),
                "steps": [
                    {
                        "title": step.title,
                        "description": step.description,
                        "role_id": step.role_id if step.role_id in role_ids else None,
                    }
                    for step in path.steps.all()
                ],
            }
            for path in visible(CareerPathPage.objects.all())
            .prefetch_related("steps")
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
