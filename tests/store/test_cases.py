"""Cases and near-duplicates in the store, and the review workflow on them, on each database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from curation.case_drafts import curate_thread
from curation.review import IllegalTransition
from store.cases import (
    drop_cases,
    mark_curated,
    save_cases,
    situation_trends,
    thread_turns,
)
from store.families import refresh_families
from store.models import (
    Analysis,
    AuditEntry,
    AuthorRole,
    Case,
    Comment,
    Scenario,
    ScenarioVersion,
    Source,
    Thread,
)
from store.queue import collapsed_threads, move_case
from store.scenarios import edit_scenario, move_scenario, publish_scenario

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
REPLY = "So sorry! I have sent a replacement by express today, free of charge."
THANKS = "Wow, thank you so much, amazing service!"
LOST_EN = "My parcel is LOST and nobody answers my emails, call me at [PHONE] right now please"
LOST_FR = (
    "Mon colis est perdu et personne ne répond à mes mails, appelez-moi au [PHONE] tout de suite"
)


def make_thread(
    session, source, ext, customer_text, situation="delivery", language="en", age_days=1
):
    """A recovery: an upset customer, an advisor reply, a delighted customer."""
    thread = Thread(source_id=source.id, external_id=ext, channel="twitter", n_comments=3)
    session.add(thread)
    session.flush()
    start = NOW - timedelta(days=age_days)
    thread.last_comment_at = start + timedelta(minutes=20)
    turns = [
        (AuthorRole.customer, customer_text, "negative", -0.8),
        (AuthorRole.agent, REPLY, "positive", 0.5),
        (AuthorRole.customer, THANKS, "positive", 0.9),
    ]
    for i, (role, text, sentiment, score) in enumerate(turns):
        comment = Comment(
            source_id=source.id,
            external_id=f"{ext}-{i}",
            thread_id=thread.id,
            author_role=role,
            author_ref=f"{ext}-{role}",
            channel="twitter",
            created_at=start + timedelta(minutes=10 * i),
            text=text,
        )
        session.add(comment)
        session.flush()
        session.add(
            Analysis(
                comment_id=comment.id,
                classifier_version="v1",
                language=language,
                language_confidence=0.9,
                redacted_text=text,
                sentiment=sentiment,
                sentiment_score=score,
                emotion="anger" if i == 0 else "joy",
                intensity=0.8 if i == 0 else 0.3,
                situation=situation,
                situation_confidence=0.9,
            )
        )
    session.flush()
    return thread.id


def curate(session, thread_ids):
    turns = thread_turns(session, thread_ids=thread_ids, version="v1")
    trends = situation_trends(session, version="v1")
    drafts = [
        (tid, curate_thread(turns[tid][1], turns[tid][0], {}, {}, NOW, None, trends))
        for tid in thread_ids
    ]
    counts = save_cases(session, items=drafts)
    refresh_families(session, reference=NOW)
    return counts


def make_source(session):
    s = Source(name="tw", kind="jsonl", channel="twitter")
    session.add(s)
    session.flush()
    return s


@pytest.fixture
def source(session):
    return make_source(session)


def case_of(session, thread_id):
    return session.scalar(select(Case).where(Case.thread_id == thread_id))


def test_near_duplicates_collapse_into_one_case_in_both_languages(session, source):
    en = [
        make_thread(session, source, "en1", LOST_EN),
        make_thread(session, source, "en2", "@9981 " + LOST_EN.lower() + "!!"),
    ]
    fr = [make_thread(session, source, "fr1", LOST_FR, language="fr")]
    counts = curate(session, en + fr)
    assert counts == {"cases": 2, "duplicates": 1}
    assert case_of(session, en[0]).duplicate_count == 2
    assert case_of(session, en[1]) is None
    assert collapsed_threads(session, case_id=case_of(session, en[0]).id) == [en[1]]
    # Later, in another batch: the French copy-paste collapses into the French case.
    fr.append(make_thread(session, source, "fr2", LOST_FR + " https://t.co/abc", language="fr"))
    assert curate(session, [fr[1]]) == {"cases": 0, "duplicates": 1}
    assert case_of(session, fr[0]).duplicate_count == 2
    # Curating the same threads again changes nothing.
    curate(session, en + fr)
    assert session.scalar(select(func.count(Case.id))) == 2
    assert case_of(session, en[0]).duplicate_count == 2


DISTINCT = [
    "My parcel never arrived and the tracking page shows nothing since Monday",
    "The invoice charged me twice for the same subscription this month",
    "Your app crashes every time I open the settings page on my phone",
    "The technician missed the appointment again and nobody called me back",
    "I cannot log in to my account since the password reset yesterday",
]


def test_new_cases_take_ids_in_batch_order_and_later_copies_add_to_their_counts(session, source):
    threads = [make_thread(session, source, f"n{i}", text) for i, text in enumerate(DISTINCT)]
    assert curate(session, threads) == {"cases": 5, "duplicates": 0}
    cases = [case_of(session, t) for t in threads]
    # The oldest case wins a tie between near-duplicates: ids follow the batch's order.
    assert [c.id for c in cases] == sorted(c.id for c in cases)
    assert len({c.id for c in cases}) == 5
    # Later copies collapse into the stored cases, whose counts grow in the database.
    copies = [
        make_thread(session, source, "c0", DISTINCT[0] + "!!"),
        make_thread(session, source, "c1", DISTINCT[0].lower()),
        make_thread(session, source, "c2", "@1234 " + DISTINCT[2]),
    ]
    assert curate(session, copies) == {"cases": 0, "duplicates": 3}
    session.expire_all()
    assert [case_of(session, t).duplicate_count for t in threads] == [3, 1, 2, 1, 1]
    assert collapsed_threads(session, case_id=cases[0].id) == copies[:2]
    assert collapsed_threads(session, case_id=cases[2].id) == copies[2:]


def test_dropping_a_case_frees_its_duplicates(session, source):
    a = make_thread(session, source, "a", LOST_EN)
    b = make_thread(session, source, "b", LOST_EN)
    curate(session, [a, b])
    assert drop_cases(session, thread_ids=[a]) == 1
    assert collapsed_threads(session, case_id=0) == []
    assert session.get(Thread, b).changed_at is not None


def audit_count(session):
    return session.scalar(select(func.count(AuditEntry.id)))


def test_moves_record_who_and_why_and_illegal_moves_record_nothing(session, source):
    tid = make_thread(session, source, "t", LOST_EN)
    curate(session, [tid])
    case = case_of(session, tid)
    before = audit_count(session)
    with pytest.raises(IllegalTransition):
        move_case(session, case_id=case.id, target="published", actor="coach", reason="looks great")
    with pytest.raises(ValueError, match="reason"):
        move_case(session, case_id=case.id, target="in_review", actor="coach", reason="  ")
    assert audit_count(session) == before and str(case.state) == "candidate"
    assert (
        move_case(
            session, case_id=case.id, target="in_review", actor="coach", reason="worth a scenario"
        )
        == "in_review"
    )
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.actor, entry.action, entry.detail["reason"]) == (
        "coach",
        "case.transition",
        "worth a scenario",
    )
    assert entry.detail["from"] == "candidate" and entry.at is not None
    scenario = session.scalar(select(Scenario).where(Scenario.case_id == case.id))
    with pytest.raises(IllegalTransition):
        move_scenario(
            session, scenario_id=scenario.id, target="archived", actor="coach", reason="old"
        )
    move_scenario(
        session, scenario_id=scenario.id, target="in_review", actor="coach", reason="draft it"
    )
    move_scenario(session, scenario_id=scenario.id, target="approved", actor="coach", reason="good")
    with pytest.raises(ValueError, match="model answer"):
        move_scenario(
            session, scenario_id=scenario.id, target="published", actor="coach", reason="ship"
        )


def test_edits_keep_versions_and_stop_curation_rewriting(session, source):
    tid = make_thread(session, source, "t", LOST_EN)
    curate(session, [tid])
    scenario = session.scalar(select(Scenario))
    first_title, first_version = scenario.title, scenario.version
    with pytest.raises(ValueError, match="candidate"):  # saving never moves a state by itself
        edit_scenario(session, scenario_id=scenario.id, actor="coach", title="Lost parcel")
    move_scenario(
        session, scenario_id=scenario.id, target="in_review", actor="coach", reason="worth it"
    )
    edit_scenario(
        session,
        scenario_id=scenario.id,
        actor="coach",
        title="Lost parcel, angry customer",
        level=3,
    )
    edit_scenario(
        session,
        scenario_id=scenario.id,
        actor="coach",
        model_answer="I am so sorry; here is what I do now.",
    )
    versions = session.scalars(select(ScenarioVersion).order_by(ScenarioVersion.version)).all()
    assert [v.title for v in versions] == [first_title, "Lost parcel, angry customer"]
    assert versions[0].version == first_version and versions[1].level == 3
    assert scenario.version == first_version + 2 and str(scenario.state) == "in_review"
    assert str(case_of(session, tid).state) == "in_review"
    with pytest.raises(ValueError):
        edit_scenario(session, scenario_id=scenario.id, actor="coach", skill_axis="magic")
    edit_scenario(
        session, scenario_id=scenario.id, actor="coach", title="Lost parcel, angry customer"
    )  # no change
    assert session.scalar(select(func.count(ScenarioVersion.id))) == 2
    curate(session, [tid])  # curation leaves the coach's work alone
    assert scenario.title == "Lost parcel, angry customer"
    move_scenario(session, scenario_id=scenario.id, target="approved", actor="coach", reason="ok")
    publish_scenario(session, scenario_id=scenario.id, actor="coach", reason="ready for the team")
    assert str(scenario.state) == "published"


def test_curation_records_every_threads_reading_a_case_or_not(session, source):
    one = make_thread(session, source, "r1", LOST_EN)
    two = make_thread(session, source, "r2", LOST_FR, language="fr")
    mark_curated(
        session,
        thread_ids=[one, two],
        at=NOW,
        readings={one: ("unresolved", "delivery", "en")},  # two: no customer, no reading
    )
    session.expire_all()
    first, second = session.get(Thread, one), session.get(Thread, two)
    assert (first.arc, first.situation, first.language) == ("unresolved", "delivery", "en")
    assert second.arc is None and second.curated_at is not None
    assert first.curated_at.replace(tzinfo=UTC) == NOW
