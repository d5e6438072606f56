"""Addresses on the real server: `streamlit run dashboard/serve.py` (what `casebook dashboard`
runs) driven over its websocket the way a browser's first message asks for an address (its page
name and URL), and over HTTP for a page's first request, without a browser.

AppTest cannot ask for a page by address, and Streamlit's "Page not found" dialog is a message the
server sends (page_not_found): this checks which addresses get it.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from casebook.settings import get_settings
from store.db import make_engine, transaction, upgrade
from store.users import create_user
from store.web_sessions import start_session

pytestmark = pytest.mark.slow

APP = Path(__file__).resolve().parents[2] / "dashboard" / "serve.py"
STREAMLIT = Path(sys.executable).parent / "streamlit"


@dataclass
class Served:
    not_found: bool = False
    texts: list[str] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)  # the query strings the server set


@dataclass
class Server:
    port: int
    token: str

    def open(self, path: str, signed_in: bool = True, query: str = "") -> Served:
        # A thread of its own: the run's Playwright (tests/chromium.py) may hold an event loop
        # in the main thread, where asyncio.run() is refused.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, self._open(path, signed_in, query)).result()

    async def _open(self, path: str, signed_in: bool, query: str) -> Served:
        headers = {"Origin": f"http://127.0.0.1:{self.port}"}
        if signed_in:
            headers["Cookie"] = f"casebook_session={self.token}"
        served = Served()
        async with websockets.connect(
            f"ws://127.0.0.1:{self.port}/_stcore/stream",
            subprotocols=[websockets.Subprotocol("streamlit")],
            additional_headers=headers,
            max_size=None,
        ) as ws:
            msg = BackMsg()
            msg.rerun_script.page_name = path.strip("/")  # what the browser sends on opening
            msg.rerun_script.query_string = query
            msg.rerun_script.context_info.url = f"http://127.0.0.1:{self.port}{path}"
            await ws.send(msg.SerializeToString())
            finished, deadline = 0, time.monotonic() + 30
            while finished < 2 and time.monotonic() < deadline:
                # The server's first run of the app imports the dashboard (seconds on a busy
                # machine): wait for it until the deadline; after a run has finished, 3 s of
                # silence means no second run comes.
                wait = 3.0 if finished else max(0.1, deadline - time.monotonic())
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=wait)
                except TimeoutError:
                    break  # one run only: no second script_finished comes
                forward = ForwardMsg()
                forward.ParseFromString(raw)
                kind = forward.WhichOneof("type")
                finished += kind == "script_finished"
                served.not_found |= kind == "page_not_found"
                if kind == "page_info_changed":
                    served.queries.append(forward.page_info_changed.query_string)
                if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                    element = forward.delta.new_element
                    name = element.WhichOneof("type")
                    if name in ("heading", "alert"):
                        served.texts.append(getattr(element, name).body)
        return served


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    url = f"sqlite:///{tmp_path_factory.mktemp('served') / 'store.db'}"
    env = {**os.environ, "CASEBOOK_DATABASE_URL": url, "CASEBOOK_SECRET_KEY": "k" * 40}
    old = {k: os.environ.get(k) for k in ("CASEBOOK_DATABASE_URL", "CASEBOOK_SECRET_KEY")}
    os.environ.update({k: env[k] for k in old})
    get_settings.cache_clear()
    engine = make_engine(url)
    upgrade(engine)
    with transaction(engine) as s:
        coach = create_user(s, username="cam", password="long enough pw", role="coach")
        token = start_session(s, user_id=coach.id, key=get_settings().session_key())
    engine.dispose()
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    get_settings.cache_clear()
    port = _free_port()
    process = subprocess.Popen(
        [str(STREAMLIT), "run", str(APP), "--server.port", str(port), "--server.headless=true"]
        + ["--server.address=127.0.0.1", "--browser.gatherUsageStats=false"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        yield Server(port, token)
    finally:
        process.terminate()
        process.wait(10)


NOTICE = "The address /nonsense does not exist: here is your home page."


def test_an_unknown_address_leads_home_with_a_notice_and_no_dialog(server):
    served = server.open("/nonsense")
    assert not served.not_found
    assert served.texts[:2] == [NOTICE, "Case queue"]


def test_the_sign_in_address_signed_in_leads_home_without_a_dialog(server):
    served = server.open("/login")
    assert not served.not_found
    assert served.texts[0] == "Case queue" and NOTICE not in served.texts


def test_the_home_page_own_address_opens_it_without_a_dialog(server):
    served = server.open("/case-queue", query="case=7")
    assert not served.not_found
    assert served.texts[0] == "Case queue" and NOTICE not in served.texts
    assert served.queries[-1:] == ["case=7"]  # a deep link's query survives the way home


@pytest.mark.parametrize(("path", "heading"), [("/", "Case queue"), ("/case", "Case")])
def test_known_addresses_open_their_page(server, path, heading):
    served = server.open(path)
    assert not served.not_found and served.texts[0] == heading


def test_another_role_page_says_whose_it_is(server):
    served = server.open("/trends")
    assert not served.not_found
    assert served.texts == ["This page is for the leader role; you are signed in as coach."]


@pytest.mark.parametrize("path", ["/nonsense", "/case-queue", "/login"])
def test_before_sign_in_any_address_shows_the_form(server, path):
    served = server.open(path, signed_in=False)
    assert not served.not_found and served.texts == ["Sign in to Casebook"]


def test_a_nested_address_still_gets_streamlit_page_not_found_over_the_websocket(server):
    # Streamlit pages answer only at one segment: /a/b cannot be given a page (README), so the
    # server sends a browser's page request there to /a first (below).
    assert server.open("/a/b").not_found


def _get(port: int, path: str, accept: str) -> tuple[int, str | None, bytes]:
    """Status, Location and body of a GET that does not follow redirects."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        return response.status, response.getheader("Location"), response.read()
    finally:
        connection.close()


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/a/b", "/a"),
        ("/case-queue/old/?case=7", "/case-queue?case=7"),  # the query goes along
        ("/nonsense/x/y", "/nonsense"),
        ("/case/7", "/case?case=7"),  # an item's page and id: the page opened on it
    ],
)
def test_a_browser_asking_for_a_nested_address_is_sent_to_its_first_segment(server, path, location):
    status, where, _ = _get(server.port, path, BROWSER_ACCEPT)
    assert (status, where) == (302, location)
    # ... where the app answers: the home page with its notice, or the page itself.
    served = server.open(location.split("?")[0])
    assert not served.not_found


def test_pages_assets_and_endpoints_are_served_as_before(server):
    status, where, body = _get(server.port, "/case-queue", BROWSER_ACCEPT)
    assert (status, where) == (200, None) and b"<html" in body.lower()
    status, _, body = _get(server.port, "/_stcore/health", BROWSER_ACCEPT)
    assert (status, body) == (200, b"ok")
    script = re.search(rb'src="\./(static/js/[^"]+\.js)"', _get(server.port, "/", "*/*")[2])
    assert script is not None
    status, where, body = _get(server.port, f"/{script.group(1).decode()}", "*/*")
    assert (status, where) == (200, None) and not body.lstrip().startswith(b"<")
    # A nested address asked by a script (not a page) is Streamlit's to answer, as before.
    status, where, _ = _get(server.port, "/a/b", "*/*")
    assert (status, where) == (200, None)
