"""Admin edit forms: the public change note, and the rules that keep the table whole."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail.admin.forms import WagtailAdminPageForm

from roles.comparison.palette import ROLE_COLOURS


class ModulePageForm(WagtailAdminPageForm):
    """Every module page: the change note starts empty for each new change.

    The note is a page field so that it travels inside the revision it describes; without this,
    the last published note would be offered again for the next, unrelated change.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.has_unpublished_changes:
            self.initial["change_note"] = ""

    def clean(self):
        cleaned_data = super().clean()
        original = self.instance.alias_of_id
        if original is not None:
            # An alias shows its original's content and has no revisions of its own. Wagtail's
            # admin refuses to save one (405); its v3 API (8.0.1) validates this form and then
            # fails to save a revision of the alias, a 500.
            raise ValidationError(
                f"This page is an alias of page {original} and shows its content: edit page "
                f"{original}, or convert the alias into a page of its own first."
            )
        return cleaned_data

    @property
    def publishing(self):
        """What the button pressed asks: "publish", "submit" (for moderation) or None (a draft).
        A moderator's "Approve and publish" in the editor publishes too."""
        if self.data.get("action-publish") or (
            self.data.get("action-workflow-action")
            and self.data.get("workflow-action-name") == "approve"
        ):
            return "publish"
        return "submit" if self.data.get("action-submit") else None


class AspectPageForm(ModulePageForm):
    """An aspect's statements: one per role, never blank.

    An aspect may be published whichever roles it lacks a statement for: whether a role is
    ready is the role's question (RolePageForm), so adding a role never blocks an aspect.
    """

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("statements")
        if formset is None:
            # Wagtail's API builds the form from the fields a request names: a partial update
            # (PATCH) without "statements" leaves the rows as they are, so there are none to
            # check. The admin's form always has them.
            return cleaned_data
        formset.is_valid()  # make sure each row is cleaned before looking at the rows
        # A value is a point on the aspect's scale: without a named scale it means nothing.
        # (An API PATCH may leave the scale out: then it is the page's own.)
        scaled = bool(cleaned_data.get("scale_label", self.instance.scale_label))
        seen = set()
        for form in formset.forms:
            if formset.can_delete and formset._should_delete_form(form):
                continue
            role = form.cleaned_data.get("role")
            raw = form.data.get(form.add_prefix("statement"), "")
            # Wagtail lets drafts skip required fields, but an empty cell is never a draft of
            # anything: it would publish as a blank statement.
            if not raw.strip() and (role is not None or "statement" in form.errors):
                form.errors["statement"] = ErrorList(
                    ["Write the statement for this role, or delete the row."]
                )
            if form.cleaned_data.get("value") is not None and not scaled:
                form.add_error(
                    "value",
                    "Name the scale first (Infographic: scale label), or leave the value empty.",
                )
            if role is None:
                continue
            if role.pk in seen:
                form.add_error(
                    "role",
                    f"{role.title} already has a statement on this aspect; "
                    "edit that row instead of adding another.",
                )
            seen.add(role.pk)

        return cleaned_data


class RolePageForm(ModulePageForm):
    """A role goes live complete and distinct.

    Complete: making a role public (publishing it, or submitting it while not yet live) needs
    a statement for it on every published aspect, so learners never meet a column of empty
    cells. A role already live is not held back by an aspect added since: its gaps are flagged
    (the role's editor, the matrix, the dashboard) and editing it is never blocked.

    Distinct: no two published roles may share a short label or colour. The rules live here
    because both ways of writing a page go through this form: the admin's editor and Wagtail's
    v3 API (which binds each page type's ``base_form_class``). Drafts and unpublished roles are
    not compared against: only what learners can see at once must differ.
    """

    DISTINCT = (
        ("short_label", "“{value}” is already the short label of {role}."),
        ("colour", "{value} is already the colour of {role}."),
    )

    def clean(self):
        cleaned_data = super().clean()
        others = (
            type(self.instance)
            .objects.live()
            .filter(alias_of__isnull=True)
            .exclude(pk=self.instance.pk)
            .order_by("path")
        )
        for field, message in self.DISTINCT:
            value = cleaned_data.get(field)
            if field not in self.fields or not value:
                continue  # a partial API update without the field, or none chosen
            clash = others.filter(**{f"{field}__iexact": value}).first()
            if clash is not None:
                shown = ROLE_COLOURS[value][0] if field == "colour" else value
                self.add_error(field, message.format(value=shown, role=clash.title))
        if self.publishing and not self.instance.live:
            self.check_complete()
        return cleaned_data

    def check_complete(self):
        # Wagtail (8.0) shows a form's errors as escaped text in its message: the aspects are
        # named here, and linked from the role's Statements panel (roles.panels) just below.
        missing, unpublished = self.instance.statement_gaps()
        # Submitting asks a moderator to publish: statements still in draft will do then.
        waiting = [] if self.publishing == "submit" else [a.title for a in unpublished]
        if missing:
            count = f"{len(missing)} published aspect{'' if len(missing) == 1 else 's'}"
            self.add_error(
                None,
                f"Learners would see this role with empty cells: it has no statement on "
                f"{count}: {', '.join(a.title for a in missing)}. Write them (the Statements "
                "panel below links to each; the comparison matrix shows the role's column), "
                "or save a draft for now.",
            )
        if waiting:
            self.add_error(
                None,
                f"This role's statements on {', '.join(waiting)} are drafts: publish "
                f"{'it' if len(waiting) == 1 else 'them'} first (“Publish column” in the "
                "comparison matrix), then the role.",
            )
