"""The content loader: fidelity to the seed article, idempotence, and all-or-nothing loading."""

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, Site

from roles.content.loader import DEFAULT_FILE
from roles.models import AspectPage, LessonPage, ModulePage, RolePage

pytestmark = pytest.mark.django_db

ARTICLE = Path(DEFAULT_FILE).with_name("source-article.txt")
# The source page's own furniture, not module content.
NOT_CONTENT = {"About the author.", "Disclaimer.", "Comments", "No comment yet"}


def normalise(text):
    return " ".join(text.split()).casefold()


def article_parts():
    lines = [line.strip() for line in ARTICLE.read_text().splitlines() if line.strip()]
    start = lines.index("Table of Comparison") + 1
    table = lines[start : start + 7]  # header + six aspects
    prose = [line for line in lines if line not in table and line not in NOT_CONTENT]
    return table, prose


def site_text(client):
    """All visible text of every published page, as a reader would find it."""
    texts = []
    for page in Page.objects.live().specific().exclude(depth=1):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        texts.append(BeautifulSoup(response.content, "html.parser").get_text(" "))
    return normalise(" ".join(texts))


def load(**kwargs):
    call_command("load_module", verbosity=0, **kwargs)


def write(tmp_path, data):
    path = tmp_path / "module.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data))
    return path


def test_every_sentence_of_the_article_is_on_the_published_site(client):
    load()
    text = site_text(client)
    _, prose = article_parts()
    assert len(prose) > 20
    for line in prose:
        assert normalise(line) in text, line


def block_text(block):
    """A content-file block's words, as a reader sees them (tags dropped, spacing folded)."""
    value = next(v for k, v in block.items() if k != "source")
    text = yaml.safe_dump(value) if not isinstance(value, str) else value
    return normalise(BeautifulSoup(text, "html.parser").get_text(" "))


def test_every_block_marked_article_is_the_articles_own_words():
    article = normalise(ARTICLE.read_text())
    marked = {"article": [], "module": []}
    for lesson in valid()["lessons"]:
        for block in lesson["body"]:
            marked[block["source"]].append(block_text(block))
    assert len(marked["article"]) == 10  # one section of the article per lesson
    for text in marked["article"]:
        assert text in article, text[:80]
    # The control: what the module wrote is not passed off as the article's.
    assert marked["module"] and not any(text in article for text in marked["module"])


def test_every_cell_of_the_article_table_is_in_the_published_table(client):
    load()
    table, _ = article_parts()
    comparison = Page.objects.get(slug="comparison")
    soup = BeautifulSoup(client.get(comparison.url).content, "html.parser")
    for chip in soup.select(".role-chip"):  # "Program" / "Project": not the article's words
        chip.decompose()
    rows = [
        " ".join(c.get_text(" ").strip() for c in tr.find_all(["th", "td"]))
        for tr in soup.select("table.comparison tr")
    ]
    assert [normalise(r) for r in rows[1:]] == [normalise(line) for line in table[1:]]
    # The header: the article abbreviates both roles "(TPM)", which tells learners nothing,
    # so the site heads each column with the full title (and a chip); the loaded roles keep
    # the article's abbreviation.
    roles = RolePage.objects.live().order_by("path")
    header = " ".join(["Aspect", *(f"{r.title} ({r.abbreviation})" for r in roles)])
    assert normalise(header) == normalise(table[0])
    assert normalise(rows[0]) == normalise(" ".join(["Aspect", *(r.title for r in roles)]))


def test_the_loaded_module_is_the_site_home_with_every_page_published():
    load()
    module = ModulePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == module.pk
    assert not Page.objects.filter(depth=2).exclude(pk=module.pk).exists()  # placeholder gone
    pages = Page.objects.descendant_of(module, inclusive=True)
    # module, 3 sections, 2 roles, 6 aspects, 2 paths, 10 lessons, quiz, final check
    assert pages.count() == 26
    assert LessonPage.objects.count() == 10
    assert AspectPage.objects.count() == 6
    for page in pages:
        assert page.live and page.live_revision_id, page.title
        assert page.last_published_at.date().isoformat() == "2025-03-05"
    assert Revision.page_revisions.count() == 26


def test_a_second_run_changes_nothing_and_says_so(capsys):
    load()
    before = (Page.objects.count(), Revision.objects.count())
    call_command("load_module")
    out = capsys.readouterr().out
    assert "nothing changed" in out
    assert (Page.objects.count(), Revision.objects.count()) == before


def test_a_second_run_keeps_what_editors_changed():
    load()
    aspect = AspectPage.objects.get(slug="scope")
    rows = list(aspect.statements.all())
    rows[0].statement = "Edited by the L&D team"
    aspect.statements = rows
    aspect.save_revision().publish()
    load()
    assert AspectPage.objects.get(slug="scope").statements.first().statement == rows[0].statement


def test_deleted_pages_are_restored_by_a_later_run():
    load()
    LessonPage.objects.get(slug="overview").delete()
    load()
    assert LessonPage.objects.filter(slug="overview", live=True).exists()


def valid():
    return yaml.safe_load(Path(DEFAULT_FILE).read_text())


