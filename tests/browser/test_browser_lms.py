"""The exported packages played to the end in Chromium (issue 17): SCORM 1.2 and 2004 in an
LMS host page with scorm-again's runtime, cmi5 against a small LRS (tests/browser/
lms_player.py). A learner reads every lesson, fails the final check, passes it and leaves;
the LMS holds the status, the score and progress that resumes on relaunch. Opened without an
LMS, the package is the offline module and requests nothing from elsewhere."""

import json

import pytest
from playwright.sync_api import expect

from roles.lms.export import build
from tests import factories
from tests.browser.lms_player import Player, scorm_again_missing
from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]


@pytest.fixture
def course(tmp_path):
    """A module with three lessons of one knowledge check each, and its packages' player."""
    module = build_module(roles=2, aspects=2, lessons=0)
    module.lessons = [
        factories.LessonPageFactory(
            parent=module.home, title=f"Lesson {n}", body=[factories.knowledge_check(f"Q{n}?")]
        )
        for n in (1, 2, 3)
    ]
    players = []

    def player(fmt):
        scorm_again_missing()
        players.append(Player(build(fmt, report=lambda m: None).data, tmp_path / fmt))
        return players[-1]

    yield module, player
    for each in players:
        each.close()


def watch(page):
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
    return problems


def learn(frame, module):
    """Read every lesson, fail the final check once, then pass it."""
    expect(frame.locator("h1")).to_contain_text(module.home.title)
    for lesson in module.lessons:
        frame.locator(f"a[href$='{lesson.slug}/index.html']").first.click()
        expect(frame.locator("h1")).to_contain_text(lesson.title)
        frame.locator("[data-lesson-end]").scroll_into_view_if_needed()
        expect(frame.locator("[data-read-status]")).to_contain_text("read")
    frame.locator("a[href$='final-check/index.html']").first.click()
    questions = module.final_check.questions
    for right in (False, True):
        for q in questions:
            answer = q.value.correct_index() if right else 1 - q.value.correct_index()
            frame.locator(f"input[name='{q.field_name}'][value='{answer}']").check()
        frame.get_by_role("button", name="Check my answers").click()
        expect(frame.locator("#result h2")).to_contain_text("Passed" if right else "Not passed")


def test_scorm12_package_plays_to_passed_and_resumes(browser, course):
    module, player = course
    lms = player("scorm12")
    page = browser.new_page()
    problems = watch(page)
    page.goto(f"{lms.url}/host-scorm12.html")
    frame = page.frame_locator("#sco").frame_locator("#module")
    learn(frame, module)
    page.evaluate("document.getElementById('sco').remove()")  # the learner leaves
    calls = page.evaluate("calls")
    assert calls[0] == "LMSInitialize" and calls[-1] == "LMSFinish"
    statuses = [
        v for c, v in (x for x in calls if isinstance(x, list)) if c == "cmi.core.lesson_status"
    ]
    assert statuses[0] == "incomplete" and "failed" in statuses and statuses[-1] == "passed"
    cmi = page.evaluate("JSON.parse(JSON.stringify(API_OBJECT.cmi))")
    assert cmi["core"]["lesson_status"] == "passed"
    assert (cmi["core"]["score"]["raw"], cmi["core"]["score"]["max"]) == ("100", "100")
    assert cmi["core"]["lesson_location"] == "final-check/index.html"
    suspend = json.loads(cmi["suspend_data"])
    assert suspend["l"] == {"0": 1, "1": 1, "2": 1} and suspend["f"][3] == 1
    assert problems == []

    # Relaunched with what the LMS kept: the module knows what was read and passed.
    again = browser.new_page()
    again.add_init_script(f"window.SAVED = {json.dumps(cmi)};")
    again.goto(f"{lms.url}/host-scorm12.html")
    frame = again.frame_locator("#sco").frame_locator("#module")
    expect(frame.locator("h1")).to_contain_text(module.final_check.title)  # where they left
    frame.locator("a[href$='../index.html']").first.click()
    expect(frame.locator("[data-progress-text]").first).to_contain_text("3 of 3")


