"""The whole published module in one response, for static frontends and LMS imports."""

from types import SimpleNamespace

from ninja import Router
from wagtail import blocks
from wagtail.api.v3.errors import problem_response
from wagtail.blocks import StreamValue
from wagtail.rich_text import expand_db_html

from roles.models.comparison import current_comparison
from roles.visibility import visible

from .comparison import comparison_payload, conditional_json
from .schemas import BundleOut, answers

router = Router(tags=["module"])

# Wagtail's blocks render rich text in the format the request's ?rich_text_format= names
# (database HTML by default); the bundle has always given display HTML, for other frontends.
HTML_RICH_TEXT = {"request": SimpleNamespace(GET={"rich_text_format": "html"})}


def _shown_only(block, value, shown):
    """``value`` without the chosen pages readers may not see (not among the ``shown`` page
    ids): a single chooser becomes None, a list of choosers leaves them out. Plain dicts and
    lists are enough for Wagtail's get_api_representation of structs and lists."""
    if isinstance(block, blocks.PageChooserBlock):
        return value if value is not None and value.pk in shown else None
    if isinstance(block, blocks.ListBlock):
        items = [_shown_only(block.child_block, item, shown) for item in value]
        if isinstance(block.child_block, blocks.PageChooserBlock):
            return [item for item in items if item is not None]
        return items
    if isinstance(block, blocks.StructBlock):
        return {
            name: _shown_only(child, value[name], shown)
            for name, child in block.child_blocks.items()
        }
    return value


def lesson_bodies(lessons, shown):
    """Each lesson's body as Wagtail's API renders a StreamField, keyed by lesson id; a chosen
    page is named only if it is among the ``shown`` page ids.

    Converting each body on its own reads its chosen pages: a query per lesson. Here each
    block type is converted for all lessons at once (as Wagtail does within one body), and
    each body is then rendered by its own stream block from the converted values.
    """
    stream_block = lessons[0].body.stream_block if lessons else None
    child_blocks = stream_block.child_blocks if lessons else {}
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
            values[i] = _shown_only(block, value, shown)
    children = {lesson.pk: [] for lesson in lessons}
    for (pk, item), value in zip(items, values, strict=True):
        children[pk].append((item["type"], value, item.get("id")))
    return {
        pk: stream_block.get_api_representation(StreamValue(stream_block, kids), HTML_RICH_TEXT)
        for pk, kids in children.items()
    }


@router.get(
    "/module/",
    **answers(BundleOut, {404: "No module is published."}),
    summary="The whole published module in one response",
)
def module_bundle(request):
    """Module, roles, aspects with statements, career paths and lessons in order: everything
    a static frontend or an LMS import needs, published content only (404 when no module is
    published). Rich text is display HTML; lesson bodies are Wagtail's StreamField API
    representation. Answers conditional GETs with 304, as /comparison/ does."""
    from roles.models import CareerPathPage, ModulePage

    module = visible(ModulePage.objects.all()).first()
    if module is None:
        return problem_response(status=404, title="Not found", detail="No module is published.")
    matrix = current_comparison()
    # A path or step names its role only while readers may see it: the table's columns.
    role_ids = {role.pk for role in matrix.roles}
    lessons = module.lessons()
    # Lessons' comparison blocks name only the aspects readers may see (the table's rows), and
    # their scenarios only the roles (the table's columns).
    shown = {row.aspect.pk for row in matrix.rows} | role_ids
    bodies = lesson_bodies(lessons, shown=shown)
    html = expand_db_html
    payload = {
        "module": {
            "id": module.pk,
            "title": module.title,
            "lead": module.lead,
            "author": module.author.name if module.author else "",
            "intro": html(module.intro_html),
            "disclaimer": html(module.disclaimer),
            "url": module.get_url(),
            "last_updated": module.last_updated,
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
                        "alternative": step.alternative,
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
                "objectives": [item["value"] for item in lesson.objectives.raw_data],
                "url": lesson.get_url(),
                "reading_minutes": lesson.reading_minutes,
                "body": bodies[lesson.pk],
            }
            for number, lesson in enumerate(lessons, start=1)
        ],
    }
    return conditional_json(request, BundleOut, payload, module.last_updated)
