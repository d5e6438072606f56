"""Scenario drafts: a notable case turned into an exercise, by rules and templates, in its language."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from casebook_data.taxonomy_names import wants_line
from curation.arcs import AGENT, CUSTOMER, Arc, Turn

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "customer": "Customer {letter}",
        "agent": "Advisor",
        "question": "What would you reply?",
        "conversation": "A customer conversation",
        "cue_emotion": "Strong {emotion} (intensity {percent}%)",
        "cue_caps": "Writes in capitals or repeats punctuation",
        "cue_risk": "Risk: {risk}",
        "cue_public": "Public post seen by others ({reach} reactions)",
        "cue_turns": "Has already written {n} times",
        "obj_operational": "Solve the {situation} problem in one reply: say what you will do and when.",
        "obj_operational_other": "Solve the customer's problem in one reply: say what you will do and when.",
        "obj_relational": "Acknowledge the customer's {emotion} before the facts; keep a warm, personal tone.",
        "obj_managerial": "Decide when to escalate, and how a team lead would support the advisor here.",
    },
    "fr": {
        "customer": "Client {letter}",
        "agent": "Conseiller",
        "question": "Que répondriez-vous ?",
        "conversation": "Une conversation client",
        "cue_emotion": "{emotion} marquée (intensité {percent} %)",
        "cue_caps": "Écrit en majuscules ou répète la ponctuation",
        "cue_risk": "Risque : {risk}",
        "cue_public": "Message public vu par d'autres ({reach} réactions)",
        "cue_turns": "A déjà écrit {n} fois",
        "obj_operational": "Résoudre le problème ({situation}) en une réponse : dire ce que vous faites et quand.",
        "obj_operational_other": "Résoudre le problème du client en une réponse : dire ce que vous faites et quand.",
        "obj_relational": "Reconnaître l'émotion du client ({emotion}) avant les faits ; garder un ton chaleureux et personnel.",
        "obj_managerial": "Savoir quand escalader, et comment un responsable d'équipe soutiendrait le conseiller ici.",
    },
}


EMOTION_NAMES = {
    "en": {
        "anger": "anger",
        "disgust": "disgust",
        "fear": "worry",
        "joy": "joy",
        "sadness": "disappointment",
        "surprise": "surprise",
        "neutral": "calm",
    },
    "fr": {
        "anger": "Colère",
        "disgust": "Dégoût",
        "fear": "Inquiétude",
        "joy": "Joie",
        "sadness": "Déception",
        "surprise": "Surprise",
        "neutral": "Calme",
    },
}

RISK_NAMES = {
    "en": {
        "churn": "threatens to leave",
        "legal": "legal threat",
        "safety": "safety",
        "public_escalation": "threatens to go public",
    },
    "fr": {
        "churn": "menace de partir",
        "legal": "menace juridique",
        "safety": "sécurité",
        "public_escalation": "menace de rendre public",
    },
}

_HANDLE = re.compile(r"(?<![\w@])@(\w{1,30})")
# A word of four capitals or more, or repeated ! and ?; not redaction's placeholders ("[PHONE]").
_SHOUTING = re.compile(r"(?<!\[)\b[A-ZÀ-Ý]{4,}\b(?!\])|[!?]{2,}")


@dataclass(frozen=True, slots=True)
class Draft:
    """A scenario draft: what the store keeps in a scenario row."""

    title: str
    language: str
    level: int
    skill_axis: str
    body: dict[str, Any] = field(default_factory=dict)


def case_language(turns: list[Turn]) -> str:
    """The language of the case: the most common of its customer turns, French or English."""
    counts = Counter(t.language for t in turns if t.role == CUSTOMER and t.language in ("fr", "en"))
    return counts.most_common(1)[0][0] if counts else "en"


def _speakers(turns: list[Turn], lang: str) -> dict[str, str]:
    """Consistent names for customers' handles: Customer A, B... in order of appearance.

    Numeric handles are customers in exports (TWCS pseudonymises them so); named handles are
    brands' accounts, kept as they are since they say who the case is about.
    """
    names: dict[str, str] = {}
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for turn in turns:
        for handle in _HANDLE.findall(turn.text):
            if handle.isdigit() and handle not in names:
                names[handle] = TEXTS[lang]["customer"].format(letter=next(letters, "Z"))
    return names


def _is_word_char(char: str) -> bool:
    """What `\\w` matches in a str pattern: a letter, a digit or "_"."""
    return char.isalnum() or char == "_"


def _scrubber(turns: list[Turn]) -> Callable[[str], str] | None:
    """What replaces every personal datum found anywhere in the thread by its placeholder.

    The analysis redacts each comment on its own and may find a name in one turn and miss it
    in the next; the draft redacts the whole thread with what any turn revealed. A term is
    replaced where it stands as a whole word, the leftmost first and the longest at one place
    (as the regular expression `(?<!\\w)(?:longest|...|shortest)(?!\\w)` would), found with
    plain string search: compiling a pattern for every thread cost more than all the rest.
    """
    kinds = {text: kind for t in turns for text, kind in t.pii_terms}
    terms = sorted({text for text in kinds if len(text.strip()) >= 2}, key=len, reverse=True)
    if not terms:
        return None

    def scrub(text: str) -> str:
        found: list[tuple[int, int, str]] = []  # (start, -length, term)
        for term in terms:
            start = text.find(term)
            while start >= 0:
                end = start + len(term)
                if not (start > 0 and _is_word_char(text[start - 1])) and not (
                    end < len(text) and _is_word_char(text[end])
                ):
                    found.append((start, -len(term), term))
                start = text.find(term, start + 1)
        if not found:
            return text
        found.sort()
        out: list[str] = []
        at = 0
        for start, length, term in found:
            if start < at:
                continue  # inside a replacement already made
            out.append(text[at:start])
            out.append(f"[{kinds[term]}]")
            at = start - length
        out.append(text[at:])
        return "".join(out)

    return scrub


def _rename(text: str, names: dict[str, str]) -> str:
    return _HANDLE.sub(lambda m: "@" + names.get(m.group(1), m.group(1)).replace(" ", ""), text)


def level_of(turns: list[Turn], n_situations: int) -> int:
    """1, 2 or 3 from the case's difficulty: intensity, length, risks and several issues at once."""
    intensity = max((t.intensity for t in turns if t.role == CUSTOMER), default=0.0)
    risks = {r for t in turns for r in t.risks}
    points = (
        (intensity >= 0.5)
        + (intensity >= 0.75)
        + (len(turns) >= 4)
        + bool(risks)
        + (n_situations > 1)
    )
    return 1 if points <= 1 else 2 if points <= 3 else 3


