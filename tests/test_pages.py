"""Every page type: a factory, tree rules, and Wagtail's render/edit/preview assertions."""

from django.urls import reverse
from wagtail.models import Page, get_page_models
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import rich_text

from roles import models
from tests import factories
from tests.conftest import build_module, edit_form_data

MODULE_TYPES = [m for m in get_page_models() if m._meta.app_label == "roles"]


class PageFactoryCoverageTests(WagtailPageTestCase):
    def test_every_page_type_has_a_factory(self):
        self.assertGreaterEqual(len(MODULE_TYPES), 8)
        for model in MODULE_TYPES:
            with self.subTest(model=model.__name__):
                self.assertIn(model, factories.PAGE_FACTORIES)


class TreeRuleTests(WagtailPageTestCase):
    def test_module_is_the_only_page_at_the_top(self):
        self.assertAllowedParentPageTypes(models.ModulePage, {Page})
        self.assertCanCreateAt(Page, models.ModulePage)
        self.assertEqual(models.ModulePage.max_count, 1)

    def test_module_holds_lessons_and_one_of_each_section(self):
        self.assertAllowedSubpageTypes(
            models.ModulePage,
            {
                models.LessonPage,
                models.ComparisonPage,
                models.RoleIndexPage,
                models.CareerPathIndexPage,
                models.SelfAssessmentPage,
                models.FinalCheckPage,
            },
        )
        for section in (models.ComparisonPage, models.RoleIndexPage, models.CareerPathIndexPage):
            with self.subTest(section=section.__name__):
                self.assertEqual(section.max_count, 1)
                self.assertAllowedParentPageTypes(section, {models.ModulePage})

    def test_sections_hold_only_their_own_pages(self):
        expected = {
            models.ComparisonPage: models.AspectPage,
            models.RoleIndexPage: models.RolePage,
            models.CareerPathIndexPage: models.CareerPathPage,
        }
        for section, child in expected.items():
            with self.subTest(section=section.__name__):
                self.assertAllowedSubpageTypes(section, {child})
                self.assertAllowedParentPageTypes(child, {section})
                self.assertCanCreateAt(section, child)
                self.assertCanNotCreateAt(models.ModulePage, child)

    def test_leaf_pages_have_no_children(self):
        for leaf in (models.LessonPage, models.RolePage, models.AspectPage, models.CareerPathPage):
            with self.subTest(page=leaf.__name__):
                self.assertAllowedSubpageTypes(leaf, set())

    def test_lessons_live_directly_in_the_module(self):
        self.assertCanCreateAt(models.ModulePage, models.LessonPage)
        self.assertCanNotCreateAt(models.RoleIndexPage, models.LessonPage)
        self.assertCanNotCreateAt(Page, models.LessonPage)


class PageBehaviourTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.module = build_module()
        cls.pages = cls.module.one_of_each()

    def test_every_page_type_is_covered_here(self):
        self.assertEqual(set(self.pages), set(MODULE_TYPES))

    def test_every_page_type_is_routable_and_renderable(self):
        for model, page in self.pages.items():
            with self.subTest(model=model.__name__):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)

    def lesson_post_data(self, page, user):
        """A lesson's form data: its StreamField is drawn by JavaScript, so it is spelled out."""
        self.client.force_login(user)  # Wagtail's assertions log the client out after each page
        aspects = {
            "count": 1,
            "0": {"value": self.module.aspects[0].pk, "deleted": "", "order": 0},
        }
        body = [
            ("heading", "Edited"),
            ("paragraph", rich_text("<p>Edited.</p>")),
            ("comparison", {"caption": "Chosen aspects", "aspects": aspects}),
        ]
        objectives = [("objective", "Edit a lesson")]
        data = edit_form_data(self.client, page, body=body, streams={"objectives": objectives})
        data["action-publish"] = "action-publish"
        return data

    def assessment_post_data(self, page, user):
        self.client.force_login(user)
        role = self.module.roles[0]
        weights = factories.list_block([{"role": role.pk, "points": 2}])
        answers = factories.list_block(
            [{"text": "Strategy", "weights": weights}, {"text": "Delivery", "weights": {}}]
        )
        answers["1"]["value"]["weights"] = factories.list_block([])
        data = edit_form_data(
            self.client,
            page,
            streams={"questions": [("question", {"text": "Q?", "answers": answers})]},
        )
        data["action-publish"] = "action-publish"
        return data

    def post_data(self, model, page, user):
        """Form data for page types whose StreamFields the HTML form alone cannot give."""
        if model is models.LessonPage:
            return self.lesson_post_data(page, user)
        if model is models.SelfAssessmentPage:
            return self.assessment_post_data(page, user)
        return None

    def test_every_page_type_is_editable_in_the_admin(self):
        user = self.create_superuser("editor")
        for model, page in self.pages.items():
            with self.subTest(model=model.__name__):
                data = self.post_data(model, page, user)
                self.assertPageIsEditable(page, post_data=data, user=user)

    def test_every_page_type_is_previewable(self):
        user = self.create_superuser("previewer")
        for model, page in self.pages.items():
            with self.subTest(model=model.__name__):
                data = self.post_data(model, page, user)
                self.assertPageIsPreviewable(page, post_data=data, user=user)

    def test_every_page_type_has_history_compare_and_revert(self):
        self.client.force_login(self.create_superuser("historian"))
        for model, page in self.pages.items():
            with self.subTest(model=model.__name__):
                first = page.live_revision
                draft = page.get_latest_revision_as_object()
                draft.title = f"{page.title} (renamed)"
                second = draft.save_revision()
                urls = {
                    "history": reverse("wagtailadmin_pages:history", args=[page.pk]),
                    "compare": reverse(
                        "wagtailadmin_pages:revisions_compare",
                        args=[page.pk, first.pk, second.pk],
                    ),
                    "revert": reverse(
                        "wagtailadmin_pages:revisions_revert", args=[page.pk, first.pk]
                    ),
                }
                for name, url in urls.items():
                    self.assertEqual(self.client.get(url).status_code, 200, name)
                self.assertContains(self.client.get(urls["compare"]), "(renamed)")
                # The draft title stays out of the public page until it is published.
                self.assertNotContains(self.client.get(page.url), "(renamed)")

    def test_every_page_shows_its_title_as_the_only_h1(self):
        for model, page in self.pages.items():
            with self.subTest(model=model.__name__):
                html = self.client.get(page.url).content.decode()
                self.assertEqual(html.count("<h1"), 1)
                self.assertIn(page.title.split(":")[0], html)

    def test_every_page_says_when_it_was_last_updated(self):
        for model, page in self.pages.items():
            with self.subTest(model=model.__name__):
                response = self.client.get(page.url)
                self.assertContains(response, "Last updated")
                self.assertContains(response, page.last_published_at.strftime("%b %-d, %Y"))
