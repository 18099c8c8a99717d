"""check_rows (tpmsite/ops/backup.py): restore reads data.json's rows through it before it clears
anything, and each refusal tells the operator what is wrong with which row."""

import json
import re

import pytest
from tpmsite.ops.backup import BackupError, backed_up_model, check_rows

GROUP = {"model": "auth.group", "pk": 7, "fields": {"name": "Editors", "permissions": []}}


def refused(rows, counts, message):
    data = rows if isinstance(rows, str) else json.dumps(rows)
    with pytest.raises(BackupError, match=f"^{re.escape(message)}$"):
        check_rows(data, counts)


def test_good_rows_matching_the_counts_are_accepted_and_counted():
    assert check_rows(json.dumps([GROUP, {**GROUP, "pk": 8}]), {"auth.group": 2}) == 2
    assert check_rows("[]", {"auth.group": 0}) == 0  # a model counted as empty needs no rows


def test_text_that_is_not_json_or_not_a_list_is_refused():
    with pytest.raises(BackupError, match=r"^data.json is not valid JSON \(damaged\?\): Expect"):
        check_rows('[{"model": ', {})
    refused(GROUP, {}, "data.json is not a list of rows")


@pytest.mark.parametrize("row", [["auth.group"], 5, {"model": 5, "fields": {}}, {"pk": 1}])
def test_a_row_that_is_not_a_serialized_object_is_refused(row):
    refused(
        [GROUP, row],
        {"auth.group": 2},
        f"data.json has a row that is not a serialized object: {row!r}",
    )


def test_a_strange_row_is_shown_cut_to_80_characters():
    row = {"model": None, "fields": {"name": "x" * 200}}
    refused([row], {}, f"data.json has a row that is not a serialized object: {repr(row)[:80]}")


@pytest.mark.parametrize("fields", [None, ["name"], "Editors"])
def test_a_row_without_fields_is_refused(fields):
    refused(
        [{**GROUP, "fields": fields}],
        {"auth.group": 1},
        "data.json has a row of auth.group without fields",
    )


def test_an_unknown_field_is_named_with_its_row():
    row = {**GROUP, "fields": {**GROUP["fields"], "is_owner": True, "zone": 1}}
    refused(
        [row],
        {"auth.group": 1},
        "data.json has a row of auth.group (pk 7) with a field "
        "'is_owner', which auth.group does not have",
    )


def test_a_model_backups_never_hold_is_named_with_why():
    with pytest.raises(BackupError) as refusal:
        backed_up_model("sessions.session", "the manifest")
    assert str(refusal.value) == (
        "the manifest refers to sessions.session, a model backups never hold (sessions, login "
        "attempts and the like are not restored)"
    )
    assert backed_up_model("auth.group", "the manifest")._meta.label_lower == "auth.group"


@pytest.mark.parametrize(
    "rows, counts, differing",
    [
        ([GROUP], {"auth.group": 2}, {"auth.group": (2, 1)}),  # rows missing
        ([GROUP], {}, {"auth.group": (0, 1)}),  # rows the manifest does not count
        ([], {"auth.group": 1, "auth.user": 0}, {"auth.group": (1, 0)}),
    ],
)
def test_rows_that_differ_from_the_manifests_counts_are_refused(rows, counts, differing):
    refused(rows, counts, f"data.json's rows differ from the manifest's counts: {differing}")
