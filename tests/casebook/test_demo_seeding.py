"""The demo's day one: scenarios published at every level in both languages, peers' answers and
votes already there, a campaign running for the demo team; a second run adds nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, select

from casebook.demo.seeding import (
    CAMPAIGN_NAMES,
    ensure_demo_accounts,
    publish_demo_scenarios,
    seed_demo_learning,
)
from store.db import transaction
from store.models import Campaign, Case, Response, Scenario, Thread, Vote
from tests.dashboard.seed import scenario_body


def _candidates(engine, language: str, n: int) -> None:
    from store.models import Source

    with transaction(engine) as s:
        source = s.scalar(select(Source).where(Source.name == "demo"))
        if source is None:
            source = Source(name="demo", kind="jsonl", channel="demo")
            s.add(source)
            s.flush()
        for i in range(n):
            thread = Thread(source_id=source.id, external_id=f"{language}{i}", channel="twitter")
            s.add(thread)
            s.flush()
            case = Case(
                thread_id=thread.id,
                score=0.9 - i / 100,
                arc="recovery",
                situation="billing_payment",
                emotion="anger",
                channel="twitter",
                language=language,
            )
            s.add(case)
            s.flush()
            s.add(
                Scenario(
                    case_id=case.id,
                    title=f"{language} {i}",
                    language=language,
                    body=scenario_body(),
                    state="candidate",
                )
            )


def test_demo_learning_in_both_languages(sqlite_engine):
    for language in ("en", "fr"):
        _candidates(sqlite_engine, language, 4)
    ensure_demo_accounts(sqlite_engine)
    assert publish_demo_scenarios(sqlite_engine) == 8
    counts = seed_demo_learning(sqlite_engine)
    assert counts == {"answers": 16, "votes": 8, "campaigns": 2}
    with transaction(sqlite_engine) as s:
        levels = {
            language: set(
                s.scalars(
                    select(Scenario.level).where(
                        Scenario.language == language, Scenario.state == "published"
                    )
                )
            )
            for language in ("en", "fr")
        }
        assert levels == {"en": {1, 2, 3}, "fr": {1, 2, 3}}
        answered = {
            language: s.scalar(
                select(func.count(Response.id))
                .join(Scenario, Scenario.id == Response.scenario_id)
                .where(Scenario.language == language)
            )
            for language in ("en", "fr")
        }
        assert answered == {"en": 8, "fr": 8}
        assert s.scalar(select(func.count(Vote.id))) == 8
        for language, name in CAMPAIGN_NAMES.items():
            campaign = s.scalar(select(Campaign).where(Campaign.name == name))
            assert campaign.starts_at <= datetime.now(UTC) < campaign.ends_at
            # one language per campaign: everyone in it gets the same quiz
            languages = s.scalars(
                select(Scenario.language).where(Scenario.id.in_(campaign.scenario_ids))
            )
            assert set(languages) == {language}, name
    assert seed_demo_learning(sqlite_engine) == {"answers": 0, "votes": 0, "campaigns": 0}


def _seed_the_demo(engine) -> tuple[int, dict[str, int]]:
    """What `casebook demo` does after its pipeline run (casebook/cli/store.py: demo)."""
    ensure_demo_accounts(engine)
    published = publish_demo_scenarios(engine)
    return published, seed_demo_learning(engine)


def test_seeding_the_demo_twice_adds_nothing(sqlite_engine):
    from store.admin import row_counts

    # More candidates than the demo publishes: a second run must not publish the next ones.
    for language in ("en", "fr"):
        _candidates(sqlite_engine, language, 7)
    assert _seed_the_demo(sqlite_engine) == (8, {"answers": 16, "votes": 8, "campaigns": 2})
    with transaction(sqlite_engine) as s:
        first = row_counts(s)
    assert _seed_the_demo(sqlite_engine) == (0, {"answers": 0, "votes": 0, "campaigns": 0})
    assert _seed_the_demo(sqlite_engine) == (0, {"answers": 0, "votes": 0, "campaigns": 0})
    with transaction(sqlite_engine) as s:
        again = row_counts(s)
        published = s.scalar(select(func.count(Scenario.id)).where(Scenario.state == "published"))
    assert again == first  # every table: scenarios, answers, votes, campaigns, xAPI, audit...
    assert (published, again["responses"], again["votes"], again["campaigns"]) == (8, 16, 8, 2)


def test_the_demos_answers_count_in_its_campaigns(sqlite_engine):
    # The campaigns come before the answers: the leaderboard and the xAPI export agree.
    from store.bundles import Selection
    from store.campaigns import campaign_leaderboard
    from store.exports import export_file

    for language in ("en", "fr"):
        _candidates(sqlite_engine, language, 4)
    _seed_the_demo(sqlite_engine)
    with transaction(sqlite_engine) as s:
        for name in CAMPAIGN_NAMES.values():
            campaign_id = s.scalar(select(Campaign.id).where(Campaign.name == name))
            board = campaign_leaderboard(s, campaign_id=campaign_id)
            assert sum(line.answers for line in board) == 8
            _, content, _ = export_file(
                s, format="xapi", selection=Selection(campaign_id=campaign_id)
            )
            verbs = [x["verb"]["display"]["en-US"] for x in json.loads(content)]
            assert verbs.count("answered") == 8 and verbs.count("voted up") == 4
            assert verbs.count("registered") == 2  # each peer of the language joined it
            assert all(
                x["context"]["contextActivities"]["grouping"][0]["id"].endswith(
                    f"/campaigns/{campaign_id}"
                )
                for x in json.loads(content)
                if x["verb"]["display"]["en-US"] == "answered"
            )


def test_one_situation_rises_in_the_demos_last_week():
    from collections import Counter
    from datetime import timedelta

    from casebook.demo.generator import RISING_SITUATION, generate_threads
    from casebook.demo.world import SPAN_DAYS

    end = datetime(2026, 12, 3, 12, tzinfo=UTC)
    week, before = Counter(), Counter()
    for thread, rows in generate_threads(600, 7, end):
        at = datetime.fromisoformat(str(rows[0]["created_at"]))
        (week if at >= end - timedelta(days=7) else before)[thread.situation] += len(rows)
    weekly_before = {s: n / ((SPAN_DAYS - 7) / 7) for s, n in before.items()}
    rises = {s: week[s] / max(weekly_before.get(s, 0), 1) for s in week}
    assert max(rises, key=rises.get) == RISING_SITUATION
    assert week[RISING_SITUATION] >= 5 * max(weekly_before.get(RISING_SITUATION, 0), 1)
    others = sorted(r for s, r in rises.items() if s != RISING_SITUATION)
    assert others[-1] < 3  # no other situation rises like it


def test_the_slots_every_thread_fills_are_the_writers_own():
    # _plan picks a situation by the templates a brand can fill before a Writer exists:
    # PERSONA_SLOTS must name what a Writer fills besides the brand's slots.
    import random

    from casebook.demo.world import BRANDS
    from casebook.demo.writer import PERSONA_SLOTS, Writer

    for brand in BRANDS:
        for language in ("en", "fr"):
            writer = Writer(random.Random(0), language, brand)
            assert set(writer.values) - set(brand.slots[language]) == PERSONA_SLOTS


def test_each_brand_speaks_of_its_own_trade():
    # Templates name what a brand has by slot (its bill, its appointments, its competitors):
    # an airline sends no bill and books no technician; a bank's customer leaves for a bank.
    import re

    from casebook.demo.generator import generate_threads

    end = datetime(2026, 12, 3, 12, tzinfo=UTC)
    said: dict[str, list[str]] = {}
    for thread, rows in generate_threads(3000, 11, end):
        said.setdefault(thread.brand.name, []).extend(str(r["text"]) for r in rows)
    never = {
        "Aerelia Airlines": r"\bbill\b|facture a augmenté|technici|delivery slot|deliver to",
        "Banque Solenne": r"opérateur|other provider|technici|deliver to|livrez",
        "Boutique Lumen": r"opérateur|technici|monthly bill",
        "Nova Telecom": r"delivery slot|créneau de livraison",
    }
    for brand, pattern in never.items():
        found = [t for t in said[brand] if re.search(pattern, t, re.IGNORECASE)]
        assert not found, (brand, found[:3])
    # and the slots are used: each brand's own words appear
    assert any("fly to" in t for t in said["Aerelia Airlines"])
    assert any("change de banque" in t for t in said["Banque Solenne"])