def situation_name(labels: Mapping[str, Mapping[str, str]], situation: str, language: str) -> str:
    """The taxonomy's name of `situation` in `language` (`labels`: by situation and language),
    else its key written as words ("delivery_delay" -> "Delivery delay")."""
    return labels.get(situation, {}).get(language) or situation.replace("_", " ").capitalize()


def title_head(texts: Mapping[str, str], situation: str, name: str) -> str:
    """What a draft's title opens with: the situation's name; "A customer conversation" for
    the taxonomy's "other", which names nothing."""
    return name if situation != "other" else texts["conversation"]


def operational_objective(texts: Mapping[str, str], situation: str, name: str) -> str:
    """A draft's operational objective: solve the situation's problem ("other": the customer's)."""
    if situation == "other":
        return texts["obj_operational_other"]
    return texts["obj_operational"].format(situation=name.lower())


def draft_scenario(
    turns: list[Turn],
    arc: Arc,
    channel: str,
    situation: str,
    situation_label: str,
    customer_wants: str | None = None,
) -> Draft:
    """A draft scenario for a case: context, turns up to the pivotal reply, cues, objectives."""
    lang = case_language(turns)
    texts, emotions, risk_names = TEXTS[lang], EMOTION_NAMES[lang], RISK_NAMES[lang]
    names = _speakers(turns, lang)
    scrub = _scrubber(turns)

    def clean(text: str) -> str:
        text = _rename(text, names)
        return scrub(text) if scrub else text

    cut = arc.pivotal if arc.pivotal is not None else _first_agent(turns)
    before = turns[:cut] if cut is not None else turns
    after = turns[cut + 1 :] if cut is not None else []

    customer_name = texts["customer"].format(letter="A")

    def shown(turn: Turn) -> dict[str, str]:
        who = texts["agent"] if turn.role == AGENT else customer_name
        return {"role": turn.role, "speaker": who, "text": clean(turn.text)}

    customer = [t for t in before if t.role == CUSTOMER] or [t for t in turns if t.role == CUSTOMER]
    main = max(customer, key=lambda t: t.intensity)
    cues: list[str] = []
    if main.emotion != "neutral":
        cues.append(
            texts["cue_emotion"].format(
                emotion=emotions[main.emotion], percent=f"{main.intensity * 100:.0f}"
            )
        )
    if any(_SHOUTING.search(t.text) for t in customer):
        cues.append(texts["cue_caps"])
    for risk in sorted({r for t in turns for r in t.risks}):
        cues.append(texts["cue_risk"].format(risk=risk_names.get(risk, risk)))
    reach = sum(t.likes + t.shares for t in customer)
    if reach:
        cues.append(texts["cue_public"].format(reach=reach))
    if len(customer) > 1:
        cues.append(texts["cue_turns"].format(n=len(customer)))

    situations = {t.situation for t in turns if t.role == CUSTOMER and t.situation != "other"}
    level = level_of(turns, len(situations))
    risks = {r for t in turns for r in t.risks}
    skill_axis = (
        "managerial"
        if arc.kind == "escalation" and risks
        else "relational"
        if main.intensity >= 0.5 or main.emotion in ("anger", "sadness", "fear")
        else "operational"
    )
    words = clean(customer[0].text).split()
    first_words = " ".join(words[:8]) + ("…" if len(words) > 8 else "")
    # The title names the situation, never the outcome: advisors read it before they answer, and
    # "turned around" would tell them how the real conversation ended. The taxonomy's "other"
    # names nothing: no "Other" title, no "Solve the other problem".
    head = title_head(texts, situation, situation_label)
    title = f"{head} : « {first_words} »" if lang == "fr" else f'{head}: "{first_words}"'
    emotion_name = emotions[main.emotion].lower()
    body = {
        "context": {
            "channel": channel,
            "situation": situation,
            # What the taxonomy says this situation's customers want; nothing when it does not
            # say (the situation's name is no want: "The customer wants: churn threat").
            "customer_wants": wants_line(lang, customer_wants or ""),
        },
        "turns": [shown(t) for t in before],
        "cues": cues,
        "question": texts["question"],
        "real_reply": clean(turns[cut].text) if cut is not None else None,
        "outcome": [shown(t) for t in after],
        "objectives": {
            "operational": operational_objective(texts, situation, situation_label),
            "relational": texts["obj_relational"].format(emotion=emotion_name),
            "managerial": texts["obj_managerial"],
        },
        "tags": sorted({situation, arc.kind, channel, main.emotion, lang}),
    }
    return Draft(title=title[:300], language=lang, level=level, skill_axis=skill_axis, body=body)