BREAKAGES = {
    "an unknown role in a statement": (
        lambda d: d["aspects"][2]["statements"].update({"scrum-master": "x"}),
        r"aspects\[2\]\.statements: unknown role 'scrum-master'",
    ),
    "a blank statement": (
        lambda d: d["aspects"][0]["statements"].update({"technical-program-manager": "  "}),
        r"aspects\[0\]\.statements\.technical-program-manager: must be non-empty",
    ),
    "a lesson without a title": (
        lambda d: d["lessons"][4].pop("title"),
        r"lessons\[4\]\.title: missing",
    ),
    "an unknown block type": (
        lambda d: d["lessons"][0]["body"].append({"video": "x", "source": "module"}),
        r"unknown block type 'video'",
    ),
    "a block that does not say where its words come from": (
        lambda d: d["lessons"][1]["body"][0].pop("source"),
        r"lessons\[1\]\.body\[0\]\.source: say 'article' or 'module'",
    ),
    "four learning objectives": (
        lambda d: d["lessons"][2]["objectives"].extend(["One", "Two"]),
        r"lessons\[2\]\.objectives: give 1 to 3",
    ),
    "a scenario naming an unknown role": (
        lambda d: d["lessons"][1]["body"][2]["scenario"]["perspectives"][0].update(role="cto"),
        r"lessons\[1\]\.body\[2\]\.perspectives\[0\]: unknown role",
    ),
    "an icon that is not drawn": (
        lambda d: d["aspects"][1].update(icon="rocket"),
        r"aspects\[1\]\.icon: 'rocket' is not one of scope, ",
    ),
    "a phrase over 60 characters": (
        lambda d: d["aspects"][0]["phrases"].update({"technical-project-manager": "x" * 61}),
        r"aspects\[0\]\.phrases\.technical-project-manager: must be text of 1 to 60",
    ),
    "a value off the scale": (
        lambda d: d["aspects"][0]["values"].update({"technical-program-manager": 6}),
        r"aspects\[0\]\.values\.technical-program-manager: must be a whole number from 1 to 5",
    ),
    "a value on an aspect that is no scale": (
        lambda d: d["aspects"][1].update(values={"technical-program-manager": 3}),
        r"aspects\[1\]\.values\.technical-program-manager: a value needs the aspect's scale",
    ),
    "a phrase for a role without a statement": (
        lambda d: d["aspects"][1]["phrases"].update({"scrum-master": "Runs ceremonies"}),
        r"aspects\[1\]\.phrases\.scrum-master: 'scrum-master' has no statement",
    ),
    "a scale without a label": (
        lambda d: d["aspects"][0]["scale"].pop("label"),
        r"aspects\[0\]\.scale\.label: missing",
    ),
    "a duplicated role slug": (
        lambda d: d["roles"].append(dict(d["roles"][0])),
        r"roles: slug used more than once: technical-program-manager",
    ),
    "roles given as a mapping": (
        lambda d: d.update(roles={"a": 1}),
        r"file\.roles: expected list, got dict",
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_a_malformed_file_names_the_problem_and_changes_nothing(tmp_path, breakage):
    data = valid()
    breakage_fn, message = BREAKAGES[breakage]
    breakage_fn(data)
    before = Page.objects.count()
    with pytest.raises(CommandError, match=message):
        load(file=write(tmp_path, data))
    assert Page.objects.count() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("module: [unclosed", "is not valid YAML"),
        ("- just\n- a list\n", "must be a YAML mapping"),
    ],
)
def test_unreadable_files_give_a_clear_error(tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        load(file=write(tmp_path, content))


def test_a_missing_file_gives_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read .*missing.yaml"):
        load(file=tmp_path / "missing.yaml")


def test_a_failure_half_way_rolls_everything_back(tmp_path):
    data = valid()
    data["lessons"][-1]["slug"] = "not a valid slug!"  # passes the shape check, fails on save
    before = (Page.objects.count(), Revision.objects.count(), Site.objects.get().root_page_id)
    with pytest.raises(CommandError, match="Which Role Suits"):
        load(file=write(tmp_path, data))
    after = (Page.objects.count(), Revision.objects.count(), Site.objects.get().root_page_id)
    assert after == before
    assert not RolePage.objects.exists()


def test_admin_account_comes_from_djangos_environment_variables(monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "lnd-lead")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-passphrase")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "lnd@example.com")
    call_command("ensure_admin")
    call_command("ensure_admin")
    user = get_user_model().objects.get()
    assert user.is_superuser and user.email == "lnd@example.com"
    assert user.check_password("a-long-passphrase")
    assert "already exists" in capsys.readouterr().out


def test_without_variables_a_generated_password_is_printed_once(monkeypatch, capsys):
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    call_command("ensure_admin")
    first = capsys.readouterr().out
    password = re.search(r"password: (\S+)", first).group(1)
    assert get_user_model().objects.get(username="admin").check_password(password)
    call_command("ensure_admin")
    assert password not in capsys.readouterr().out
    assert get_user_model().objects.count() == 1


def test_prepare_site_migrates_loads_and_makes_the_admin_in_one_command(monkeypatch, capsys):
    """`make run`'s one start-up: the same work as migrate, load_module and ensure_admin."""
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    call_command("prepare_site", verbosity=1)
    first = capsys.readouterr().out
    assert "No migrations to apply" in first and "Loaded the module" in first
    assert "password: " in first
    assert ModulePage.objects.get().live and get_user_model().objects.get().is_superuser
    pages = Page.objects.count()
    call_command("prepare_site", "--no-admin", verbosity=1)
    second = capsys.readouterr().out
    assert "nothing changed" in second and "account" not in second
    assert Page.objects.count() == pages and get_user_model().objects.count() == 1
