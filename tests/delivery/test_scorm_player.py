"""The exported SCORM player in a real headless Chromium, inside a page whose LMS API is
scorm-again (the npm package): the test answers like a learner and checks what the LMS got,
in order: initialize, the values (status, score, interaction), commit, finish; then a resume."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from delivery.scorm import scorm12_zip, scorm2004_zip
from tests.delivery.sample import HOSTILE, REAL_REPLY, english, french, pack

pytestmark = pytest.mark.browser

ANSWER = "I'm so sorry. I've rebooked your parcel for tomorrow 9am; I'll follow it myself."
# The LMS page: scorm-again's API on window, each call recorded with its result and error code.
LMS_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<script src="scorm-again/{script}"></script>
<script>
  window.calls = [];
  var api = new {klass}({{ logLevel: 5, autocommit: false }});
  var preload = {preload};
  if (preload) api.loadFromJSON(preload);
  {names}.forEach(function (name) {{
    var original = api[name].bind(api);
    api[name] = function () {{
      var args = Array.prototype.slice.call(arguments);
      var result = original.apply(null, args);
      window.calls.push([name, args, String(result), String(api.{error}())]);
      return result;
    }};
  }});
  window.{global} = api;
</script></head>
<body><iframe id="sco" src="pkg/{page}" style="width:100%;height:95vh"></iframe></body></html>
"""
RUNTIMES = {
    "scorm12": {
        "build": scorm12_zip,
        "script": "scorm12.js",
        "klass": "Scorm12API",
        "global": "API",
        "error": "LMSGetLastError",
        "names": ["LMSInitialize", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSFinish"],
        "init": "LMSInitialize",
        "set": "LMSSetValue",
        "commit": "LMSCommit",
        "finish": "LMSFinish",
    },
    "scorm2004": {
        "build": scorm2004_zip,
        "script": "scorm2004.js",
        "klass": "Scorm2004API",
        "global": "API_1484_11",
        "error": "GetLastError",
        "names": ["Initialize", "GetValue", "SetValue", "Commit", "Terminate"],
        "init": "Initialize",
        "set": "SetValue",
        "commit": "Commit",
        "finish": "Terminate",
    },
}


def lms_site(
    tmp_path: Path, scorm_again: Path, runtime: str, content: bytes, page: str, preload=None
) -> Path:
    spec = RUNTIMES[runtime]
    site = tmp_path / runtime
    (site / "pkg").mkdir(parents=True, exist_ok=True)
    zipfile.ZipFile(io.BytesIO(content)).extractall(site / "pkg")
    shutil.copytree(scorm_again, site / "scorm-again", dirs_exist_ok=True)
    (site / "lms.html").write_text(
        LMS_PAGE.format(
            script=spec["script"],
            klass=spec["klass"],
            error=spec["error"],
            names=json.dumps(spec["names"]),
            preload=json.dumps(preload),
            page=page,
            **{"global": spec["global"]},
        ),
        encoding="utf-8",
    )
    return site


def play(browser, base: str, answer: str | None, marks: list[str] | None):
    page = browser.new_page()
    page.goto(f"{base}/lms.html")
    frame = page.frame_locator("#sco")
    frame.locator("h1").wait_for()
    if answer is not None:
        frame.locator("#answer").fill(answer)
        frame.locator("#submit").click()
    if marks is not None:
        for i, mark in enumerate(marks):
            frame.locator(f"#objective-{i}-{mark}").check()
        frame.locator("#finish").click()
        frame.locator("#done").wait_for()
    return page, frame


def values_set(calls, setter):
    return {args[0]: args[1] for name, args, _, _ in calls if name == setter}


@pytest.mark.parametrize("runtime", ["scorm12", "scorm2004"])
def test_the_player_reports_to_scorm_again_in_order(
    browser, scorm_again, serve_folder, tmp_path, runtime
):
    spec = RUNTIMES[runtime]
    content = spec["build"](pack(english(12)))
    base = serve_folder(lms_site(tmp_path, scorm_again, runtime, content, "scenario-12.html"))
    page, frame = play(browser, base, ANSWER, ["yes", "partly", "no"])
    # the case, the real reply, the coach and the peers were shown, hostile text as mere text
    text = frame.locator("body").inner_text()
    assert REAL_REPLY in text and "tomorrow 9am and I'll follow it myself" in text
    assert "We are on it, sorry." in text and HOSTILE in text
    assert page.evaluate("window.pwned") is None
    calls = page.evaluate("window.calls")
    names = [c[0] for c in calls]
    # every call succeeded (scorm-again returns "true" and error 0 for each)
    bad = [c for c in calls if c[0] != spec["names"][1] and (c[2] != "true" or c[3] != "0")]
    assert not bad, bad
    assert names[0] == spec["init"] and names[-1] == spec["finish"]
    last_commit = max(i for i, n in enumerate(names) if n == spec["commit"])
    assert last_commit == len(names) - 2  # commit, then finish
    final = values_set(calls[:last_commit], spec["set"])
    api = page.evaluate(
        f"window.{spec['global']}.cmi.toJSON ? JSON.parse(JSON.stringify(window.{spec['global']}.cmi)) : null"
    )
    score = round((2 + 1 + 0) / 6 * 100)  # yes, partly, no on three objectives
    if runtime == "scorm12":
        assert final["cmi.core.lesson_status"] == "failed"  # 50 % is under the 60 % mastery
        assert final["cmi.core.score.raw"] == str(score)
        assert final["cmi.interactions.0.type"] == "fill-in"
        assert final["cmi.interactions.0.student_response"] == ANSWER
        assert final["cmi.interactions.0.id"] == "reply-12"
        assert api["core"]["lesson_status"] == "failed" and api["core"]["score"]["raw"] == str(
            score
        )
    else:
        assert final["cmi.completion_status"] == "completed"
        assert final["cmi.success_status"] == "failed"
        assert final["cmi.score.scaled"] == "0.5" and final["cmi.score.raw"] == str(score)
        assert final["cmi.interactions.0.type"] == "long-fill-in"
        assert final["cmi.interactions.0.learner_response"] == ANSWER
        assert api["completion_status"] == "completed" and api["score"]["scaled"] == "0.5"
    order = [args[0] for name, args, _, _ in calls if name == spec["set"]]
    status_key = "cmi.core.lesson_status" if runtime == "scorm12" else "cmi.completion_status"
    score_key = "cmi.core.score.raw" if runtime == "scorm12" else "cmi.score.scaled"
    response_key = (
        "cmi.interactions.0.student_response"
        if runtime == "scorm12"
        else "cmi.interactions.0.learner_response"
    )
    position = {
        k: max(i for i, v in enumerate(order) if v == k)
        for k in (status_key, score_key, response_key)
    }
    first_init = names.index(spec["init"])
    assert first_init < min(position.values())
    suspend = json.loads(final["cmi.suspend_data"])
    assert suspend["answer"] == ANSWER and suspend["step"] == "done"
    page.close()


@pytest.mark.parametrize("runtime", ["scorm12", "scorm2004"])
def test_a_learner_who_leaves_midway_resumes_with_their_answer(
    browser, scorm_again, serve_folder, tmp_path, runtime
):
    spec = RUNTIMES[runtime]
    content = spec["build"](pack(french(13)))
    base = serve_folder(lms_site(tmp_path, scorm_again, runtime, content, "scenario-13.html"))
    page, frame = play(browser, base, "Je vous rembourse aujourd'hui.", None)
    frame.locator("#finish").wait_for()  # the reveal step, in French
    assert "Ce que le conseiller a vraiment répondu" in frame.locator("body").inner_text()
    page.evaluate("document.getElementById('sco').src = 'about:blank'")  # the learner leaves
    page.wait_for_function(f"window.calls.some(c => c[0] === '{spec['finish']}')")
    calls = page.evaluate("window.calls")
    left = values_set(calls, spec["set"])
    exit_key = "cmi.core.exit" if runtime == "scorm12" else "cmi.exit"
    assert left[exit_key] == "suspend"
    saved = left["cmi.suspend_data"]
    page.close()
    # the LMS launches it again with what it kept
    preload = (
        {"core": {"entry": "resume"}, "suspend_data": saved}
        if runtime == "scorm12"
        else {"entry": "resume", "suspend_data": saved}
    )
    site = lms_site(tmp_path, scorm_again, runtime, content, "scenario-13.html", preload=preload)
    base = serve_folder(site)
    page, frame = play(browser, base, None, None)
    frame.locator("#finish").wait_for()
    body = frame.locator("body").inner_text()
    assert "Bon retour" in body and "Je vous rembourse aujourd'hui." in body
    page.close()


def test_without_an_lms_the_player_runs_in_practice_mode_with_its_simulation(
    browser, serve_folder, tmp_path
):
    folder = tmp_path / "alone"
    zipfile.ZipFile(io.BytesIO(scorm12_zip(pack(english(12))))).extractall(folder)
    page = browser.new_page()
    page.goto(f"{serve_folder(folder)}/scenario-12.html")
    assert "Practice mode" in page.locator(".notice").inner_text()
    page.locator("#answer").fill(ANSWER)
    page.locator("#submit").click()
    # the branching simulation: the real turn goes on with the customer's real next message
    simulation = page.locator("section.branching")
    simulation.get_by_role("button", name="Can you give me your order number?").click()
    assert "It's [ACCOUNT]. I want it TODAY." in simulation.inner_text()
    simulation.get_by_role("button", name=REAL_REPLY).click()
    assert "Thanks, that was quick!" in simulation.inner_text()
    assert "End of the conversation" in simulation.inner_text()
    for i, mark in enumerate(["yes", "yes", "yes"]):
        page.locator(f"#objective-{i}-{mark}").check()
    page.locator("#finish").click()
    assert "nothing is recorded" in page.locator("#done").inner_text()
    page.close()


def test_the_player_finds_the_api_of_the_window_that_opened_it(
    browser, scorm_again, serve_folder, tmp_path
):
    # LMSs that launch a SCO in a new window keep the API in the opener, behind a frame or two
    content = scorm2004_zip(pack(english(12)))
    site = lms_site(tmp_path, scorm_again, "scorm2004", content, "scenario-12.html")
    (site / "frame.html").write_text(
        '<iframe id="inner" src="pkg/scenario-12.html"></iframe>', encoding="utf-8"
    )
    (site / "launcher.html").write_text(
        (site / "lms.html")
        .read_text(encoding="utf-8")
        .replace(
            '<iframe id="sco" src="pkg/scenario-12.html"', '<iframe id="sco" src="about:blank"'
        ),
        encoding="utf-8",
    )
    base = serve_folder(site)
    page = browser.new_page()
    page.goto(f"{base}/launcher.html")
    with page.expect_popup() as popup:
        page.evaluate("window.open('frame.html', 'sco')")
    window = popup.value
    frame = window.frame_locator("#inner")
    frame.locator("#answer").fill(ANSWER)
    frame.locator("#submit").click()
    for i in range(3):
        frame.locator(f"#objective-{i}-yes").check()
    frame.locator("#finish").click()
    frame.locator("#done").wait_for()
    calls = page.evaluate("window.calls")
    names = [c[0] for c in calls]
    assert names[0] == "Initialize" and names[-2:] == ["Commit", "Terminate"]
    final = values_set(calls, "SetValue")
    assert final["cmi.success_status"] == "passed" and final["cmi.score.scaled"] == "1"
    page.close()
