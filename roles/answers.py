"""What readers send in query strings, read by Django forms: a knowledge check's answer, a
self-assessment's answers and the day of the comparison table's history.

Nothing here is stored: the pages answer with GETs (safe to repeat, no CSRF token, one
cacheable page). The messages are the pages' own; the views show them as they are.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class OptionNumberField(forms.TypedChoiceField):
    """The number of one of ``count`` options (0, 1, ...), as their radio buttons submit it.

    The choices are the real options' numbers as text, so nothing else is read as a number:
    Django's IntegerField would also take digits such as "١" (Arabic-Indic one) or "²".
    Surrounding spaces and leading zeros are allowed ("01" is option 1), as before.
    """

    def __init__(self, count, **kwargs):
        choices = [(str(n), str(n)) for n in range(count)]
        super().__init__(choices=choices, coerce=int, **kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()
        return value.lstrip("0") or value[:1]  # "000" is option 0, "" stays no answer


class KnowledgeCheckForm(forms.Form):
    """``?check=<block id>&answer=<option number>``: one of a lesson's knowledge checks,
    answered without JavaScript. ``check`` must name one of ``check_ids``; the answer is read
    by that check (KnowledgeCheckValue.judge), against its own options."""

    check = forms.ChoiceField()

    def __init__(self, data, check_ids):
        super().__init__(data)
        self.fields["check"].choices = [(check_id, check_id) for check_id in check_ids]


class AnswerSheetForm(forms.Form):
    """A self-assessment's answers, ``?q-<question id>=<answer number>``: a field per question,
    built from ``questions`` ((id, number of answers) per question, in the page's order)."""

    unknown_message = "Some answers do not belong to these questions. Please try again."

    def __init__(self, data, questions):
        super().__init__(data)
        for number, (question_id, count) in enumerate(questions, start=1):
            self.fields[f"q-{question_id}"] = OptionNumberField(
                count,
                error_messages={
                    "required": f"Question {number} has no answer.",
                    "invalid_choice": f"Question {number}: choose one of its answers.",
                },
            )

    def clean(self):
        if any(key.startswith("q-") and key not in self.fields for key in self.data):
            raise ValidationError(self.unknown_message)
        return super().clean()

    def messages(self):
        """Every message, as the page lists them: answers to other questions first, then
        each question's in order."""
        return [
            *self.non_field_errors(),
            *(message for name in self.fields for message in self.errors.get(name, [])),
        ]


class IsoDateField(forms.DateField):
    """A day written exactly YYYY-MM-DD in ASCII digits, as the page's message and the API
    promise: the format "%Y-%m-%d" alone would also take "2025-3-5"."""

    input_formats = ["%Y-%m-%d"]

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not ISO_DAY.fullmatch(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class AsOfForm(forms.Form):
    """``?as_of=YYYY-MM-DD``: the comparison table as published at the end of that day."""

    as_of = IsoDateField()
