"""The self-contained HTML/JS player of an exported scenario (SCORM 1.2, SCORM 2004, cmi5).

Each scenario is one HTML page holding its data as JSON; player.js and player.css (beside this
module, copied into every package) render it with textContent only, find the LMS's API and report
to it. No server-side file, no CDN: a package plays from any LMS or from the file system.
"""

from __future__ import annotations

import html
import json
from importlib.resources import files
from typing import Any

from delivery.model import ScenarioBundle
from delivery.texts import ui

RUNTIMES = ("scorm12", "scorm2004", "cmi5", "none")
ASSETS = ("player.js", "player.css")


def asset_files() -> dict[str, bytes]:
    """The player's shared files, by their name in a package."""
    here = files("delivery")
    return {name: here.joinpath(name).read_bytes() for name in ASSETS}


def page_name(bundle: ScenarioBundle) -> str:
    """The file name of a scenario's page inside a package."""
    return f"scenario-{bundle.scenario_id}.html"


def player_data(
    bundle: ScenarioBundle, runtime: str, *, branching: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What player.js reads: the scenario (redacted), the words of its language, the runtime."""
    if runtime not in RUNTIMES:
        raise ValueError(f"runtime must be one of {', '.join(RUNTIMES)}, not {runtime!r}")
    return {
        "runtime": runtime,
        "lang": bundle.language,
        "ui": ui(bundle.language),
        "scenario": {
            "id": bundle.scenario_id,
            "title": bundle.title,
            "situation": bundle.situation_shown,
            "channel": bundle.channel_shown,
            "customer_wants": bundle.customer_wants,
            "cues": list(bundle.cues),
            "question": bundle.question or ui(bundle.language)["question"],
            "turns": [{"role": t.role, "speaker": t.speaker, "text": t.text} for t in bundle.turns],
            "real_reply": bundle.real_reply,
            "outcome": [
                {"role": t.role, "speaker": t.speaker, "text": t.text} for t in bundle.outcome
            ],
            "coach_answer": bundle.coach_answer,
            "peers": [
                {"text": p.text, "votes": p.votes, "coach_pick": p.coach_pick}
                for p in bundle.peer_answers
            ],
            "objectives": [{"axis": o.axis, "text": o.text} for o in bundle.objectives],
        },
        "branching": branching,
    }


def _json_for_script(data: dict[str, Any]) -> str:
    # Inside <script type="application/json">: no "</script>" nor "<!--" can close it early.
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def scenario_page(
    bundle: ScenarioBundle, runtime: str, *, branching: dict[str, Any] | None = None
) -> str:
    """The scenario's HTML page: its data inline, player.js and player.css beside it."""
    data = player_data(bundle, runtime, branching=branching)
    return f"""<!DOCTYPE html>
<html lang="{html.escape(bundle.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(bundle.title)}</title>
<link rel="stylesheet" href="player.css">
</head>
<body>
<main id="casebook-player" aria-live="polite"><noscript>JavaScript is needed.</noscript></main>
<script id="casebook-data" type="application/json">{_json_for_script(data)}</script>
<script src="player.js"></script>
</body>
</html>
"""
