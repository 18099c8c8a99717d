"""The forms that read readers' query strings (roles/answers.py), without a page or database:
which spellings name an option, the assessment's messages and their order, the day format."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from roles.answers import AnswerSheetForm, AsOfForm, KnowledgeCheckForm, OptionNumberField


def option(value, count=3):
    try:
        return OptionNumberField(count).clean(value)
    except ValidationError as error:
        return error.code


@pytest.mark.parametrize(
    ("value", "number"),
    [("0", 0), ("2", 2), (" 1 ", 1), ("01", 1), ("000", 0), (2, 2), ("\u00a01\t", 1)],
)
def test_an_option_is_named_by_its_number_as_int_read_it_before(value, number):
    assert option(value) == number


@pytest.mark.parametrize(
    "value", ["3", "-1", "+1", "1.0", "1_0", "١", "²", "0x1", "one", "1 1", "X1", "0X1"]
)
def test_anything_else_is_no_option(value):
    assert option(value) == "invalid_choice"


@pytest.mark.parametrize("value", ["", "  ", None])
def test_nothing_is_no_answer(value):
    assert option(value) == "required"


def test_the_last_option_counts_and_one_past_it_does_not():
    assert option("7", count=8) == 7
    assert option("8", count=8) == "invalid_choice"
    assert option("0", count=0) == "invalid_choice"


def test_a_knowledge_check_must_be_one_of_the_lessons():
    assert KnowledgeCheckForm({"check": "b"}, check_ids=["a", "b"]).is_valid()
    for check in ("c", " b", "", "b" * 100):
        assert not KnowledgeCheckForm({"check": check}, check_ids=["a", "b"]).is_valid(), check
    assert not KnowledgeCheckForm({}, check_ids=["a"]).is_valid()


QUESTIONS = [("x", 3), ("y", 2), ("z", 4)]


def test_an_answer_sheet_gives_each_answer_as_a_number():
    form = AnswerSheetForm({"q-x": "2", "q-y": "0", "q-z": "3", "other": "1"}, QUESTIONS)
    assert form.is_valid() and form.messages() == []
    assert form.cleaned_data == {"q-x": 2, "q-y": 0, "q-z": 3}


def test_an_answer_sheets_messages_name_questions_by_their_number_in_order():
    form = AnswerSheetForm({"q-x": "3", "q-z": "3", "q-w": "0"}, QUESTIONS)
    assert not form.is_valid()
    assert form.messages() == [
        "Some answers do not belong to these questions. Please try again.",
        "Question 1: choose one of its answers.",
        "Question 2 has no answer.",
    ]
    assert form.cleaned_data == {"q-z": 3}  # kept, to tick it again


def test_a_day_is_written_exactly_yyyy_mm_dd():
    def day(value):
        form = AsOfForm({"as_of": value})
        return form.cleaned_data["as_of"] if form.is_valid() else None

    assert day("2025-03-05") == datetime.date(2025, 3, 5)
    assert day(" 2024-02-29 ") == datetime.date(2024, 2, 29)
    for value in ("2025-3-5", "20250305", "2025-W10-3", "2025-02-29", "٢٠٢٥-٠٣-٠٥", "", "x"):
        assert day(value) is None, value


@pytest.mark.parametrize("value", ["2025-3-5", "2025-03-05T00:00", "٢٠٢٥-٠٣-٠٥"])
def test_a_day_written_otherwise_is_refused_with_the_forms_own_message(value):
    """The page and the API show this message; a near-miss is refused like any other."""
    form = AsOfForm({"as_of": value})

    assert not form.is_valid()
    assert form.has_error("as_of", "invalid")
    assert form.errors["as_of"] == ["Enter a valid date."]
