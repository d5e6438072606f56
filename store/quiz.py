"""A campaign's quiz challenge in the store: its questions (delivery.quiz over the campaign's
published scenarios), an advisor's one attempt, kept answer by answer while under way (a refresh
resumes it, the clock still running) and scored here, never by the page, its points in
the campaign's leaderboard (store.learning) and its xAPI statement (store.xapi)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from curation import learning
from delivery.model import Pack
from delivery.quiz import Quiz, build_quiz, quiz_from_json, quiz_to_json
from store import xapi
from store.bundles import other_cases, scenario_bundles
from store.learning import aware
from store.models import Campaign, QuizAttempt, QuizProgress, User, utcnow


def campaign_quiz(
    session: Session, *, campaign_id: int, time_limit: int = 30, keep: bool = False
) -> Quiz:
    """The quiz of a campaign: the same questions, in the same order, for everyone in it. Once
    its first player starts, the quiz they got is kept on the campaign (`keep`) and played by
    everyone after, whatever is published or edited meanwhile: a scenario published during the
    campaign would change the wrong answers drawn from other cases and the place of the right
    one (an answer kept by its place would then be scored against another choice). Peers'
    answers are not needed: no redaction model is loaded."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise ValueError(f"campaign {campaign_id} does not exist")
    if campaign.quiz:
        return quiz_from_json(campaign.quiz)
    built = _build(session, campaign, time_limit)
    if keep:
        campaign.quiz = quiz_to_json(built)
        session.flush()
    return built


def _build(session: Session, campaign: Campaign, time_limit: int) -> Quiz:
    campaign_id = campaign.id
    bundles = scenario_bundles(session, campaign_id=campaign_id, with_peers=False)
    others = other_cases(session, exclude=frozenset(b.scenario_id for b in bundles))
    pack = Pack(
        id=f"campaign-{campaign_id}",
        title=campaign.name,
        bundles=tuple(bundles),
        others=tuple(others),
    )
    return build_quiz(pack, seed=pack.id, time_limit=time_limit)


@dataclass(frozen=True)
class AttemptView:
    """An advisor's finished quiz challenge."""

    campaign_id: int
    questions: int
    correct: int
    seconds: float
    points: float
    answers: list[dict[str, Any]]
    created_at: datetime


def quiz_attempt(session: Session, *, campaign_id: int, user_id: int) -> AttemptView | None:
    """The advisor's attempt at a campaign's quiz, or None."""
    found = session.scalar(
        select(QuizAttempt).where(
            QuizAttempt.campaign_id == campaign_id, QuizAttempt.user_id == user_id
        )
    )
    if found is None:
        return None
    return AttemptView(
        found.campaign_id,
        found.questions,
        found.correct,
        found.seconds,
        found.points,
        list(found.answers or []),
        found.created_at,
    )


@dataclass(frozen=True)
class ReviewLine:
    """One question of a finished quiz challenge, as its player answered it: `chosen` is the index
    of the choice made (None: no answer), `late` an answer after the time limit (scored wrong)."""

    prompt: str
    excerpt: str
    choices: tuple[str, ...]
    correct: int
    chosen: int | None
    right: bool
    late: bool
    seconds: float
    limit: int


def quiz_review(session: Session, *, campaign_id: int, user_id: int) -> list[ReviewLine]:
    """The advisor's finished quiz challenge question by question, with the right answers (as a
    self-paced Kahoot challenge shows them): empty before it is finished, and when the campaign no
    longer keeps the quiz played (a person's erasure dropped it: one built again may hold other
    choices under the same question)."""
    attempt = quiz_attempt(session, campaign_id=campaign_id, user_id=user_id)
    campaign = session.get(Campaign, campaign_id)
    if attempt is None or campaign is None or not campaign.quiz:
        return []
    questions = {q.key: q for q in quiz_from_json(campaign.quiz).questions}
    lines = []
    for answer in attempt.answers:
        q = questions.get(str(answer.get("key")))
        if q is None:
            continue
        chosen = answer.get("chosen")
        seconds = float(answer.get("seconds") or 0.0)
        lines.append(
            ReviewLine(
                prompt=q.prompt,
                excerpt=q.excerpt,
                choices=q.choices,
                correct=q.correct,
                chosen=chosen if isinstance(chosen, int) and 0 <= chosen < len(q.choices) else None,
                right=bool(answer.get("right")),
                late=chosen is not None and seconds > q.time_limit,
                seconds=seconds,
                limit=q.time_limit,
            )
        )
    return lines


@dataclass(frozen=True)
class ProgressView:
    """An advisor's quiz challenge under way: `index` is the question shown now (the number of
    answers given), shown at `shown_at` by the server's clock."""

    campaign_id: int
    index: int
    shown_at: datetime


