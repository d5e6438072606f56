"""H5P Branching Scenario packages (.h5p) of a case's branching simulation (delivery.branching).

A .h5p file is a zip with h5p.json (title, language, main library, dependencies) and
content/content.json (the parameters of H5P.BranchingScenario). Each simulation node becomes a text
screen (H5P.AdvancedText: the customer's turns and the feedback) followed by a branching question
(H5P.BranchingQuestion: the replies to choose from); endings lead to an end screen. The package
holds the content only: the H5P libraries come from the site that imports it (Moodle, Lumi,
H5P.com and WordPress's H5P plugin install H5P.BranchingScenario from the H5P hub).

An .h5p file holds one activity (one h5p.json, one main library), so one scenario: a pack of
several (a campaign, a situation, a level) is a zip of one .h5p per scenario (h5p_packages), with
a README.txt that lists them and names the scenarios left out (no branching simulation).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from delivery.branching import POOR, Simulation, build_simulation
from delivery.model import OtherCase, Pack, ScenarioBundle, Turn
from delivery.scorm import zip_files
from delivery.texts import ui

LIBRARY = ("H5P.BranchingScenario", 1, 5)
TEXT = ("H5P.AdvancedText", 1, 1)
QUESTION = ("H5P.BranchingQuestion", 1, 0)
END_SCREEN = -1  # the default end screen's id in H5P.BranchingScenario
SCORES = {"best": 2, "good": 1, "poor": 0}


def _library(name: tuple[str, int, int]) -> str:
    return f"{name[0]} {name[1]}.{name[2]}"


def _sub_id(*parts: object) -> str:
    # stable sub-content ids: the same simulation gives the same file
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "casebook:h5p:" + ":".join(map(str, parts))))


def _turns_html(turns: tuple[Turn, ...]) -> str:
    return "".join(f"<p><strong>{escape(t.speaker)}</strong>: {escape(t.text)}</p>" for t in turns)


def content_json(simulation: Simulation) -> dict[str, Any]:
    """content/content.json of H5P.BranchingScenario for the simulation."""
    t = ui(simulation.language)
    order = list(simulation.nodes)  # node ids in a stable order, the start first
    order.remove(simulation.start)
    order.insert(0, simulation.start)
    # each node is a text screen at index 2k, followed by its question at 2k + 1 (if it has choices)
    index: dict[str, int] = {}
    position = 0
    for node_id in order:
        index[node_id] = position
        position += 1 if simulation.nodes[node_id].is_end else 2
    content: list[dict[str, Any]] = []
    for node_id in order:
        node = simulation.nodes[node_id]
        feedback = f"<p><em>{escape(node.feedback)}</em></p>" if node.feedback else ""
        text = _turns_html(node.say) + feedback or f"<p>{escape(simulation.title)}</p>"
        content.append(
            {
                "type": {
                    "library": _library(TEXT),
                    "params": {"text": text},
                    "subContentId": _sub_id(simulation.scenario_id, node_id, "text"),
                    "metadata": {"contentType": "Text", "license": "U", "title": node_id},
                },
                "showContentTitle": False,
                "forceContentFinished": "useBehavioural",
                "contentBehaviour": "useBehavioural",
                "nextContentId": END_SCREEN if node.is_end else index[node_id] + 1,
                "contentTitle": node_id,
                "feedback": {
                    "title": escape(node.feedback or ""),
                    "endScreenScore": SCORES.get(node.quality or "", 0),
                }
                if node.is_end
                else {"title": ""},
            }
        )
        if node.is_end:
            continue
        content.append(
            {
                "type": {
                    "library": _library(QUESTION),
                    "params": {
                        "branchingQuestion": {
                            "question": f"<p>{escape(t['question'])}</p>",
                            "alternatives": [
                                {
                                    "text": escape(choice.text),
                                    "nextContentId": index[choice.next],
                                    "feedback": {
                                        "title": "",
                                        "subtitle": "",
                                        "endScreenScore": SCORES[choice.quality],
                                    },
                                }
                                for choice in node.choices
                            ],
                        }
                    },
                    "subContentId": _sub_id(simulation.scenario_id, node_id, "question"),
                    "metadata": {
                        "contentType": "Branching Question",
                        "license": "U",
                        "title": f"{node_id} ?",
                    },
                },
                "showContentTitle": False,
                "contentBehaviour": "useBehavioural",
                "contentTitle": f"{node_id} ?",
            }
        )
    return {
        "branchingScenario": {
            "title": escape(simulation.title),
            "startScreen": {
                "startScreenTitle": f"<p>{escape(simulation.title)}</p>",
                "startScreenSubtitle": f"<p>{escape(t['branching_intro'])}</p>",
            },
            "endScreens": [
                {
                    "endScreenTitle": f"<p>{escape(t['end'])}</p>",
                    "endScreenSubtitle": "",
                    "contentId": END_SCREEN,
                    "endScreenScore": SCORES[POOR],
                }
            ],
            "content": content,
            "scoringOptionGroup": {"scoringOption": "static-end-score"},
            "behaviour": {"enableBackwardsNavigation": False, "forceContentFinished": False},
            "l10n": {
                "startScreenButtonText": t["start"],
                "endScreenButtonText": t["restart_course"],
                "backButtonText": "←",
                "proceedButtonText": t["proceed"],
                "disableProceedButtonText": t["proceed"],
                "replayButtonText": t["restart"],
                "scoreText": t["score"] + ":",
                "fullscreenAria": "Fullscreen",
            },
        }
    }


def h5p_json(simulation: Simulation) -> dict[str, Any]:
    """h5p.json: the package's title, language, main library and the libraries it needs."""
    return {
        "title": simulation.title[:255],
        "language": simulation.language,
        "defaultLanguage": simulation.language,
        "mainLibrary": LIBRARY[0],
        "embedTypes": ["div", "iframe"],
        "license": "U",
        "preloadedDependencies": [
            {"machineName": name, "majorVersion": major, "minorVersion": minor}
            for name, major, minor in (LIBRARY, TEXT, QUESTION)
        ],
    }


