"""Published scenarios gathered for the delivery formats (SCORM, cmi5, xAPI, quizzes, H5P, handouts).

scenario_bundles / scenario_pack read the store and hand delivery/ plain, REDACTED dataclasses
(delivery.model): the customers' turns as scenarios keep them (built from the analyses' redacted
text) and peers' answers passed through nlp.redact. A Selection says which scenarios an export
covers; store.exports turns it into files.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casebook.settings import get_settings
from casebook_data.taxonomy_names import situation_names
from curation.review import ReviewState
from delivery.branching import simulation_data
from delivery.model import (
    AGENT,
    CUSTOMER,
    CampaignInfo,
    Objective,
    OtherCase,
    Pack,
    PeerAnswer,
    ScenarioBundle,
    Turn,
)
from store.models import Campaign, Case, Response, Scenario, Vote

log = logging.getLogger(__name__)

BEST_PEERS = 3  # the best peer answers a bundle carries
POOL_SIZE = 200  # other cases' replies kept as distractors


def _turns(raw: Any) -> tuple[Turn, ...]:
    turns = []
    for t in raw or []:
        if not isinstance(t, dict) or not str(t.get("text") or "").strip():
            continue
        role = CUSTOMER if t.get("role") == CUSTOMER else AGENT
        turns.append(Turn(role=role, speaker=str(t.get("speaker") or role), text=str(t["text"])))
    return tuple(turns)


def _objectives(raw: Any) -> tuple[Objective, ...]:
    if isinstance(raw, dict):
        return tuple(Objective(str(k), str(v)) for k, v in raw.items() if str(v or "").strip())
    if isinstance(raw, list):
        return tuple(Objective("", str(v)) for v in raw if str(v or "").strip())
    return ()


def _redact(texts: list[str], languages: list[str]) -> list[str]:
    """Advisors' free text may name a customer or a colleague: the same redaction as comments."""
    if not texts:
        return []
    # imported here: the nlp package loads its classifiers (seconds), which only this needs
    from nlp.redact import apply_redaction, find_pii_batch

    spans = find_pii_batch(texts, languages)
    return [apply_redaction(t, s) for t, s in zip(texts, spans, strict=True)]


def _peer_answers(session: Session, scenarios: list[Scenario]) -> dict[int, tuple[PeerAnswer, ...]]:
    ids = [s.id for s in scenarios]
    if not ids:
        return {}
    language = {s.id: s.language for s in scenarios}
    responses = list(session.scalars(select(Response).where(Response.scenario_id.in_(ids))))
    votes: dict[int, int] = {r.id: 0 for r in responses}
    if responses:
        for response_id, value in session.execute(
            select(Vote.response_id, Vote.value).where(Vote.response_id.in_(list(votes)))
        ):
            votes[response_id] += 1 if value is None else int(value)
    best: dict[int, list[Response]] = {}
    for r in sorted(responses, key=lambda r: (not r.coach_pick, -votes[r.id], r.id)):
        chosen = best.setdefault(r.scenario_id, [])
        # a peer answer counts as "best" when the coach picked it or peers voted for it
        if len(chosen) < BEST_PEERS and (r.coach_pick or votes[r.id] > 0):
            chosen.append(r)
    flat = [r for rs in best.values() for r in rs]
    texts = _redact([r.text for r in flat], [language[r.scenario_id] for r in flat])
    redacted = {r.id: t for r, t in zip(flat, texts, strict=True)}
    return {
        sid: tuple(PeerAnswer(r.id, redacted[r.id], votes[r.id], r.coach_pick) for r in rs)
        for sid, rs in best.items()
    }


def _campaign_info(campaign: Campaign) -> CampaignInfo:
    return CampaignInfo(
        id=campaign.id,
        name=campaign.name,
        starts_at=campaign.starts_at,
        ends_at=campaign.ends_at,
        teams=tuple(str(t) for t in campaign.teams or []),
    )


def _bundle(
    scenario: Scenario,
    case: Case,
    peers: tuple[PeerAnswer, ...],
    campaign: CampaignInfo | None,
    names: dict[str, dict[str, str]],
) -> ScenarioBundle:
    """A published scenario as a bundle; `names`: the taxonomy's situation names by language."""
    body = dict(scenario.body or {})
    context = body.get("context") or {}
    language = scenario.language if scenario.language in ("en", "fr") else "en"
    situation = str(context.get("situation") or case.situation)
    return ScenarioBundle(
        scenario_id=scenario.id,
        case_id=scenario.case_id,
        title=scenario.title,
        language=language,
        level=scenario.level,
        skill_axis=scenario.skill_axis,
        situation=situation,
        channel=str(context.get("channel") or case.channel),
        arc=case.arc,
        version=scenario.version,
        published_at=scenario.published_at,
        customer_wants=str(context.get("customer_wants") or ""),
        question=str(body.get("question") or ""),
        turns=_turns(body.get("turns")),
        real_reply=(str(body["real_reply"]) if body.get("real_reply") else None),
        outcome=_turns(body.get("outcome")),
        cues=tuple(str(c) for c in body.get("cues") or []),
        objectives=_objectives(body.get("objectives")),
        coach_answer=scenario.model_answer or None,
        peer_answers=peers,
        tags=tuple(str(t) for t in body.get("tags") or []),
        campaign=campaign,
        situation_name=names.get(situation, {}).get(language, ""),
    )


