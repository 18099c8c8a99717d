"""The article's own wording can be restored from a page's History, like any other revision."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from roles.models import AspectPage
from tests.conftest import edit_form_data

pytestmark = pytest.mark.django_db


def test_the_loaders_revision_has_history_actions_and_reverts_to_the_article(admin_client):
    call_command("load_module", verbosity=0)
    aspect = AspectPage.objects.order_by("path").first()
    loaded = aspect.live_revision
    original = aspect.statements.first().statement

    data = edit_form_data(admin_client, aspect)
    data["statements-0-statement"] = "An editor's rewording"
    data["action-publish"] = "publish"
    edit_url = reverse("wagtailadmin_pages:edit", args=[aspect.pk])
    assert admin_client.post(edit_url, data).status_code == 302

    history = admin_client.get(reverse("wagtailadmin_pages:history", args=[aspect.pk]))
    html = BeautifulSoup(history.content, "html.parser")
    revert_url = reverse("wagtailadmin_pages:revisions_revert", args=[aspect.pk, loaded.pk])
    link = html.find("a", href=revert_url)
    assert link is not None and link.get_text(strip=True) == "Review this version"
    compare = reverse(
        "wagtailadmin_pages:revisions_compare", args=[aspect.pk, loaded.pk, "latest"]
    )
    assert html.find("a", href=compare)

    review = admin_client.get(revert_url)
    banner = " ".join(
        BeautifulSoup(review.content, "html.parser").select_one(".messages").text.split()
    )
    assert "You are viewing a previous version of this page from" in banner
    assert banner.endswith("by the content loader"), banner
    assert "None" not in banner

    data = querydict_from_html(review.content.decode(), form_id="page-edit-form")
    data["action-publish"] = "publish"
    assert admin_client.post(revert_url, data).status_code == 302
    aspect.refresh_from_db()
    assert aspect.statements.first().statement == original
    assert original in admin_client.get(aspect.get_parent().url).content.decode()
