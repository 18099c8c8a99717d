"""StreamField values in v3 API writes, checked for the shape Wagtail reads them in.

Wagtail 8.0.1 turns a StreamField's JSON into form data (``wagtail.api.v3.form_data.
flatten_block_value``) before any block validation runs, and that step indexes into the JSON
as if its shape were right: a struct given as a string, a list given as an object, a stream
item without "value", or a chooser given "x" or an id beyond 64 bits raised TypeError,
AttributeError, KeyError, ValueError or OverflowError, all answered as 500. This module names
exactly those mistakes, field by field, so that the request is answered 422 before Wagtail reads
it; everything else (lengths, required values, one correct option) is still the blocks' own
validation, reached through the page form.

A chooser naming a page that does not exist (or is not of the chosen type) is refused here too:
Wagtail would quietly store an empty chooser in its place, losing what the client meant.
"""

from wagtail import blocks
from wagtail.fields import StreamField

# Database integer columns hold 64 bits; a larger id cannot name a row.
MAX_ID = 2**63 - 1


def stream_field_problems(model, payload):
    """``(loc, message)`` for each StreamField value in ``payload`` Wagtail could not read."""
    for field in model._meta.get_fields():
        if isinstance(field, StreamField) and field.name in payload:
            yield from block_problems(
                field.stream_block, payload[field.name], ("body", field.name)
            )


def block_problems(block, value, loc):
    if value is None:
        return  # Wagtail reads a missing value as the block's empty value; the block decides
    if isinstance(block, blocks.BaseStreamBlock):
        yield from _stream_problems(block, value, loc)
    elif isinstance(block, blocks.ListBlock):
        if not isinstance(value, list):
            yield loc, f"Expected a list, not {json_type(value)}."
            return
        for index, item in enumerate(value):
            yield from block_problems(block.child_block, item, (*loc, index))
    elif isinstance(block, blocks.BaseStructBlock):
        if not isinstance(value, dict):
            yield loc, f"Expected an object, not {json_type(value)}."
            return
        for name, child in block.child_blocks.items():
            yield from block_problems(child, value.get(name), (*loc, name))
    elif isinstance(block, blocks.ChooserBlock):
        yield from _chooser_problems(block, value, loc)


def _stream_problems(block, value, loc):
    if not isinstance(value, list):
        yield loc, f"Expected a list of blocks, not {json_type(value)}."
        return
    for index, item in enumerate(value):
        here = (*loc, index)
        if not isinstance(item, dict) or "type" not in item or "value" not in item:
            yield here, 'Expected a block: an object with "type" and "value".'
            continue
        kind = item["type"]
        child = block.child_blocks.get(kind) if isinstance(kind, str) else None
        if child is None:
            names = ", ".join(block.child_blocks)
            yield (*here, "type"), f"Unknown block type {kind!r}; expected one of: {names}."
            continue
        if item.get("id") is not None and not isinstance(item["id"], str):
            yield (*here, "id"), f"Expected a string, not {json_type(item['id'])}."
        yield from block_problems(child, item["value"], (*here, "value"))


def _chooser_problems(block, value, loc):
    pk = value
    if isinstance(pk, str) and pk.isascii() and pk.isdigit():
        pk = int(pk)
    if isinstance(pk, bool) or not isinstance(pk, int):
        yield loc, f"Expected an id ({_name(block)}), not {json_type(value)}."
    elif not 1 <= pk <= MAX_ID or not block.model_class.objects.filter(pk=pk).exists():
        yield loc, f"There is no {_name(block)} with id {pk}."


def _name(block):
    return block.model_class._meta.verbose_name


def json_type(value):
    """What JSON calls ``value``'s type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"
