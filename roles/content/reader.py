"""The module's content file: where it is, how it is read, and everything it must say.

The whole file is checked before the loader (roles/content/loader.py) writes anything, and every
message names the place in the file, e.g. ``lessons[3].body[1].options``.
"""

import datetime
from pathlib import Path

import yaml

from roles.comparison.icons import ICONS

DEFAULT_FILE = Path(__file__).resolve().parent / "module.yaml"
LESSON_BLOCK_TYPES = {
    "paragraph",
    "heading",
    "takeaway",
    "comparison",
    "knowledge_check",
    "scenario",
}
# Where a lesson block's words come from (its ``source:`` key, documented in module.yaml).
SOURCES = {"article", "module"}
MAX_OBJECTIVES = 3


class ContentError(Exception):
    """The content file is unreadable or malformed; the message names where."""


def _get(mapping, key, where, kind=str, required=True):
    if not isinstance(mapping, dict):
        raise ContentError(f"{where}: expected a mapping of fields, got {type(mapping).__name__}")
    value = mapping.get(key)
    if value is None or value == "":
        if required:
            raise ContentError(f"{where}.{key}: missing (required)")
        return kind()
    if not isinstance(value, kind):
        raise ContentError(
            f"{where}.{key}: expected {kind.__name__}, got {type(value).__name__} ({value!r:.40})"
        )
    return value


def _slugs(items, where):
    slugs = [_get(item, "slug", f"{where}[{i}]") for i, item in enumerate(items)]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise ContentError(f"{where}: slug used more than once: {', '.join(duplicates)}")
    return set(slugs)


def _infographic(aspect, where, statements):
    """An aspect's optional infographic fields: an icon, a scale, a phrase and a value per
    role that has a statement (the same limits as the admin's fields)."""
    icon = _get(aspect, "icon", where, required=False)
    if icon and icon not in ICONS:
        raise ContentError(f"{where}.icon: {icon!r} is not one of {', '.join(ICONS)}")
    scale = _get(aspect, "scale", where, kind=dict, required=False)
    if scale:
        _get(scale, "label", f"{where}.scale")
        for key, limit in (("label", 80), ("low", 30), ("high", 30)):
            if len(_get(scale, key, f"{where}.scale", required=False)) > limit:
                raise ContentError(f"{where}.scale.{key}: at most {limit} characters")
    for key in ("phrases", "values"):
        for role_slug, item in _get(aspect, key, where, kind=dict, required=False).items():
            place = f"{where}.{key}.{role_slug}"
            if role_slug not in statements:
                raise ContentError(f"{place}: {role_slug!r} has no statement on this aspect")
            if key == "phrases" and not (isinstance(item, str) and 0 < len(item) <= 60):
                raise ContentError(f"{place}: must be text of 1 to 60 characters")
            if key == "values":
                if not scale:
                    raise ContentError(f"{place}: a value needs the aspect's scale")
                if type(item) is not int or not 1 <= item <= 5:
                    raise ContentError(f"{place}: must be a whole number from 1 to 5")


