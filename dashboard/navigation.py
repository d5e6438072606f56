"""Which pages each role has, their addresses and headings (no Streamlit calls: tests read it too)."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

# role -> (page file, title key, url path); the first page of a role is its home.
ROLE_PAGES: dict[str, list[tuple[str, str, str]]] = {
    "coach": [
        ("case_queue.py", "nav_case_queue", "case-queue"),
        ("case.py", "nav_case", "case"),
        ("scenario.py", "nav_scenario", "scenario"),
        ("families.py", "nav_families", "families"),
        ("campaigns.py", "nav_campaigns", "campaigns"),
        ("situations.py", "nav_situations", "situations"),
    ],
    "advisor": [
        ("my_scenarios.py", "nav_my_scenarios", "my-scenarios"),
        ("progress.py", "nav_progress", "my-progress"),
        ("leaderboards.py", "nav_leaderboards", "leaderboards"),
        ("quiz.py", "nav_quiz", "quiz-challenge"),
    ],
    "leader": [
        ("trends.py", "nav_trends", "trends"),
        ("emerging.py", "nav_emerging", "emerging"),
        ("coverage.py", "nav_coverage", "coverage"),
        ("engagement.py", "nav_engagement", "engagement"),
    ],
    "admin": [
        ("source_health.py", "nav_sources", "sources"),
        ("users.py", "nav_users", "users"),
    ],
}

# url path -> the i18n key of the page's heading (st.title), where it is not the menu title.
HEADINGS: dict[str, str] = {
    "trends": "trend_title",
    "emerging": "ld_emerging_title",
    "coverage": "ld_coverage_title",
    "engagement": "ld_engagement_title",
    "users": "users_title",
}


def heading_key(url_path: str) -> str:
    """The i18n key of the heading of the page at `url_path`."""
    if url_path in HEADINGS:
        return HEADINGS[url_path]
    for specs in ROLE_PAGES.values():
        for _, title, url in specs:
            if url == url_path:
                return title
    raise KeyError(url_path)


def all_url_paths() -> list[str]:
    """Every page's URL path, whatever the role."""
    return sorted({url for specs in ROLE_PAGES.values() for _, _, url in specs})


def unknown_address(url: str | None, base_path: str = "") -> str | None:
    """The page name of `url` (the browser's address, e.g. st.context.url) when no page has it,
    else None: the root, a page of any role and the sign-in page are known.

    Only a one-segment name is returned: Streamlit's pages cannot answer at a nested address
    (/a/b); the dashboard's server sends those to their first segment (nested_address_target).
    """
    if not url:
        return None
    path = unquote(urlsplit(url).path).strip("/")
    base = base_path.strip("/")
    if base and (path == base or path.startswith(f"{base}/")):
        path = path[len(base) :].strip("/")
    if not path or "/" in path or path == "login" or path in all_url_paths():
        return None
    return path


# First segments of Streamlit's own addresses (its endpoints, assets, media and components).
SERVER_SEGMENTS = frozenset({"static", "media", "component", "app", "favicon.png"})
# Pages that open one item named in their query, and that query's parameter: /case/12 is
# /case?case=12, /my-scenarios/7 is /my-scenarios?scenario=7.
ITEM_PAGES = {"case": "case", "scenario": "scenario", "my-scenarios": "scenario"}


def nested_address_target(
    path: str, accept: str, base_path: str = "", query: str = ""
) -> str | None:
    """Where a browser's request for a page at a nested address (/a/b) goes: the address of its
    first segment (/a), which the app answers, its query kept; an item's page and id
    (/case/12) go to the page opened on that item (/case?case=12). None for any other request
    (one segment, an asset or endpoint of Streamlit's, a request that does not ask for a page)."""
    if "text/html" not in accept:
        return None
    base = base_path.strip("/")
    parts = [p for p in path.split("/") if p]
    if base:
        base_parts = base.split("/")
        if parts[: len(base_parts)] != base_parts:
            return None
        parts = parts[len(base_parts) :]
    if len(parts) < 2 or parts[0].startswith("_") or parts[0] in SERVER_SEGMENTS:
        return None
    page = parts[0]
    if page in ITEM_PAGES and len(parts) == 2 and parts[1].isdigit():
        item = f"{ITEM_PAGES[page]}={parts[1]}"
        query = "&".join(q for q in (item, query) if q)
    location = quote("/" + "/".join([*([base] if base else []), page]))
    return f"{location}?{query}" if query else location