NO_SIMULATION = (
    "no branching simulation: the scenario needs a real reply and replies of other published "
    "cases (in its language) to choose from"
)


def _package(simulation: Simulation) -> bytes:
    files = {
        "h5p.json": json.dumps(h5p_json(simulation), ensure_ascii=False, indent=1),
        "content/content.json": json.dumps(content_json(simulation), ensure_ascii=False, indent=1),
    }
    return zip_files({name: text.encode("utf-8") for name, text in files.items()})


def h5p_package(pack: Pack) -> bytes:
    """The .h5p package of a pack of one scenario (an .h5p file holds one activity: a pack of
    several is h5p_packages); ValueError if it has no branching simulation."""
    if len(pack.bundles) != 1:
        raise ValueError(
            f"an H5P package holds one scenario, not {len(pack.bundles)}: "
            "a pack is a zip of one .h5p per scenario (h5p_packages)"
        )
    simulation = build_simulation(pack.bundles[0], pack.others)
    if simulation is None:
        raise ValueError(NO_SIMULATION)
    return _package(simulation)


def h5p_packages(
    pack: Pack, pools: Mapping[int, Sequence[OtherCase]] | None = None
) -> tuple[bytes, tuple[int, ...]]:
    """A zip of one .h5p per scenario of the pack (scenario-ID.h5p) and a README.txt listing
    them, and the ids of the scenarios left out for want of a branching simulation (named in the
    README). `pools`: the other cases each scenario's simulation branches on, by scenario id
    (the pack's `others` otherwise). ValueError when no scenario has a simulation."""
    t = ui(pack.language)
    files: dict[str, bytes] = {}
    listed: list[str] = []
    left_out: list[ScenarioBundle] = []
    for bundle in pack.bundles:
        others = pack.others if pools is None else pools.get(bundle.scenario_id, ())
        simulation = build_simulation(bundle, others)
        if simulation is None:
            left_out.append(bundle)
            continue
        name = f"scenario-{bundle.scenario_id}.h5p"
        files[name] = _package(simulation)
        listed.append(f"{name}  {bundle.title} ({bundle.language}, {t['level']} {bundle.level})")
    if not files:
        raise ValueError(
            f"no branching simulation in any of the pack's {len(pack.bundles)} scenarios: each "
            "needs a real reply and replies of other published cases (in its language)"
        )
    lines = [pack.title, "", t["h5p_readme"], "", *listed]
    if left_out:
        lines += [
            "",
            t["h5p_left_out"],
            *(f"{t['scenario']} {b.scenario_id}  {b.title}" for b in left_out),
        ]
    files["README.txt"] = ("\n".join(lines) + "\n").encode("utf-8")
    return zip_files(files), tuple(b.scenario_id for b in left_out)