def _first_agent(turns: list[Turn]) -> int | None:
    return next((i for i, t in enumerate(turns) if t.role == AGENT), None)


def resituated(
    title: str,
    body: dict[str, Any],
    language: str,
    new: str,
    labels: Mapping[str, Mapping[str, str]],
    wants: Mapping[str, Mapping[str, str]],
) -> tuple[str, dict[str, Any]]:
    """A scenario's title and body moved to situation `new` (a coach's correction): its context's
    situation and its tags; and, where they still say what the draft said of the situation before,
    the title's lead, the operational objective and what the customer wants (a text the coach
    rewrote stays theirs). `labels` and `wants`: the taxonomy's, by situation and language."""
    context = dict(body.get("context") or {})
    old = str(context.get("situation") or "other")
    if new == old:
        return title, body
    texts = TEXTS.get(language, TEXTS["en"])
    was, now = (situation_name(labels, s, language) for s in (old, new))
    head_was, head_now = title_head(texts, old, was), title_head(texts, new, now)
    for sep in (" : ", ": "):  # the French title's, the English one's
        if title.startswith(head_was + sep):
            title = head_now + title[len(head_was) :]
            break

    def need(situation: str) -> str:
        return wants_line(language, wants.get(situation, {}).get(language, ""))

    context["situation"] = new
    if (context.get("customer_wants") or "") == need(old):
        context["customer_wants"] = need(new)
    objectives = dict(body.get("objectives") or {})
    if objectives.get("operational") == operational_objective(texts, old, was):
        objectives["operational"] = operational_objective(texts, new, now)
    tags = sorted({tag for tag in body.get("tags") or [] if tag != old} | {new})
    return title, {**body, "context": context, "objectives": objectives, "tags": tags}