def _progress(session: Session, campaign_id: int, user_id: int) -> QuizProgress | None:
    return session.scalar(
        select(QuizProgress).where(
            QuizProgress.campaign_id == campaign_id, QuizProgress.user_id == user_id
        )
    )


def quiz_progress(session: Session, *, campaign_id: int, user_id: int) -> ProgressView | None:
    """The advisor's quiz challenge under way in a campaign, or None."""
    found = _progress(session, campaign_id, user_id)
    if found is None:
        return None
    return ProgressView(campaign_id, len(found.answers or []), aware(found.shown_at))


def _may_play(session: Session, campaign_id: int, user_id: int, now: datetime) -> None:
    campaign = session.get(Campaign, campaign_id)
    user = session.get(User, user_id)
    if campaign is None or user is None:
        raise ValueError(f"no campaign {campaign_id} or user {user_id}")
    if not (aware(campaign.starts_at) <= now < aware(campaign.ends_at)):
        raise ValueError("this campaign is not running")
    if user.team not in [str(t) for t in campaign.teams or []]:
        raise ValueError("this campaign is not for your team")
    if quiz_attempt(session, campaign_id=campaign_id, user_id=user_id) is not None:
        raise ValueError("you have already played this quiz challenge")


def start_quiz(
    session: Session, *, campaign_id: int, user_id: int, now: datetime | None = None
) -> ProgressView:
    """Show the first question of the advisor's one try (the one under way if started: starting
    again never gives a fresh clock)."""
    now = now or utcnow()
    _may_play(session, campaign_id, user_id, now)
    campaign_quiz(session, campaign_id=campaign_id, keep=True)  # the quiz everyone plays
    if _progress(session, campaign_id, user_id) is None:
        session.add(
            QuizProgress(campaign_id=campaign_id, user_id=user_id, answers=[], shown_at=now)
        )
        session.flush()
    view = quiz_progress(session, campaign_id=campaign_id, user_id=user_id)
    assert view is not None
    return view


def answer_quiz(
    session: Session,
    *,
    campaign_id: int,
    user_id: int,
    key: str,
    chosen: int | None,
    now: datetime | None = None,
) -> AttemptView | None:
    """Keep the answer to the question shown now (timed by the server from when it was shown) and
    show the next; after the last, score and keep the attempt (submit_quiz) and return it."""
    now = now or utcnow()
    found = _progress(session, campaign_id, user_id)
    if found is None:
        raise ValueError("start the quiz challenge first")
    quiz = campaign_quiz(session, campaign_id=campaign_id)
    given = list(found.answers or [])
    if len(given) >= len(quiz.questions) or quiz.questions[len(given)].key != key:
        raise ValueError("this question was already answered")
    took = max(0.0, (now - aware(found.shown_at)).total_seconds())
    given.append({"key": key, "chosen": chosen, "seconds": round(took, 2)})
    found.answers, found.shown_at = given, now
    if len(given) < len(quiz.questions):
        session.flush()
        return None
    answers = {a["key"]: (a["chosen"], float(a["seconds"])) for a in given}
    session.delete(found)
    session.flush()
    return submit_quiz(session, campaign_id=campaign_id, user_id=user_id, answers=answers, now=now)


def submit_quiz(
    session: Session,
    *,
    campaign_id: int,
    user_id: int,
    answers: dict[str, tuple[int | None, float]],
    now: datetime | None = None,
) -> AttemptView:
    """Score and keep an advisor's quiz: `answers` maps each question's key to (the index of the
    choice made or None, seconds taken). One attempt per advisor and campaign, while it runs,
    for its teams. A late or missing answer is wrong."""
    now = now or utcnow()
    _may_play(session, campaign_id, user_id, now)
    quiz = campaign_quiz(session, campaign_id=campaign_id, keep=True)
    unknown = set(answers) - {q.key for q in quiz.questions}
    if unknown:
        raise ValueError(f"no such question: {', '.join(sorted(unknown))}")
    kept, correct, points, seconds = [], 0, 0.0, 0.0
    for q in quiz.questions:
        chosen, took = answers.get(q.key, (None, float(q.time_limit)))
        took = max(0.0, float(took))
        right = chosen == q.correct and took <= q.time_limit
        correct += right
        points += learning.quiz_answer_points(right, took, q.time_limit)
        seconds += min(took, float(q.time_limit))
        kept.append({"key": q.key, "chosen": chosen, "right": right, "seconds": round(took, 2)})
    attempt = QuizAttempt(
        campaign_id=campaign_id,
        user_id=user_id,
        questions=len(quiz.questions),
        correct=correct,
        seconds=round(seconds, 2),
        points=round(points, 4),
        answers=kept,
        created_at=now,
    )
    session.add(attempt)
    session.flush()
    xapi.record_quiz(session, attempt=attempt)
    view = quiz_attempt(session, campaign_id=campaign_id, user_id=user_id)
    assert view is not None
    return view
