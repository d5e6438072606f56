"""Each page on an empty and on a small store; the coach's publish and the advisor's answer."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import select

from curation.review import ReviewState
from dashboard.downloads import safe_csv
from dashboard.i18n import STRINGS
from store.db import transaction
from store.learning import submit_response
from store.models import Case, Scenario
from store.users import UserInfo
from tests.dashboard.harness import app, info, page
from tests.dashboard.seed import REAL_REPLY, SCRIPT_TEXT, seed
from tests.helpers import publish

PAGES = {
    "case_queue": "coach",
    "scenario": "coach",
    "my_scenarios": "advisor",
    "trends": "leader",
    "source_health": "admin",
    "users": "admin",
}


def someone(role: str) -> UserInfo:
    return UserInfo(id=999, username=role, display_name=role, role=role, team="blue", level=3)


def texts(at) -> list[str]:
    return [t.value for t in at.text]


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def click(at, label: str):
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


@pytest.mark.parametrize(("name", "role"), list(PAGES.items()))
def test_page_on_an_empty_store(db, name, role):
    at = app(someone(role), script=page(name)).run()
    assert not at.exception
    assert not at.error
    assert at.info, "an empty page says why it is empty"


@pytest.mark.parametrize(("name", "role"), list(PAGES.items()))
def test_page_on_a_small_store(seeded, name, role):
    user = info_for(seeded, role)
    at = app(user, script=page(name)).run()
    assert not at.exception
    assert not at.error


def info_for(seeded, role):
    from store.db import get_engine

    return info(get_engine(), getattr(seeded, f"{role}_id"))


def test_case_queue_lists_cases_and_shows_customer_text_literally(seeded):
    at = app(info_for(seeded, "coach")).run()
    assert not at.exception
    queue = at.dataframe[0].value
    assert list(queue["case_id"]) == [seeded.case_id, seeded.other_case_id]
    assert "score_recovery" in queue.columns
    assert SCRIPT_TEXT in texts(at)  # st.text: neither markdown nor HTML
    assert "<script>" not in markdown(at)
    assert "OLD REDACTION" not in texts(at)
    assert not any("raw angry" in t for t in texts(at))  # never the unredacted text


def test_case_queue_filters(seeded):
    at = app(info_for(seeded, "coach")).run()
    at.selectbox(key="filter_channel").set_value("email").run()
    assert list(at.dataframe[0].value["case_id"]) == [seeded.other_case_id]
    at.selectbox(key="filter_arc").set_value("recovery").run()
    assert not at.dataframe and at.info  # nothing matches: an informative note


def test_publish_from_the_case_queue(seeded, db):
    at = app(info_for(seeded, "coach")).run()
    sid = seeded.scenario_id
    for target in ("in_review", "approved"):
        at.selectbox(key=f"target_{sid}").set_value(target)
        at.text_input(key=f"reason_{sid}").input(f"ready: {target}")
        click(at, "Save and move")
        assert not at.exception and not at.error
    at.text_input(key=f"reason_{sid}").input("ship it")
    click(at, "Save and move")  # published is the step offered first now
    assert at.error and "model answer" in at.error[0].value  # not without a model answer
    at.text_area(key=f"answer_{sid}").input("I'm so sorry, I rebooked it for tomorrow.")
    at.selectbox(key=f"level_{sid}").set_value(2)
    at.text_input(key=f"teams_{sid}").input("blue, red")
    click(at, "Save and move")
    assert not at.exception
    assert at.success[0].value == "Moved to published."
    with transaction(db) as s:
        scenario = s.get(Scenario, sid)
        assert scenario.state == ReviewState.published
        assert (scenario.level, sorted(scenario.target_teams)) == (2, ["blue", "red"])
        assert scenario.model_answer.startswith("I'm so sorry")
        assert s.get(Case, seeded.case_id).state == ReviewState.published
    assert at.dataframe[0].value.iloc[0]["scenario_state"] == "published"


def test_coach_scenario_page_shows_answers(seeded, db):
    with transaction(db) as s:
        publish(s, scenario_id=seeded.scenario_id, actor="coach", model_answer="Model")
        submit_response(
            s,
            scenario_id=seeded.scenario_id,
            user_id=seeded.advisor_id,
            text="**my** <b>answer</b>",
        )
    at = app(info_for(seeded, "coach")).run()
    at.switch_page("screens/scenario.py").run()
    assert not at.exception
    assert at.title[0].value == "Scenario"
    assert "**my** <b>answer</b>" in texts(at)
    assert REAL_REPLY in texts(at)


def _publish(db, seeded):
    with transaction(db) as s:
        publish(
            s,
            scenario_id=seeded.scenario_id,
            actor="coach",
            model_answer="The coach's WoW answer",
            level=2,
        )


def test_advisor_answers_then_sees_the_real_reply(seeded, db):
    _publish(db, seeded)
    with transaction(db) as s:
        peer = submit_response(
            s, scenario_id=seeded.scenario_id, user_id=seeded.peer_id, text="Peer's answer"
        )
    at = app(info_for(seeded, "advisor")).run()
    assert not at.exception
    assert at.title[0].value == "My scenarios"
    assert SCRIPT_TEXT in texts(at)
    assert "<script>" not in markdown(at)
    assert REAL_REPLY not in texts(at)  # hidden until the advisor has answered
    assert "Peer's answer" not in texts(at)
    click(at, "Submit my answer")
    assert at.error and "empty" in at.error[0].value
    at.text_area(key=f"answer_text_{seeded.scenario_id}").input("Sorry! Let me fix it now.")
    click(at, "Submit my answer")
    assert not at.exception
    assert at.success[0].value == "Answer saved."
    assert REAL_REPLY in texts(at)
    assert "The coach's WoW answer" in texts(at)
    assert "Peer's answer" in texts(at)
    assert "Sorry! Let me fix it now." in texts(at)
    # One vote button, for the peer's answer only; then it is spent.
    assert [b.key for b in at.button if b.key and b.key.startswith("vote_")] == [f"vote_{peer.id}"]
    at.button(key=f"vote_{peer.id}").click().run()
    assert not at.exception
    assert at.button(key=f"vote_{peer.id}").disabled
    assert any("1 vote" in c.value for c in at.caption)


def test_a_scenario_nobody_answered_says_so_instead_of_an_empty_reply(seeded, db):
    with transaction(db) as s:
        scenario = s.get(Scenario, seeded.scenario_id)
        scenario.body = {**scenario.body, "real_reply": ""}
    _publish(db, seeded)
    at = app(info_for(seeded, "advisor")).run()
    at.text_area(key=f"answer_text_{seeded.scenario_id}").input("Sorry! Let me fix it now.")
    click(at, "Submit my answer")
    assert not at.exception
    assert STRINGS["en"]["no_real_reply"] in [i.value for i in at.info]
    assert not [m for m in at.chat_message if m.avatar == "assistant" and not texts(m)]


def test_advisor_outside_the_target_sees_an_empty_state(seeded, db):
    _publish(db, seeded)
    at = app(
        UserInfo(id=seeded.advisor_id, username="a", display_name="a", role="advisor", level=1)
    ).run()
    assert not at.exception
    assert at.info[0].value == STRINGS["en"]["empty_my_scenarios"]


def test_trends_chart_metric_and_csv(db):
    with transaction(db) as s:
        seed(s, now=datetime.now(UTC), users=False)
    at = app(someone("leader")).run()
    assert not at.exception
    assert at.metric[0].value == "50%"
    assert at.get("vega_lite_chart")
    assert at.get("download_button")
    at.radio(key="trend_by").set_value("sentiment").run()
    at.radio(key="trend_days").set_value(7).run()
    assert not at.exception
    assert not at.info


def test_admin_pages_show_sources_quarantine_and_users(seeded):
    admin = info_for(seeded, "admin")
    at = app(admin).run()
    assert not at.exception
    health, quarantine = (d.value for d in at.dataframe)
    assert health.iloc[0]["name"] == "demo-twitter" and health.iloc[0]["quarantined"] == 1
    assert quarantine.iloc[0]["reason"] == "bad json"
    at.switch_page("screens/users.py").run()
    users = at.dataframe[0].value
    assert "password_hash" not in users.columns
    assert set(users["username"]) == {"coach", "advisor", "peer", "leader", "admin"}
    assert not users.astype(str).apply(lambda c: c.str.contains("argon2")).any().any()


def test_safe_csv_neutralises_formulas():
    frame = pd.DataFrame(
        {
            "group": ["=HYPERLINK(1)", "+1", "-2", "@x", "plain", "\tx"],
            "comments": [1, -3, 0, 2, 5, 6],
        }
    )
    rows = list(csv.reader(io.StringIO(safe_csv(frame).decode())))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(1)", "'+1", "'-2", "'@x", "plain", "'\tx"]
    assert [r[1] for r in rows[1:]] == ["1", "-3", "0", "2", "5", "6"]  # numbers stay numbers


@pytest.mark.parametrize(
    ("language", "header", "row"),
    [
        ("en", "Situation,Comments,Intensity,Sentiment", "Delivery and logistics,3,0.75,negative"),
        (
            "fr",
            "Situation;Commentaires;Intensité;Sentiment",
            "Livraison et logistique;3;0,75;négatif",
        ),
    ],
)
def test_a_csv_download_reads_as_the_table_in_the_readers_language(language, header, row):
    frame = pd.DataFrame(
        {
            "situation": ["delivery_logistics"],
            "comments": [3],
            "intensity": [0.75],
            "sentiment": ["negative"],
        }
    )
    data = safe_csv(frame, language)
    assert data.startswith("\ufeff".encode())  # a spreadsheet reads the accents as UTF-8
    assert data.decode("utf-8-sig").splitlines() == [header, row]


def test_a_csv_download_writes_times_to_the_minute_and_days_as_dates():
    frame = pd.DataFrame(
        {
            "created_at": pd.to_datetime(["2026-12-06 09:09:56.970015+00:00", None], utc=True),
            "day": pd.to_datetime(["2026-12-05", "2026-12-06"]),
        }
    )
    rows = safe_csv(frame).decode("utf-8-sig").splitlines()
    assert rows[1:] == ["2026-12-06 09:09,2026-12-05", ",2026-12-06"]
    french = safe_csv(frame, "fr").decode("utf-8-sig").splitlines()
    assert french[1:] == ["06/12/2026 09:09;05/12/2026", ";06/12/2026"]  # as the table reads


def test_tables_write_dates_as_their_reader_does():
    from dashboard.i18n import speaking
    from dashboard.labels import headings

    frame = pd.DataFrame(
        {"day": pd.to_datetime(["2026-12-05"]), "at": pd.to_datetime(["2026-12-05 10:30"])}
    )
    for language, day in (("fr", "DD/MM/YYYY"), ("en", "YYYY-MM-DD")):
        with speaking(language):
            config = headings(frame)
        assert config["day"]["type_config"]["format"] == day
        assert config["at"]["type_config"]["format"] == f"{day} HH:mm"


def test_every_string_exists_in_both_languages():
    assert set(STRINGS["en"]) == set(STRINGS["fr"])
    assert all(STRINGS["fr"].values())


def test_audit_lines_written_by_the_page(seeded, db):
    from store.models import AuditEntry

    at = app(info_for(seeded, "coach")).run()
    at.text_area(key=f"answer_{seeded.scenario_id}").input("Model answer")
    at.text_input(key=f"reason_{seeded.scenario_id}").input("worth a scenario")
    click(at, "Save and move")
    with transaction(db) as s:
        actors = set(s.scalars(select(AuditEntry.actor)))
    assert actors == {"coach"}


def test_days_kept_as_python_dates_read_as_their_reader_writes_them():
    # A campaign's first and last days are dates, not times: they read 03/12/2026 in French too.
    from datetime import date

    from dashboard.downloads import safe_csv
    from dashboard.i18n import speaking
    from dashboard.labels import headings, with_dates

    frame = pd.DataFrame({"first_day": [date(2026, 12, 3), None], "name": ["Défi", "x"]})
    shown = with_dates(frame)
    with speaking("fr"):
        assert headings(shown)["first_day"]["type_config"]["format"] == "DD/MM/YYYY"
    assert safe_csv(frame, "fr").decode("utf-8-sig").splitlines()[1] == "03/12/2026;Défi"
    assert frame["first_day"][0] == date(2026, 12, 3)  # the caller's frame is left as it was
