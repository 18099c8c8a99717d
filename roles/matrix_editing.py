"""Editing the comparison from the admin's matrix: each cell's state, a cell's new wording saved
as a revision of its aspect, and publishing or submitting many aspects at once.

Everything goes through what the page editor uses: the aspect's own edit form (its panels and
AspectPageForm, so the same validation), page permissions and locks, Wagtail's publish action
and its workflows. The matrix adds no rule of its own.
"""

from dataclasses import dataclass

from django.db import transaction
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.admin.panels import get_form_for_model
from wagtail.models import Revision, WorkflowState

from roles.models import AspectPage, AspectStatement, RolePage

ACTIONS = ("save", "submit", "publish")


class Refused(Exception):
    """A change the user may not make; ``status`` is the HTTP status that says why."""

    def __init__(self, message, status=403):
        super().__init__(message)
        self.message, self.status = message, status


# --- States -----------------------------------------------------------------------------


@dataclass
class Cell:
    aspect: AspectPage
    role: RolePage
    published: str | None  # what learners see now
    draft: str | None  # the latest revision's wording
    state: str  # published, draft, moderation, scheduled, missing
    who: str = ""
    when: object = None

    @property
    def label(self):
        return STATE_LABELS[self.state]

    @property
    def text(self):
        return self.draft if self.draft is not None else self.published


STATE_LABELS = {
    "published": "Published",
    "draft": "Draft differs",
    "moderation": "In moderation",
    "scheduled": "Scheduled",
    "missing": "Missing",
}


def _statements(content):
    """role id → wording in a revision's stored content (no query, no page built)."""
    return {row["role"]: row["statement"] for row in content.get("statements", [])}


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else "the content loader"


def matrix_cells(aspects, roles):
    """Rows of cells for ``aspects`` × ``roles``, in five queries whatever their number: the
    live statements, the live and latest revisions, the active workflows and the schedules."""
    ids = [a.pk for a in aspects]
    live = {}
    for page_id, role_id, text in (
        AspectStatement.objects.filter(page__in=ids)
        .values_list("page_id", "role_id", "statement")
        .iterator()
    ):
        live.setdefault(page_id, {})[role_id] = text
    revision_ids = {a.latest_revision_id for a in aspects} | {a.live_revision_id for a in aspects}
    revisions = Revision.objects.filter(pk__in=revision_ids - {None}).select_related("user")
    revisions = {r.pk: r for r in revisions}
    keys = [str(pk) for pk in ids]
    moderation = {
        int(state.object_id): state
        for state in WorkflowState.objects.active()
        .filter(
            base_content_type__app_label="wagtailcore",
            base_content_type__model="page",
            object_id__in=keys,
        )
        .select_related("requested_by")
    }
    scheduled = {
        int(rev.object_id): rev
        for rev in Revision.page_revisions.filter(
            object_id__in=keys, approved_go_live_at__isnull=False
        ).select_related("user")
    }
    rows = []
    for aspect in aspects:
        published = live.get(aspect.pk, {}) if aspect.live else {}
        latest = revisions.get(aspect.latest_revision_id)
        draft = published
        if aspect.has_unpublished_changes and latest is not None:
            draft = _statements(latest.content)
        planned = scheduled.get(aspect.pk)
        planned_text = _statements(planned.content) if planned else {}
        cells = []
        for role in roles:
            cell = Cell(aspect, role, published.get(role.pk), draft.get(role.pk), "published")
            # A published cell: who published its aspect last, and when (a revision without a
            # user is the content loader's).
            source = revisions.get(aspect.live_revision_id)
            cell.who, cell.when = _name(source and source.user), aspect.last_published_at
            if planned and planned_text.get(role.pk) != cell.published:
                cell.state, cell.draft = "scheduled", planned_text.get(role.pk)
                cell.who, cell.when = _name(planned.user), planned.approved_go_live_at
            elif cell.draft != cell.published:
                cell.state = "moderation" if aspect.pk in moderation else "draft"
                cell.who, cell.when = _name(latest.user), latest.created_at
                if aspect.pk in moderation:
                    state = moderation[aspect.pk]
                    cell.who, cell.when = _name(state.requested_by), state.created_at
            elif cell.published is None:
                cell.state, cell.who, cell.when = "missing", "", None
            cells.append(cell)
        rows.append((aspect, cells))
    return rows


CHANGED = ("draft", "moderation")


def changed_aspects(rows, role=None):
    """The aspects whose latest revision differs from what learners see (in ``role``'s cell)."""
    return [
        aspect
        for aspect, cells in rows
        if any(c.state in CHANGED and (role is None or c.role == role) for c in cells)
    ]


# --- Saving a cell ----------------------------------------------------------------------


def cell_form_class():
    """The aspect's edit form, as the page editor builds it from its panels and AspectPageForm,
    narrowed (as Wagtail's own API narrows it for a partial update) to the statements and the
    change note: a cell changes nothing else, and the comment threads stay the editor's."""
    edit_handler = AspectPage.get_edit_handler()
    options = edit_handler.get_form_options()
    options["fields"] = ["change_note"]
    options["formsets"] = {"statements": options["formsets"]["statements"]}
    options["defer_required_on_fields"] = ["change_note"]
    base = edit_handler.base_form_class or AspectPage.base_form_class
    return get_form_for_model(AspectPage, form_class=base, **options)


