"""The dashboard's server: `streamlit run dashboard/serve.py` (what `casebook dashboard` runs).

Streamlit's own server (st.App) around the app of dashboard/app.py, with one thing more: a page
address of more than one segment (/case-queue/old, a mistyped /a/b) is redirected to its first
segment (an item's page and id, /case/12 or /scenario/7, to the page opened on it:
/case?case=12). Streamlit answers such an address with its page, whose scripts are relative to it
(./static/... read as /a/static/...), and gets its page again for each script: the browser
showed a blank page. At one segment the app answers any address (a page, another role's page, or
the home page with a notice).
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from dashboard.navigation import nested_address_target


class NestedAddresses:
    """ASGI middleware: a browser's page request at a nested address -> its first segment."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            headers = dict(scope["headers"])
            location = nested_address_target(
                path=scope["path"],
                accept=headers.get(b"accept", b"").decode("latin-1"),
                base_path=str(st.config.get_option("server.baseUrlPath") or ""),
                query=scope.get("query_string", b"").decode("latin-1"),
            )
            if location is not None:
                await RedirectResponse(location, status_code=302)(scope, receive, send)
                return
        await self.app(scope, receive, send)


app = st.App("app.py", middleware=[Middleware(NestedAddresses)])