def scenario_bundles(
    session: Session,
    *,
    scenario_id: int | None = None,
    campaign_id: int | None = None,
    situation: str | None = None,
    level: int | None = None,
    with_peers: bool = True,
) -> list[ScenarioBundle]:
    """The PUBLISHED scenarios selected (one scenario, a campaign's, or every one of a situation
    and/or level), oldest first, as redacted bundles (without peers' answers if not
    `with_peers`). ValueError when a named scenario or campaign does not exist, a named scenario is
    not published, or nothing matches."""
    query = select(Scenario, Case).join(Case, Case.id == Scenario.case_id)
    campaign: CampaignInfo | None = None
    if scenario_id is not None:
        found = session.get(Scenario, scenario_id)
        if found is None:
            raise ValueError(f"scenario {scenario_id} does not exist")
        if found.state != ReviewState.published:
            raise ValueError(
                f"scenario {scenario_id} is {found.state}: only published scenarios are exported"
            )
        query = query.where(Scenario.id == scenario_id)
    if campaign_id is not None:
        row = session.get(Campaign, campaign_id)
        if row is None:
            raise ValueError(f"campaign {campaign_id} does not exist")
        campaign = _campaign_info(row)
        query = query.where(Scenario.id.in_([int(i) for i in row.scenario_ids or []]))
    query = query.where(Scenario.state == ReviewState.published)
    if level is not None:
        query = query.where(Scenario.level == level)
    rows = list(session.execute(query.order_by(Scenario.published_at, Scenario.id)))
    if situation is not None:  # the situation lives in the body's context (the case's otherwise)
        rows = [
            (s, c)
            for s, c in rows
            if ((s.body or {}).get("context") or {}).get("situation", c.situation) == situation
        ]
    if not rows:
        wanted = ", ".join(
            f"{name} {value}"
            for name, value in (
                ("scenario", scenario_id),
                ("campaign", campaign_id),
                ("situation", situation),
                ("level", level),
            )
            if value is not None
        )
        raise ValueError(f"no published scenario matches {wanted or 'the selection'}")
    peers = _peer_answers(session, [s for s, _ in rows]) if with_peers else {}
    # The situations as a reader of each scenario's language names them (the taxonomy's names).
    names = situation_names(get_settings().taxonomy_file)
    return [_bundle(s, c, peers.get(s.id, ()), campaign, names) for s, c in rows]


def other_cases(
    session: Session, *, exclude: set[int] | frozenset[int] = frozenset(), limit: int = POOL_SIZE
) -> list[OtherCase]:
    """Real replies and needs of published scenarios not in `exclude` (newest first): where quiz
    distractors and branching alternatives come from."""
    query = (
        select(Scenario, Case)
        .join(Case, Case.id == Scenario.case_id)
        .where(Scenario.state == ReviewState.published)
        .order_by(Scenario.published_at.desc(), Scenario.id.desc())
    )
    pool: list[OtherCase] = []
    for scenario, case in session.execute(query):
        body = scenario.body or {}
        reply = str(body.get("real_reply") or "").strip()
        if scenario.id in exclude or not reply:
            continue
        context = body.get("context") or {}
        reaction = next(
            (
                str(t.get("text") or "")
                for t in body.get("outcome") or []
                if isinstance(t, dict) and t.get("role") == CUSTOMER
            ),
            "",
        )
        pool.append(
            OtherCase(
                scenario_id=scenario.id,
                language=scenario.language,
                situation=str(context.get("situation") or case.situation),
                customer_wants=str(context.get("customer_wants") or ""),
                real_reply=reply,
                arc=case.arc,
                reaction=reaction,
            )
        )
        if len(pool) >= limit:
            break
    return pool


def scenario_pack(
    session: Session,
    *,
    scenario_id: int | None = None,
    campaign_id: int | None = None,
    situation: str | None = None,
    level: int | None = None,
    now: datetime | None = None,
) -> Pack:
    """scenario_bundles with a title, a stable id and the pool of other cases (see other_cases)."""
    bundles = scenario_bundles(
        session, scenario_id=scenario_id, campaign_id=campaign_id, situation=situation, level=level
    )
    campaign = bundles[0].campaign
    if scenario_id is not None:
        pack_id, title = f"scenario-{scenario_id}", bundles[0].title
    elif campaign is not None:
        pack_id, title = f"campaign-{campaign.id}", campaign.name
    else:
        parts = [
            p for p in (situation and f"situation-{situation}", level and f"level-{level}") if p
        ]
        pack_id = "-".join(parts) or "all"
        title = (
            " · ".join(p for p in (situation, f"level {level}" if level is not None else None) if p)
            or "Casebook"
        )
    others = other_cases(session, exclude={b.scenario_id for b in bundles})
    return Pack(
        id=pack_id,
        title=title,
        bundles=tuple(bundles),
        others=tuple(others),
        campaign=campaign,
        exported_at=now or datetime.now(UTC),
    )


# ---------------------------------------------------------------------------- the formats


@dataclass(frozen=True)
class Selection:
    """Which scenarios an export covers (see scenario_bundles)."""

    scenario_id: int | None = None
    campaign_id: int | None = None
    situation: str | None = None
    level: int | None = None

    def pack(self, session: Session) -> Pack:
        return scenario_pack(
            session,
            scenario_id=self.scenario_id,
            campaign_id=self.campaign_id,
            situation=self.situation,
            level=self.level,
        )


def scenario_simulation(session: Session, *, scenario_id: int) -> dict[str, Any] | None:
    """The branching simulation of a published scenario as the pages read it (None if it has none)."""
    [bundle] = scenario_bundles(session, scenario_id=scenario_id, with_peers=False)
    return simulation_data(bundle, other_cases(session, exclude={scenario_id}))