def validate(data):
    """Check the whole file's shape and cross-references before anything is written."""
    if not isinstance(data, dict):
        raise ContentError("the file must be a YAML mapping with module, roles, aspects, ...")
    _get(data, "published", "file", kind=datetime.date)
    module = _get(data, "module", "file", kind=dict)
    for key in ("title", "slug", "lead"):
        _get(module, key, "module")
    for section in ("roles_index", "comparison", "career_index"):
        for key in ("title", "slug"):
            _get(_get(data, section, "file", kind=dict), key, section)

    roles = _get(data, "roles", "file", kind=list)
    role_slugs = _slugs(roles, "roles")
    for i, role in enumerate(roles):
        for key in ("title", "definition", "summary"):
            _get(role, key, f"roles[{i}]")

    aspects = _get(data, "aspects", "file", kind=list)
    aspect_slugs = _slugs(aspects, "aspects")
    for i, aspect in enumerate(aspects):
        _get(aspect, "title", f"aspects[{i}]")
        statements = _get(aspect, "statements", f"aspects[{i}]", kind=dict)
        for role_slug, text in statements.items():
            if role_slug not in role_slugs:
                raise ContentError(f"aspects[{i}].statements: unknown role {role_slug!r}")
            if not isinstance(text, str) or not text.strip():
                raise ContentError(f"aspects[{i}].statements.{role_slug}: must be non-empty text")
        _infographic(aspect, f"aspects[{i}]", statements)

    paths = _get(data, "career_paths", "file", kind=list)
    _slugs(paths, "career_paths")
    for i, path in enumerate(paths):
        where = f"career_paths[{i}]"
        _get(path, "title", where)
        refs = [path.get("role")]
        for j, step in enumerate(_get(path, "steps", where, kind=list)):
            _get(step, "title", f"{where}.steps[{j}]")
            refs.append(step.get("role"))
        for ref in refs:
            if ref is not None and ref not in role_slugs:
                raise ContentError(f"{where}: unknown role {ref!r}")

    assessment = _get(data, "self_assessment", "file", kind=dict)
    for key in ("title", "slug"):
        _get(assessment, key, "self_assessment")
    for i, question in enumerate(_get(assessment, "questions", "self_assessment", kind=list)):
        where = f"self_assessment.questions[{i}]"
        _get(question, "text", where)
        answers = _get(question, "answers", where, kind=list)
        if len(answers) < 2:
            raise ContentError(f"{where}.answers: give at least two")
        for j, answer in enumerate(answers):
            for ref in _get(answer, "weights", f"{where}.answers[{j}]", kind=dict):
                if ref not in role_slugs:
                    raise ContentError(f"{where}.answers[{j}].weights: unknown role {ref!r}")

    final_check = _get(data, "final_check", "file", kind=dict, required=False)
    if final_check:  # optional: a module may have none
        for key in ("title", "slug"):
            _get(final_check, key, "final_check")

    lessons = _get(data, "lessons", "file", kind=list)
    _slugs(lessons, "lessons")
    for i, lesson in enumerate(lessons):
        _get(lesson, "title", f"lessons[{i}]")
        objectives = _get(lesson, "objectives", f"lessons[{i}]", kind=list, required=False)
        if len(objectives) > MAX_OBJECTIVES or not all(isinstance(o, str) for o in objectives):
            raise ContentError(
                f"lessons[{i}].objectives: give 1 to {MAX_OBJECTIVES} lines of text"
            )
        for j, block in enumerate(_get(lesson, "body", f"lessons[{i}]", kind=list)):
            where = f"lessons[{i}].body[{j}]"
            kind, value = lesson_block(block, where)
            if kind not in LESSON_BLOCK_TYPES:
                raise ContentError(
                    f"{where}: unknown block type {kind!r} "
                    f"(expected one of {', '.join(sorted(LESSON_BLOCK_TYPES))})"
                )
            if kind == "comparison":
                for ref in _get(value, "aspects", where, kind=list):
                    if ref not in aspect_slugs:
                        raise ContentError(f"{where}.aspects: unknown aspect {ref!r}")
            if kind == "scenario":
                for k, perspective in enumerate(_get(value, "perspectives", where, kind=list)):
                    if _get(perspective, "role", f"{where}.perspectives[{k}]") not in role_slugs:
                        raise ContentError(f"{where}.perspectives[{k}]: unknown role")
            if kind == "knowledge_check":
                _get(value, "question", where)
                options = _get(value, "options", where, kind=list)
                right = sum(bool(isinstance(o, dict) and o.get("correct")) for o in options)
                if len(options) < 2 or right != 1:
                    raise ContentError(f"{where}.options: give 2 or more, exactly one correct")


def lesson_block(block, where):
    """A body item's (type, value), its ``source:`` marker checked and left out."""
    if not isinstance(block, dict):
        raise ContentError(f"{where}: expected one block, e.g. 'paragraph: <p>...</p>'")
    if block.get("source") not in SOURCES:
        raise ContentError(
            f"{where}.source: say 'article' or 'module' (where the words come from)"
        )
    rest = [(kind, value) for kind, value in block.items() if kind != "source"]
    if len(rest) != 1:
        raise ContentError(f"{where}: expected one block, e.g. 'paragraph: <p>...</p>'")
    return rest[0]


def read(path):
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContentError(f"cannot read {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path} is not valid YAML: {exc}") from exc
    validate(data)
    return data
