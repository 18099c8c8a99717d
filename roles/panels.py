"""Panels of the page editor that show the state of the comparison, not a field."""

from wagtail.admin.panels import Panel


class RoleCompletenessPanel(Panel):
    """On a role's editor: the published aspects it has no statement on yet, and those whose
    statement is still a draft. Publishing a new role waits for both (roles.forms.RolePageForm);
    a role already live shows learners empty cells there. Hidden when there is nothing to say."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "roles/admin/role_completeness_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            role = self.instance
            self.missing, self.waiting = role.statement_gaps()

        def is_shown(self):
            return bool(self.missing or self.waiting) and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(role=self.instance, missing=self.missing, waiting=self.waiting)
            return context
