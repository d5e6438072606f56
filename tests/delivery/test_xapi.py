"""xAPI statements of peer-learning actions: ids, actor, verbs, context, result."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from delivery.xapi import (
    KINDS,
    Action,
    CampaignRef,
    ScenarioRef,
    XapiBuilder,
    duration,
    statements_file,
)

BASE = "https://casebook.example.org/xapi"
AT = datetime(2026, 12, 1, 9, 30, 15, 250000, tzinfo=UTC)
SCENARIO = ScenarioRef(12, "Parcel lost — turned around", "en", "delivery", 2, "relational")
CAMPAIGN = CampaignRef(5, "December challenge")


def action(kind: str, **kw) -> Action:
    base = dict(kind=kind, key="7", actor="ana", at=AT, scenario=SCENARIO, campaign=CAMPAIGN)
    base.update(kw)
    return Action(**base)


def test_same_action_same_id_other_action_other_id():
    x = XapiBuilder(BASE)
    a = x.statement(action("answered", text="Sorry, I ship it today."))
    assert a == x.statement(action("answered", text="Sorry, I ship it today."))
    assert uuid.UUID(a["id"]).version == 5
    others = {
        x.statement(
            action(k, key=str(i), text="t", response_id=3, voids=a["id"], correct=1, questions=2)
        )["id"]
        for i, k in enumerate(KINDS)
    }
    assert len(others) == len(KINDS)  # one id per kind, even for the same key
    assert x.statement(action("answered", key="8", text="x"))["id"] != a["id"]
    assert XapiBuilder(BASE + "2").statement(action("answered", text="x"))["id"] != a["id"]


def test_actor_is_an_account_never_an_email():
    s = XapiBuilder(BASE + "/").statement(action("completed"))
    assert s["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": BASE, "name": "ana"},
    }
    assert "mbox" not in str(s)


def test_answer_is_a_long_fill_in_interaction_with_its_text_and_context():
    s = XapiBuilder(BASE).statement(action("answered", text="Sorry, I ship it today."))
    assert s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert s["object"]["id"] == f"{BASE}/scenarios/12/question"
    assert s["object"]["definition"]["interactionType"] == "long-fill-in"
    assert s["result"] == {"response": "Sorry, I ship it today.", "completion": True}
    assert s["timestamp"] == "2026-12-01T09:30:15.250Z"
    assert s["version"] == "1.0.3"
    ext = s["context"]["extensions"]
    assert ext[f"{BASE}/extensions/campaign"] == 5
    assert ext[f"{BASE}/extensions/situation"] == "delivery"
    assert ext[f"{BASE}/extensions/level"] == 2
    assert ext[f"{BASE}/extensions/skill-axis"] == "relational"
    assert uuid.UUID(s["context"]["registration"])
    assert s["context"]["contextActivities"]["parent"][0]["id"] == f"{BASE}/scenarios/12"
    assert s["context"]["contextActivities"]["grouping"][0]["id"] == f"{BASE}/campaigns/5"


def test_registration_is_per_advisor_and_campaign():
    x = XapiBuilder(BASE)
    one = x.statement(action("answered", text="a"))["context"]["registration"]
    assert (
        one
        == x.statement(action("commented", key="9", response_id=3, text="b"))["context"][
            "registration"
        ]
    )
    assert one != x.statement(action("answered", actor="bob", text="a"))["context"]["registration"]
    alone = x.statement(action("answered", campaign=None, text="a"))["context"]
    assert alone["registration"] != one and f"{BASE}/extensions/campaign" not in alone["extensions"]


@pytest.mark.parametrize(
    ("kind", "verb", "object_id"),
    [
        ("completed", "http://adlnet.gov/expapi/verbs/completed", f"{BASE}/scenarios/12"),
        ("commented", "http://adlnet.gov/expapi/verbs/commented", f"{BASE}/responses/3"),
        ("voted-up", "http://id.tincanapi.com/verb/voted-up", f"{BASE}/responses/3"),
        ("picked", "http://id.tincanapi.com/verb/selected", f"{BASE}/responses/3"),
        ("joined", "http://adlnet.gov/expapi/verbs/registered", f"{BASE}/campaigns/5"),
        ("quiz", "http://adlnet.gov/expapi/verbs/completed", f"{BASE}/quizzes/campaign-5"),
    ],
)
def test_each_kind_has_its_verb_and_object(kind, verb, object_id):
    s = XapiBuilder(BASE).statement(
        action(
            kind,
            response_id=3,
            response_author="bob",
            text="nice",
            correct=3,
            questions=4,
            seconds=75.5,
        )
    )
    assert s["verb"]["id"] == verb and s["object"]["id"] == object_id


def test_quiz_result_and_voiding():
    x = XapiBuilder(BASE)
    s = x.statement(action("quiz", correct=3, questions=4, seconds=75.5))
    assert s["result"]["score"] == {"scaled": 0.75, "raw": 3, "min": 0, "max": 4}
    assert s["result"]["duration"] == "PT1M15.5S"
    pick = x.statement(action("picked", response_id=3))
    void = x.statement(action("unpicked", key="8", voids=pick["id"]))
    assert void["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"
    assert void["object"] == {"objectType": "StatementRef", "id": pick["id"]}
    assert "context" not in void and "result" not in void
    with pytest.raises(ValueError, match="between 0"):
        x.statement(action("quiz", correct=5, questions=4))


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="http"):
        XapiBuilder("casebook")
    x = XapiBuilder(BASE)
    with pytest.raises(ValueError, match="unknown action kind"):
        x.statement(action("liked"))
    with pytest.raises(ValueError, match="time zone"):
        x.statement(action("completed", at=datetime(2026, 1, 1)))
    with pytest.raises(ValueError, match="needs the response"):
        x.statement(action("voted-up"))


def test_timestamps_are_utc_and_durations_iso():
    paris = timezone(timedelta(hours=1))
    s = XapiBuilder(BASE).statement(
        action("completed", at=datetime(2026, 12, 1, 10, 0, tzinfo=paris))
    )
    assert s["timestamp"] == "2026-12-01T09:00:00.000Z"
    assert duration(3725) == "PT1H2M5S" and duration(0.5) == "PT0M0.5S"
    assert statements_file([]) == b"[]\n"
