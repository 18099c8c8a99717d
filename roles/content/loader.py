"""Load the module's content from a YAML file into published pages, once.

Pages that already exist are left exactly as editors made them: the loader seeds a site, it
never overwrites. Everything happens in one transaction, and the whole file is validated
(roles/content/reader.py) before the first write, so a bad file leaves the database untouched.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.admin.rich_text.converters.db_html import DbHTMLConverter
from wagtail.fields import RichTextField
from wagtail.models import Page, PageLogEntry, Revision, Site

from roles.blocks import RICH_TEXT_FEATURES
from roles.content.reader import DEFAULT_FILE, ContentError, lesson_block, read
from roles.models import (
    AspectPage,
    AspectStatement,
    Author,
    CareerPathIndexPage,
    CareerPathPage,
    CareerStep,
    ComparisonPage,
    FinalCheckPage,
    LessonPage,
    ModulePage,
    RoleIndexPage,
    RolePage,
    SelfAssessmentPage,
)

# Rich text inside lesson blocks: (block type, key in its value or None for the value itself).
RICH_BLOCK_PARTS = {"paragraph": None, "takeaway": "text", "knowledge_check": "explanation"}


def clean_rich_text(html):
    """The file's HTML through the same allow-list as the editor and the API: the loader
    publishes without moderation, so a script or handler in the file must not reach a page."""
    return DbHTMLConverter(RICH_TEXT_FEATURES).clean(html)[0]


class Loader:
    def __init__(self, data, report=print):
        self.data = data
        self.report = report
        published = data["published"]
        # Noon UTC, so the date reads the same in every time zone the site is likely to use.
        self.published_at = datetime.datetime.combine(
            published, datetime.time(12), tzinfo=datetime.UTC
        )
        self.created = 0
        self.kept = 0

    @transaction.atomic
    def run(self):
        module = self._module()
        # The table comes first in the module's navigation, so its page is created first.
        comparison = self._ensure(module, ComparisonPage, self.data["comparison"])
        roles_index = self._ensure(module, RoleIndexPage, self.data["roles_index"])
        roles = {r["slug"]: self._ensure(roles_index, RolePage, r) for r in self.data["roles"]}
        aspects = {
            a["slug"]: self._ensure(comparison, AspectPage, a, roles=roles)
            for a in self.data["aspects"]
        }
        careers_index = self._ensure(module, CareerPathIndexPage, self.data["career_index"])
        for path in self.data["career_paths"]:
            self._ensure(careers_index, CareerPathPage, path, roles=roles)
        for lesson in self.data["lessons"]:
            self._ensure(module, LessonPage, lesson, aspects=aspects, roles=roles)
        self._ensure(module, SelfAssessmentPage, self.data["self_assessment"], roles=roles)
        if self.data.get("final_check"):  # after the lessons: its questions are theirs
            self._ensure(module, FinalCheckPage, self.data["final_check"])
        return self.created, self.kept

    def _module(self):
        module = ModulePage.objects.first()
        if module:
            self.kept += 1
            return module
        root = Page.get_first_root_node()
        module = self._create(root, ModulePage, self.data["module"])
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site:
            site.root_page = module
            site.save()
        else:
            Site.objects.create(hostname="localhost", root_page=module, is_default_site=True)
        # Wagtail's "Welcome to your new Wagtail site!" placeholder has served its purpose.
        if old_root and old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()
        return module

    def _ensure(self, parent, model, item, **refs):
        if model.max_count == 1:
            existing = model.objects.first()
        else:
            existing = model.objects.child_of(parent).filter(slug=item["slug"]).first()
        if existing:
            self.kept += 1
            return existing
        return self._create(parent, model, item, **refs)

    def _create(self, parent, model, item, roles=None, aspects=None):
        nested = {"statements", "phrases", "values", "scale", "steps", "body", "role"}
        nested |= {"questions", "objectives"}
        fields = {k: v for k, v in item.items() if k not in nested}
        for name, value in fields.items():
            if isinstance(model._meta.get_field(name), RichTextField):
                fields[name] = clean_rich_text(value)
        if model is ModulePage and fields.get("author"):
            # The file names the author; the site keeps one editable snippet per name.
            fields["author"] = Author.objects.get_or_create(name=fields["author"].strip())[0]
        page = model(**fields)
        if model is AspectPage:
            # sort_order is not filled in when a list is assigned, so give the file's order.
            scale = item.get("scale") or {}
            page.scale_label = scale.get("label", "")
            page.scale_low, page.scale_high = scale.get("low", ""), scale.get("high", "")
            phrases, values = item.get("phrases") or {}, item.get("values") or {}
            page.statements = [
                AspectStatement(
                    role=roles[slug],
                    statement=text.strip(),
                    phrase=phrases.get(slug, ""),
                    value=values.get(slug),
                    sort_order=i,
                )
                for i, (slug, text) in enumerate(item["statements"].items())
            ]
        elif model is CareerPathPage:
            page.role = roles[item["role"]] if item.get("role") else None
            page.steps = [
                CareerStep(
                    title=step["title"],
                    description=step.get("description", ""),
                    role=roles[step["role"]] if step.get("role") else None,
                    alternative=step.get("alternative", False),
                    sort_order=i,
                )
                for i, step in enumerate(item["steps"])
            ]
        elif model is LessonPage:
            page.objectives = [
                {"type": "objective", "value": text} for text in item.get("objectives", [])
            ]
            page.body = [self._block(block, aspects, roles) for block in item["body"]]
        elif model is SelfAssessmentPage:
            page.questions = [
                {
                    "type": "question",
                    "value": {
                        "text": q["text"],
                        "answers": [
                            {
                                "text": a["text"],
                                "weights": [
                                    {"role": roles[slug].pk, "points": points}
                                    for slug, points in a["weights"].items()
                                ],
                            }
                            for a in q["answers"]
                        ],
                    },
                }
                for q in item["questions"]
            ]
        try:
            parent.add_child(instance=page)
        except ValidationError as exc:
            raise ContentError(f"{model.__name__} {item.get('title')!r}: {exc}") from exc
        self._publish(page)
        self.created += 1
        self.report(f"  + {model._meta.verbose_name}: {page.title}")
        return page

    @staticmethod
    def _block(block, aspects, roles):
        kind, value = lesson_block(block, "lesson block")  # the source marker is for tests
        if kind == "comparison":
            value = {**value, "aspects": [aspects[slug].pk for slug in value["aspects"]]}
        if kind == "scenario":
            value = {
                **value,
                "perspectives": [
                    {**p, "role": roles[p["role"]].pk} for p in value["perspectives"]
                ],
            }
        if kind in RICH_BLOCK_PARTS:
            part = RICH_BLOCK_PARTS[kind]
            if part is None:
                value = clean_rich_text(value)
            elif value.get(part):
                value = {**value, part: clean_rich_text(value[part])}
        return {"type": kind, "value": value}

    def _publish(self, page):
        # Logged as an edit, as the page editor's save is: Wagtail's History offers a
        # revision's actions (review, revert, compare) on its edit entry, not its publish one,
        # so without it the article's own wording could not be restored from History.
        revision = page.save_revision(log_action=True)
        revision.publish()
        # Date the first revision as the source article was published, so "Last updated" on a
        # freshly loaded site reads as the article did, and later edits date themselves.
        when = self.published_at
        Revision.objects.filter(pk=revision.pk).update(created_at=when)
        Page.objects.filter(pk=page.pk).update(
            first_published_at=when, last_published_at=when, latest_revision_created_at=when
        )
        PageLogEntry.objects.filter(page=page).update(timestamp=when)


def load(path=DEFAULT_FILE, report=print):
    """Validate then load; returns (pages created, pages already there)."""
    return Loader(read(path), report=report).run()
