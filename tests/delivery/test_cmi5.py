"""cmi5: cmi5.xml valid against CourseStructure.xsd, and the AU in headless Chromium against a fake
LMS on 127.0.0.1 (fetch URL, State API, Statement API) that records what the AU sends."""

from __future__ import annotations

import io
import json
import threading
import urllib.parse
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import etree

from delivery.cmi5 import NS, au_iri, cmi5_zip, course_structure
from tests.delivery.sample import english, french, pack

XSD = Path(__file__).parent / "xsd" / "cmi5" / "CourseStructure.xsd"
TOKEN = "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="


def validate(document: bytes) -> etree._Element:
    checker = etree.XMLSchema(etree.parse(str(XSD)))
    root = etree.fromstring(document)
    assert checker.validate(root), checker.error_log
    return root


def test_cmi5_xml_is_valid_with_one_au_per_scenario():
    archive = zipfile.ZipFile(
        io.BytesIO(cmi5_zip(pack(english(12), french(13), pack_id="campaign-3")))
    )
    assert {"cmi5.xml", "scenario-12.html", "scenario-13.html", "player.js", "player.css"} == set(
        archive.namelist()
    )
    root = validate(archive.read("cmi5.xml"))
    ns = {"c": NS}
    assert root.find("c:course", ns).get("id") == "urn:casebook:course:campaign-3"
    aus = root.findall("c:au", ns)
    assert [a.get("id") for a in aus] == ["urn:casebook:scenario:12", "urn:casebook:scenario:13"]
    assert [a.findtext("c:url", namespaces=ns) for a in aus] == [
        "scenario-12.html",
        "scenario-13.html",
    ]
    assert {a.get("moveOn") for a in aus} == {"Completed"} and {
        a.get("masteryScore") for a in aus
    } == {"0.60"}
    assert aus[1].find("c:title/c:langstring", ns).get("lang") == "fr-FR"


def test_an_invalid_course_structure_is_refused():
    bad = course_structure(pack(), move_on="Whenever")
    assert not etree.XMLSchema(etree.parse(str(XSD))).validate(etree.fromstring(bad))


