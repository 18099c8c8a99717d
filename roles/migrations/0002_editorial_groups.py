"""Editors and Moderators with page permissions on the whole tree, and moderation on it.

Wagtail's own migrations create similar defaults; this makes the module's rules explicit and
restores them on any database where they were changed or are missing.
"""

from django.db import migrations

EDITOR_PERMISSIONS = ["add_page", "change_page", "lock_page"]
MODERATOR_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
ADMIN_PERMISSIONS = ["access_admin"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    root = Page.objects.filter(depth=1).first()
    if root is None:  # a database without Wagtail's initial data: nothing to attach to
        return
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    page_permissions = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore", content_type__model="page"
        )
    }
    groups = {}
    for name, codenames in (("Editors", EDITOR_PERMISSIONS), ("Moderators", MODERATOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        if access_admin:
            group.permissions.add(access_admin)
        for codename in codenames:
            if codename in page_permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root, permission=page_permissions[codename]
                )

    # Moderation: every page in the tree goes through the Moderators' approval.
    workflow = Workflow.objects.filter(workflow_pages__page=root).first()
    if workflow is None:
        workflow, _ = Workflow.objects.get_or_create(name="Moderators approval")
        WorkflowPage.objects.get_or_create(page=root, defaults={"workflow": workflow})
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.create(
            name="Moderators approval",
            content_type=ContentType.objects.get_for_model(GroupApprovalTask),
        )
        task.groups.add(groups["Moderators"])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
