"""The module's author becomes an Author snippet: each module's old author string becomes (or
reuses) an Author of that name, and saved revisions are rewritten to point at it, so reverting
to an older revision keeps the author instead of failing on a name where an id is expected."""

import django.db.models.deletion
import wagtail.fields
from django.db import migrations, models


def author_strings_to_snippets(apps, schema_editor):
    Author = apps.get_model("roles", "Author")
    ModulePage = apps.get_model("roles", "ModulePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ids = {}
    for module in ModulePage.objects.all():
        name = module.legacy_author.strip()
        if name:
            module.author = Author.objects.get_or_create(name=name)[0]
            module.save(update_fields=["author"])
    content_type = ContentType.objects.filter(app_label="roles", model="modulepage").first()
    for revision in Revision.objects.filter(content_type=content_type):
        name = revision.content.get("author")
        if isinstance(name, str):
            name = name.strip()
            if name and name not in ids:
                ids[name] = Author.objects.get_or_create(name=name)[0].pk
            revision.content["author"] = ids.get(name)
            revision.save(update_fields=["content"])


def author_snippets_to_strings(apps, schema_editor):
    ModulePage = apps.get_model("roles", "ModulePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Author = apps.get_model("roles", "Author")
    names = dict(Author.objects.values_list("pk", "name"))
    for module in ModulePage.objects.all():
        module.legacy_author = names.get(module.author_id, "")
        module.save(update_fields=["legacy_author"])
    content_type = ContentType.objects.filter(app_label="roles", model="modulepage").first()
    for revision in Revision.objects.filter(content_type=content_type):
        if "author" in revision.content:
            revision.content["author"] = names.get(revision.content["author"], "")
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0007_final_check"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.CreateModel(
            name="Author",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, unique=True)),
                (
                    "bio",
                    wagtail.fields.RichTextField(
                        blank=True, help_text="Shown under 'About the author'."
                    ),
                ),
                (
                    "photo",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailimages.image",
                    ),
                ),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.RenameField("modulepage", "author", "legacy_author"),
        migrations.AddField(
            model_name="modulepage",
            name="author",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="modules",
                to="roles.author",
            ),
        ),
        migrations.RunPython(author_strings_to_snippets, author_snippets_to_strings),
        migrations.RemoveField("modulepage", "legacy_author"),
    ]