def test_scorm2004_package_reports_completion_success_and_scaled_score(browser, course):
    module, player = course
    lms = player("scorm2004")
    page = browser.new_page()
    problems = watch(page)
    page.goto(f"{lms.url}/host-scorm2004.html")
    learn(page.frame_locator("#sco").frame_locator("#module"), module)
    page.evaluate("document.getElementById('sco').remove()")
    calls = page.evaluate("calls")
    assert calls[0] == "Initialize" and calls[-1] == "Terminate"
    cmi = page.evaluate("JSON.parse(JSON.stringify(API_OBJECT.cmi))")
    assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
    assert float(cmi["score"]["scaled"]) == 1.0 and cmi["location"] == "final-check/index.html"
    successes = [
        v for c, v in (x for x in calls if isinstance(x, list)) if c == "cmi.success_status"
    ]
    assert "failed" in successes and successes[-1] == "passed"
    assert problems == []


def test_cmi5_package_sends_the_launch_sequence_and_its_statements(browser, course):
    module, player = course
    lms = player("cmi5")
    page = browser.new_page()
    problems = watch(page)
    page.goto(lms.cmi5_launch_url())
    learn(page.frame_locator("#module"), module)
    page.goto("about:blank")  # the learner leaves: "terminated" is sent as the page goes
    statements = lms.lrs.statements
    for _ in range(50):
        if len(statements) >= 5:
            break
        page.wait_for_timeout(100)
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    assert verbs == ["initialized", "completed", "failed", "passed", "terminated"], verbs
    for s in statements:
        assert s["context"]["registration"] == "6f0e1b9c-registration"
        extensions = s["context"]["extensions"]
        assert extensions["https://w3id.org/xapi/cmi5/context/extensions/sessionid"]
        categories = [c["id"] for c in s["context"]["contextActivities"]["category"]]
        assert "https://w3id.org/xapi/cmi5/context/categories/cmi5" in categories
    passed = statements[3]
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] == 1
    assert set(lms.lrs.auth) == {"Basic dG9rZW4tZm9yLXRoZS1hdQ=="}
    # The one 404: the State API has no progress for a first launch, as xAPI answers it.
    first_read = [p for p in problems if "/lrs/activities/state?stateId=https" in p]
    assert len(first_read) == 1
    assert [p for p in problems if p not in first_read and "404 (Not Found)" not in p] == []


def test_opened_without_an_lms_the_package_is_the_offline_module(browser, course, tmp_path):
    module, player = course
    lms = player("scorm12")
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    problems = watch(page)
    index = (lms.folder / "pkg" / "index.html").as_uri()
    page.goto(index)
    frame = page.main_frame
    learn(page, module)
    assert frame.url.startswith("file://")
    assert [url for url in requests if not url.startswith(("file://", "data:"))] == []
    assert problems == []


def test_the_largest_module_keeps_its_progress_within_scorm12s_4096_characters(browser, tmp_path):
    scorm_again_missing()
    module = build_module(roles=10, aspects=60, lessons=30)
    lms = Player(build("scorm12", report=lambda m: None).data, tmp_path)
    try:
        page = browser.new_page()
        problems = watch(page)
        page.goto(f"{lms.url}/host-scorm12.html")
        expect(page.frame_locator("#sco").frame_locator("#module").locator("h1")).to_be_visible()
        launch = next(f for f in page.frames if f.url.endswith("/lms/launch.html"))
        # Everything a learner can have: every lesson read and checked, the final check passed.
        launch.evaluate(
            """ids => TPMSession.save({
                lessons: Object.fromEntries(ids.map(id => [id, {read: true, checked: true}])),
                last: ids[ids.length - 1],
                final: {score: 999, total: 999, percent: 100, passed: true, date: "2026-11-28"}
            })""",
            [str(lesson.pk) for lesson in module.lessons],
        )
        suspend = page.evaluate("API_OBJECT.cmi.suspend_data")
        assert len(module.lessons) == 30 and 0 < len(suspend) <= 4096
        assert len(json.loads(suspend)["l"]) == 30
        assert page.evaluate("API_OBJECT.LMSGetLastError()") in ("0", 0)
        assert problems == []
    finally:
        lms.close()
