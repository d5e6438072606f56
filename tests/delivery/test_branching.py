"""Branching simulations from real cases, and their H5P Branching Scenario packages."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import pytest

from delivery.branching import BEST, GOOD, POOR, build_simulation
from delivery.h5p import content_json, h5p_package, h5p_packages
from tests.delivery.sample import COACH, OTHERS, REAL_REPLY, english, french, pack


def test_the_customers_next_turn_depends_on_the_choice():
    sim = build_simulation(english(12), OTHERS)
    assert sim is not None and sim.start == "step-0"
    first = sim.nodes["step-0"]
    assert [t.text for t in first.say][0].startswith("Where is my parcel??")
    # at the advisor's first turn: the real turn goes on with the customer's real next message
    real = next(c for c in first.choices if c.source == "real")
    assert real.text == "Can you give me your order number?" and real.quality == GOOD
    assert [t.text for t in sim.nodes[real.next].say] == ["It's [ACCOUNT]. I want it TODAY."]
    # another case's poor reply leads to the reaction it really got there, then back
    detour = next(c for c in first.choices if c.source.startswith("other:"))
    assert detour.quality == POOR and detour.text in {o.real_reply for o in OTHERS}
    reactions = {o.real_reply: o.reaction for o in OTHERS}
    assert [t.text for t in sim.nodes[detour.next].say] == [reactions[detour.text]]
    assert sim.nodes[detour.next].choices[0].next == "step-0"
    # at the pivotal reply: the coach's (best), the real (good: the case turned around), poor ones
    pivot = sim.nodes[real.next]
    by_source = {c.source: c for c in pivot.choices}
    assert by_source["coach"].text == COACH and by_source["coach"].quality == BEST
    assert by_source["real"].text == REAL_REPLY and by_source["real"].quality == GOOD
    assert [t.text for t in sim.nodes[by_source["real"].next].say] == ["Thanks, that was quick!"]
    poor = [c for c in pivot.choices if c.quality == POOR]
    assert poor and all(sim.nodes[c.next].is_end for c in poor)
    assert {sim.nodes[c.next].say[0].text for c in poor} <= set(reactions.values())
    # poor replies come from cases that did not work, in the scenario's language
    english_poor = {o.real_reply for o in OTHERS if o.language == "en" and o.arc != "recovery"}
    assert {c.text for c in poor} <= english_poor
    # every path ends, and the same case always gives the same simulation
    assert sim.path([first.choices.index(real), pivot.choices.index(by_source["coach"])])[-1].is_end
    assert build_simulation(english(12), OTHERS) == sim


def test_a_case_that_went_wrong_marks_its_real_reply_poor():
    escalated = dataclasses.replace(english(12), arc="escalation")
    sim = build_simulation(escalated, OTHERS)
    pivot = sim.nodes["step-1"]
    assert next(c for c in pivot.choices if c.source == "real").quality == POOR
    assert sim.nodes["end-coach"].say == ()  # the real outcome does not follow the coach's answer


def test_no_simulation_without_a_real_reply_or_anything_to_choose():
    assert build_simulation(dataclasses.replace(english(12), real_reply=None), OTHERS) is None
    lone = dataclasses.replace(french(13), coach_answer=None)
    assert build_simulation(lone, ()) is None  # only the real reply: nothing to choose between
    with pytest.raises(ValueError, match="no branching simulation"):
        h5p_package(pack(lone).__class__(id="x", title="x", bundles=(lone,)))


def test_the_h5p_package_is_a_branching_scenario_whose_links_all_resolve():
    archive = zipfile.ZipFile(io.BytesIO(h5p_package(pack(english(12)))))
    assert set(archive.namelist()) == {"h5p.json", "content/content.json"}
    meta = json.loads(archive.read("h5p.json"))
    assert meta["mainLibrary"] == "H5P.BranchingScenario" and meta["language"] == "en"
    libraries = {
        f"{d['machineName']} {d['majorVersion']}.{d['minorVersion']}"
        for d in meta["preloadedDependencies"]
    }
    scenario = json.loads(archive.read("content/content.json"))["branchingScenario"]
    content = scenario["content"]
    used = {c["type"]["library"] for c in content}
    assert used <= libraries and "H5P.BranchingScenario 1.5" in libraries
    ends = {e["contentId"] for e in scenario["endScreens"]}
    for item in content:
        targets = (
            [
                a["nextContentId"]
                for a in item["type"]["params"]["branchingQuestion"]["alternatives"]
            ]
            if item["type"]["library"].startswith("H5P.BranchingQuestion")
            else [item["nextContentId"]]
        )
        assert all(0 <= n < len(content) or n in ends for n in targets), item["contentTitle"]
    # the real texts are there, escaped as HTML
    text = json.dumps(scenario, ensure_ascii=False)
    assert "&lt;/script&gt;" in text and "</script>" not in text
    assert COACH.replace("'", "&#x27;") in text
    assert len({c["type"]["subContentId"] for c in content}) == len(content)
    assert content_json(build_simulation(english(12), OTHERS))["branchingScenario"] == scenario


def test_the_scorm_player_carries_the_simulation():
    from delivery.scorm import scorm2004_zip

    archive = zipfile.ZipFile(io.BytesIO(scorm2004_zip(pack(english(12)))))
    page = archive.read("scenario-12.html").decode("utf-8")
    assert '"branching": {"start": "step-0"' in page


def test_an_advisor_turn_with_nothing_to_set_beside_it_is_told_not_offered():
    # No other case to take a poor reply from: the advisor's first turn is no choice of one.
    sim = build_simulation(english(12), ())
    assert sim is not None
    assert all(len(node.choices) >= 2 for node in sim.nodes.values() if not node.is_end)
    first = sim.nodes[sim.start]
    # the customer's turns, the advisor's real first turn, and the customer's answer, then the
    # pivotal choice: the coach's answer or the real reply
    assert [t.text for t in first.say][-2:] == [
        "Can you give me your order number?",
        "It's [ACCOUNT]. I want it TODAY.",
    ]
    assert {c.source for c in first.choices} == {"coach", "real"}


def test_a_pack_is_one_h5p_per_scenario_and_names_those_left_out():
    lone = dataclasses.replace(french(13), coach_answer=None)
    both = pack(english(12), lone, pack_id="campaign-3")
    with pytest.raises(ValueError, match="holds one scenario, not 2"):
        h5p_package(both)
    content, left_out = h5p_packages(both, {12: OTHERS, 13: ()})
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == ["README.txt", "scenario-12.h5p"] and left_out == (13,)
    assert archive.read("scenario-12.h5p") == h5p_package(pack(english(12)))
    readme = archive.read("README.txt").decode()
    assert "scenario-12.h5p" in readme and f"13  {lone.title}" in readme
    with pytest.raises(ValueError, match="no branching simulation in any of the pack's 1"):
        h5p_packages(pack(lone, pack_id="campaign-4"), {})