class FakeLms(BaseHTTPRequestHandler):
    """The LMS side of a cmi5 launch: the package's files, the fetch URL, the State and
    Statement APIs, every request recorded on the server object."""

    def log_message(self, format, *args):  # noqa: A002
        pass

    def _send(self, status: int, body: bytes = b"", kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        ok = self.headers.get("Authorization") == f"Basic {TOKEN}"
        ok = ok and self.headers.get("X-Experience-API-Version") == "1.0.3"
        if not ok:
            self._send(401, b'{"error": "unauthorised"}')
        return ok

    def do_GET(self):  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path.startswith("/pkg/"):
            file = self.server.package / url.path.removeprefix("/pkg/")
            kind = (
                "text/html"
                if file.suffix == ".html"
                else "text/javascript"
                if file.suffix == ".js"
                else "text/css"
            )
            return self._send(200, file.read_bytes(), kind)
        if url.path == "/xapi/activities/state" and self._authorised():
            self.server.requests.append(("GET state", query))
            if query["stateId"] == "LMS.LaunchData":
                return self._send(200, json.dumps(self.server.launch_data).encode())
            return self._send(404, b"")
        return None

    def do_PUT(self):  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if url.path == "/xapi/activities/state" and self._authorised():
            query = dict(urllib.parse.parse_qsl(url.query))
            self.server.requests.append(("PUT state", query | {"body": json.loads(body)}))
            return self._send(204)
        return None

    def do_POST(self):  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if url.path == "/fetch":
            self.server.fetches += 1
            if self.server.fetches > 1:  # the spec: a second call to the fetch URL is an error
                return self._send(200, b'{"error-code": "1", "error-text": "already fetched"}')
            return self._send(200, json.dumps({"auth-token": TOKEN}).encode())
        if url.path == "/xapi/statements" and self._authorised():
            statement = json.loads(body)
            self.server.statements.append(statement)
            return self._send(200, json.dumps([statement["id"]]).encode())
        return None


@pytest.fixture
def lms(tmp_path):
    content = cmi5_zip(pack(english(12)))
    package = tmp_path / "pkg"
    zipfile.ZipFile(io.BytesIO(content)).extractall(package)
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLms)
    server.package, server.requests, server.statements, server.fetches = package, [], [], 0
    registration = "7a1f5b8e-3c1d-4e2f-9a8b-0c1d2e3f4a5b"
    server.launch_data = {
        "contextTemplate": {
            "contextActivities": {"grouping": [{"id": "urn:casebook:course:scenario-12"}]},
            "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s-1"},
        },
        "launchMode": "Normal",
        "masteryScore": 0.5,
        "moveOn": "Completed",
    }
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, registration
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_the_au_follows_the_cmi5_launch_and_statement_sequence(lms, browser):
    server, registration = lms
    base = f"http://127.0.0.1:{server.server_address[1]}"
    actor = {"objectType": "Agent", "account": {"homePage": "https://lms.invalid", "name": "ada"}}
    params = urllib.parse.urlencode(
        {
            "endpoint": f"{base}/xapi/",
            "fetch": f"{base}/fetch",
            "actor": json.dumps(actor),
            "registration": registration,
            "activityId": au_iri(english(12)),
        }
    )
    page = browser.new_page()
    page.goto(f"{base}/pkg/scenario-12.html?{params}")
    page.locator("#answer").fill("Sorry, rebooked for 9am.")
    page.locator("#submit").click()
    for i, mark in enumerate(["yes", "partly", "no"]):  # 3/6 = 0.5: passes the LMS's 0.5
        page.locator(f"#objective-{i}-{mark}").check()
    page.locator("#finish").click()
    page.locator("#done").wait_for()
    statements = server.statements
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    assert verbs == ["initialized", "answered", "completed", "passed", "terminated"]
    assert server.fetches == 1
    assert all(
        s["actor"] == actor and s["context"]["registration"] == registration for s in statements
    )
    assert all(s["object"]["id"].startswith("urn:casebook:scenario:12") for s in statements)
    # the context template is used, the moveOn category only on completed and passed
    assert all(
        s["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/sessionid"]
        == "s-1"
        for s in statements
    )
    moveon = "https://w3id.org/xapi/cmi5/context/categories/moveon"
    has_moveon = [
        any(c["id"] == moveon for c in s["context"]["contextActivities"].get("category", []))
        for s in statements
    ]
    assert has_moveon == [False, False, True, True, False]
    passed = statements[3]
    assert passed["result"]["score"]["scaled"] == 0.5 and passed["result"]["success"] is True
    assert (
        passed["context"]["extensions"][
            "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
        ]
        == 0.5
    )
    assert statements[1]["result"]["response"] == "Sorry, rebooked for 9am."
    assert statements[1]["object"]["definition"]["interactionType"] == "long-fill-in"
    assert statements[2]["result"]["completion"] is True
    assert statements[4]["result"]["duration"].startswith("PT")
    # progress was kept in the State API for a resume
    saved = [r for r in server.requests if r[0] == "PUT state"]
    assert (
        saved
        and saved[0][1]["stateId"] == "casebook.progress"
        and saved[0][1]["body"]["step"] == "reveal"
    )
    page.close()


@pytest.mark.browser
def test_under_the_lms_mastery_score_the_au_says_failed_and_in_browse_mode_only_answers(
    lms, browser
):
    server, registration = lms
    server.launch_data["masteryScore"] = 0.9
    base = f"http://127.0.0.1:{server.server_address[1]}"
    params = urllib.parse.urlencode(
        {
            "endpoint": f"{base}/xapi",  # without the trailing slash: the AU adds it
            "fetch": f"{base}/fetch",
            "actor": json.dumps({"objectType": "Agent", "mbox": "mailto:ada@example.invalid"}),
            "registration": registration,
            "activityId": au_iri(english(12)),
        }
    )

    def run() -> list[str]:
        server.statements.clear()
        server.fetches = 0
        page = browser.new_page()
        page.goto(f"{base}/pkg/scenario-12.html?{params}")
        page.locator("#answer").fill("Sorry.")
        page.locator("#submit").click()
        for i in range(3):
            page.locator(f"#objective-{i}-partly").check()  # 0.5 < 0.9
        page.locator("#finish").click()
        page.locator("#done").wait_for()
        page.close()
        return [s["verb"]["id"].rsplit("/", 1)[1] for s in server.statements]

    assert run() == ["initialized", "answered", "completed", "failed", "terminated"]
    failed = server.statements[3]
    assert failed["result"]["success"] is False and failed["result"]["score"]["scaled"] == 0.5
    server.launch_data["launchMode"] = "Browse"  # no completion nor result in browse mode
    assert run() == ["initialized", "answered", "terminated"]