def _field_data(form, data):
    """The values ``form`` shows, as the browser would post them."""
    for bound in form:
        value = bound.value()
        if getattr(bound.field.widget, "input_type", "") == "checkbox":
            if value:
                data[bound.html_name] = "on"
            continue
        if hasattr(bound.field.widget, "converter"):  # rich text: the editor's format
            value = bound.field.widget.format_value(value)
        data[bound.html_name] = "" if value is None else str(value)


def form_data(form, role, text, action, note=""):
    """The posted data of ``form`` (unbound, showing the latest revision) with ``role``'s
    statement set to ``text``, or a row added for it, and the change note if one is given."""
    data = {}
    _field_data(form, data)
    if note:
        data["change_note"] = note
    formset = form.formsets["statements"]
    _field_data(formset.management_form, data)
    found = False
    for child in formset.forms:
        _field_data(child, data)
        if role is not None and str(child["role"].value()) == str(role.pk):
            data[child["statement"].html_name] = text
            found = True
    if role is not None and not found:
        index = len(formset.forms)
        prefix = f"{formset.prefix}-{index}"
        data.update({f"{prefix}-role": str(role.pk), f"{prefix}-statement": text})
        if formset.can_order:
            data[f"{prefix}-ORDER"] = str(index + 1)
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(index + 1)
    if action != "save":
        data[f"action-{action}"] = action  # the rules that hold when asking to publish
    return data


def check_allowed(page, user, action):
    """Refuse what the page editor would refuse ``user``: editing, publishing or submitting
    without permission, or a page locked against them."""
    perms = page.permissions_for_user(user)
    if not perms.can_edit():
        raise Refused(f"You may not edit “{page.title}”.")
    if action == "publish" and not perms.can_publish():
        raise Refused(f"You may not publish “{page.title}”: submit it for moderation.")
    if action == "submit" and (not perms.can_submit_for_moderation() or not page.get_workflow()):
        raise Refused(f"“{page.title}” cannot be submitted for moderation.")
    lock = page.get_lock()
    if lock and lock.for_user(user):
        raise Refused(str(lock.get_message(user) or f"“{page.title}” is locked."), status=423)


def save_cell(aspect, role, text, user, action="save", note=""):
    """Save ``role``'s statement on ``aspect`` as a new revision, then submit or publish it as
    the editor's buttons do. Returns the revision, or the form's errors as a list of strings."""
    if action not in ACTIONS:
        raise Refused(f"Unknown action {action!r}.", status=400)
    check_allowed(aspect, user, action)
    latest = aspect.get_latest_revision_as_object()
    form_class = cell_form_class()
    kwargs = {"instance": latest, "parent_page": aspect.get_parent(), "for_user": user}
    data = form_data(form_class(**kwargs), role, text, action, note)
    form = form_class(data, **kwargs)
    if action == "save":
        form.defer_required_fields()
    if not form.is_valid():
        return None, form_errors(form)
    with transaction.atomic():
        page = form.save(commit=not aspect.live)
        revision = page.save_revision(user=user, log_action=True)
        finish(page, revision, user, action, changed=form.has_changed())
    return revision, []


def form_errors(form):
    errors = [str(e) for e in form.non_field_errors()]
    for name, field_errors in form.errors.items():
        errors += [f"{name}: {e}" for e in field_errors if name != "__all__"]
    for child in form.formsets["statements"].forms:
        for field_errors in child.errors.values():
            errors += [str(e) for e in field_errors]
    errors += [str(e) for e in form.formsets["statements"].non_form_errors()]
    return errors


def finish(page, revision, user, action, changed=True):
    """Publish or submit ``revision`` as the page editor's buttons do."""
    if action == "publish":
        PublishPageRevisionAction(revision, user=user, changed=changed).execute()
    elif action == "submit":
        state = page.current_workflow_state
        if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user)
        elif not state:
            page.get_workflow().start(page, user)


# --- Many aspects at once ---------------------------------------------------------------


def publish_or_submit(aspects, user, action):
    """Publish (or submit) each aspect's latest revision as if done by hand, one by one.
    Returns (done, refused): the aspects done, and (aspect, reason) for the others."""
    done, refused = [], []
    for aspect in aspects:
        try:
            check_allowed(aspect, user, action)
            if action == "submit" and aspect.current_workflow_state:
                state = aspect.current_workflow_state
                if state.status != WorkflowState.STATUS_NEEDS_CHANGES:
                    raise Refused(f"“{aspect.title}” is already in moderation.", status=409)
            # The rules of publishing, checked on the latest revision as the editor would.
            latest = aspect.get_latest_revision_as_object()
            form_class = cell_form_class()
            kwargs = {"instance": latest, "parent_page": aspect.get_parent(), "for_user": user}
            form = form_class(form_data(form_class(**kwargs), None, None, action), **kwargs)
            if not form.is_valid():
                raise Refused("; ".join(form_errors(form)), status=400)
            with transaction.atomic():
                finish(aspect, aspect.get_latest_revision(), user, action)
            done.append(aspect)
        except Refused as refusal:
            refused.append((aspect, refusal.message))
    return done, refused
