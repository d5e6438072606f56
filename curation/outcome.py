"""The outcome of a conversation: how the customer starts, whether their need is met, how they end.

Per-comment analyses (sentiment score, emotion, intensity, risks) say how each message sounds;
a coach needs to know what happened across the conversation. `conversation_outcome` reads the
turns with their fixed roles (`curation.roles`) and returns:

- `start`: complaint, request or praise (the raiser's first turn);
- `need`: solved, answered, redirected (to DMs, a phone line, a link) or ignored;
- `end`: delighted, satisfied, relieved, neutral, waiting, angrier or threatening (to leave, go
  public or sue), from the raiser's last turn after a reply;
- `arc`: recovery (a clearly unhappy customer who ends clearly better because of what the advisor
  did; a polite "thanks" after a redirect is not), escalation (ends worse or threatens after a
  reply), unresolved, praise, question, or not_service;
- the pivotal advisor turn of recoveries and escalations, with the cue seen and a sentence of why;
- delicate situations a coach must see: safety, legal, vulnerable customer, privacy slip.

Rules over cue words (English and French) and the analyses; the cue lists were written on the
development split of the annotated set (data/eval/conversations), never on its test split.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from curation.arcs import AGENT, CUSTOMER, NEGATIVE, POSITIVE, Turn
from curation.roles import AuthorStats, Roles, service_kind, thread_roles

STARTS = ("complaint", "request", "praise", "none")
NEEDS = ("solved", "answered", "redirected", "ignored", "none")
ENDS = ("delighted", "satisfied", "relieved", "neutral", "waiting", "angrier", "threatening", "none")
ARCS = ("recovery", "escalation", "unresolved", "praise", "question", "not_service")
BETTER = ("delighted", "satisfied", "relieved")
WORSE = ("angrier", "threatening")
DELICATE = ("safety", "legal", "vulnerable", "privacy")


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w@#])(?:" + "|".join(patterns) + r")(?![\w])", re.IGNORECASE)


COMPLAINT = _words(
    r"worst",
    r"terrible",
    r"awful",
    r"horrible",
    r"ridiculous",
    r"useless",
    r"pathetic",
    r"unacceptable",
    r"disgusting",
    r"disgrace\w*",
    r"shocking",
    r"joke",
    r"rude",
    r"scam\w*",
    r"still (?:not|no|waiting|haven'?t|hasn'?t|can'?t|won'?t|doesn'?t|isn'?t)",
    r"not working",
    r"(?:doesn|don|isn|won|can|didn|hasn|haven|wasn|aren)'?t (?:work|load|let|get|open|arrive|"
    r"connect|receive|find|help|respond|answer|show|download|charge|refund)\w*",
    r"can ?not",
    r"never (?:arrived|received|got|came|showed)",
    r"broken",
    r"broke",
    r"lost",
    r"missing",
    r"delayed",
    r"cancell?ed",
    r"overcharged",
    r"charged (?:twice|me|again)",
    r"no (?:one|service|signal|internet|response|reply|help)",
    r"nobody",
    r"disappointed",
    r"disappointing",
    r"frustrat\w+",
    r"annoy\w+",
    r"angry",
    r"furious",
    r"fed up",
    r"sick of",
    r"wtf",
    r"smh",
    r"ugh+",
    r"fail\w*",
    r"error",
    r"crash\w*",
    r"issue",
    r"issues",
    r"problem",
    r"problems",
    r"outage",
    r"down again",
    r"keeps? (?:crashing|dropping|cutting|failing)",
    r"nul(?:le)?",
    r"honteu\w+",
    r"inadmissible",
    r"inacceptable",
    r"scandal\w*",
    r"toujours pas",
    r"jamais re[çc]u",
    r"ne (?:marche|fonctionne) (?:pas|plus)",
    r"(?:marche|fonctionne) (?:pas|plus)",
    r"en panne",
    r"panne",
    r"retard",
    r"arnaque",
    r"déçue?",
    r"probl[èe]me",
    r"bug",
    r"bloqué\w*",
    r"perdu",
    r"aucune réponse",
    r"personne ne",
    r"[ée]nerv[ée]\w*",
    r"marre",
    r"pas normal",
    r"😡",
    r"😤",
    r"🤬",
    r"😠",
)
PRAISE = _words(
    r"love (?:you|it|this|the|my|your)",
    r"thanks? (?:you )?(?:so much )?for (?:the|your|being|always|making|a|an)",
    r"great (?:service|job|experience|work|staff|team)",
    r"excellent",
    r"amazing",
    r"awesome",
    r"shout ?out",
    r"kudos",
    r"props to",
    r"best (?:customer|service|staff|team)",
    r"bravo",
    r"génial",
    r"merci (?:à|a) (?:toute|l'équipe|vous)",
    r"au top",
    r"j'adore",
    r"excellent",
    r"😍",
    r"❤️?",
    r"👏",
    r"🙌",
)
REQUEST = _words(
    r"how (?:do|can|to|long|much|would)",
    r"can (?:i|you|we|someone)",
    r"could (?:i|you|someone)",
    r"is (?:there|it possible)",
    r"when (?:will|is|does|do|can)",
    r"where (?:is|can|do)",
    r"what (?:is|are|do|does|happened)",
    r"why (?:is|are|does|do|did|can)",
    r"any (?:way|idea|update|news)",
    r"i (?:need|want|would like|'d like)",
    r"help",
    r"please",
    r"comment (?:faire|puis|peut)",
    r"est-ce que",
    r"pouvez-vous",
    r"pourriez-vous",
    r"je (?:voudrais|souhaite|cherche)",
    r"besoin",
    r"aide",
)
REDIRECT = _words(
    r"dm",
    r"dms",
    r"direct message",
    r"private message",
    r"message us",
    r"send us (?:a|an|your)",
    r"shoot us",
    r"drop us",
    r"follow (?:and dm|us)",
    r"reach out (?:to|here|via|directly)",
    r"contact (?:us|our|the|your|them)",
    r"get in touch",
    r"(?:give us a )?call (?:us|our|the)",
    r"chat team",
    r"(?:check|visit|see) (?:out )?(?:this|here|the link|our)",
    r"(?:click|head) (?:here|over)",
    r"fill out",
    r"in a dm",
    r"secure(?:d)? (?:link|chat)",
    r"message privé",
    r"en privé",
    r"en mp",
    r"par mp",
    r"contactez",
    r"appelez",
    r"rendez-vous sur",
    r"écrivez-nous",
    r"envoyez-nous",
)
SOLVED_AGENT = _words(
    r"(?:we|i)(?:'ve| have) (?:now )?(?:refunded|fixed|sent|processed|credited|resolved|"
    r"updated|reset|issued|applied|added|corrected|replaced|rebooked|reinstated|cancelled|removed|"
    r"arranged|restored|reactivated|waived|found)",
    r"(?:has|have) been (?:refunded|fixed|resolved|sent|credited|processed|corrected|"
    r"replaced|restored|reactivated|waived|rebooked)",
    r"(?:is|are|should be) (?:now )?(?:fixed|resolved|working|back (?:up|online)|restored)",
    r"you(?:'re| are) all set",
    r"all sorted",
    r"on its way",
    r"(?:a|the) (?:refund|credit|replacement|voucher|gift card)",
    r"nous avons (?:remboursé|envoyé|corrigé|rétabli|annulé|procédé|crédité)",
    r"a été (?:remboursé|envoyé|corrigé|rétabli|crédité|expédié|traité)e?s?",
    r"est (?:réglé|résolu|rétabli|corrigé)e?s?",
    r"remboursement (?:est|a été)",
    r"geste commercial",
    r"un avoir",
)
THREAT = _words(
    r"cancel(?:l?ing|l?ed)? (?:my|the|our|this|your)? ?(?:account|service|subscription|contract|"
    r"membership|order|plan|card)",
    r"close (?:my|the) (?:account|card)",
    r"switch(?:ing)? (?:to|over|providers|carriers)",
    r"(?:i'?m|we'?re) (?:leaving|done|switching|out|cancelling)",
    r"leav(?:e|ing) (?:you|for)",
    r"(?:go|going|move|moving) (?:to|with) (?:another|a different|someone)",
    r"lawyers?",
    r"attorneys?",
    r"legal action",
    r"sue",
    r"suing",
    r"small claims",
    r"bbb",
    r"better business bureau",
    r"ombudsman",
    r"fcc",
    r"cfpb",
    r"report(?:ing)? (?:you|this|them)",
    r"(?:the )?(?:media|press|news)",
    r"tell (?:everyone|all my)",
    r"never (?:again|buy|buying|use|using|fly|flying|shop|shopping|order|ordering|return)",
    r"last time i",
    r"lost (?:a|my|your) customer",
    r"résili\w+",
    r"changer (?:d'opérateur|de banque|de fournisseur)",
    r"je (?:pars|m'en vais|quitte)",
    r"avocat",
    r"porter plainte",
    r"tribunal",
    r"médiateur",
    r"ufc",
    r"que choisir",
    r"60 millions",
    r"plus jamais",
    r"dire partout",
)
ANGRIER = _words(
    r"ridiculous",
    r"joke",
    r"useless",
    r"pathetic",
    r"unacceptable",
    r"worst",
    r"seriously\??",
    r"wtf",
    r"not (?:helpful|good enough|acceptable|ok)",
    r"(?:no|zero) help",
    r"doesn'?t help",
    r"didn'?t help",
    r"(?:i )?already (?:did|tried|have|sent|called|done|dm'?d)",
    r"i did\.?",
    r"as usual",
    r"same (?:answer|response|thing)",
    r"copy (?:and|&) paste",
    r"bot",
    r"stop (?:telling|asking)",
    r"not the (?:point|issue)",
    r"still (?:not|no|nothing|broken|haven'?t|hasn'?t|can'?t|won'?t|doesn'?t|isn'?t)",
    r"no one (?:is )?(?:responding|answering|helping)",
    r"nobody",
    r"n'importe quoi",
    r"inadmissible",
    r"honteu\w+",
    r"déjà (?:fait|essayé|envoyé|appelé)",
    r"ça ne sert à rien",
    r"toujours pas",
    r"toujours rien",
    r"aucune réponse",
    r"😡",
    r"🤬",
    r"😤",
)
WAITING = _words(
    r"still waiting",
    r"any (?:update|news|word)",
    r"waiting",
    r"no (?:reply|response|answer) (?:yet|to)",
    r"haven'?t heard",
    r"how long",
    r"when (?:will|can|do)",
    r"hello\?+",
    r"anyone\?+",
    r"toujours en attente",
    r"j'attends",
    r"des nouvelles",
    r"pas de réponse",
    r"quand (?:est-ce|vais|allez)",
)
RELIEVED = _words(
    r"finally",
    r"phew",
    r"(?:it'?s |it is )?(?:working|works) (?:now|again|fine)",
    r"(?:it|that) (?:worked|fixed it|did it|did the trick)",
    r"fixed",
    r"sorted",
    r"resolved",
    r"all good(?: now)?",
    r"back (?:up|on|online)",
    r"got it (?:now|back|working)",
    r"(?:just )?(?:received|arrived|got) (?:it|them|the|my)",
    r"problem solved",
    r"solved",
    r"no longer",
    r"enfin",
    r"ouf",
    r"ça (?:marche|fonctionne|remarche)",
    r"c'est (?:réglé|bon|résolu)",
    r"résolu",
    r"bien reçu",
    r"rentré dans l'ordre",
)
DELIGHTED = _words(
    r"amazing",
    r"awesome",
    r"you(?: guys)? rock",
    r"the best",
    r"love (?:you|it|this)",
    r"brilliant",
    r"fantastic",
    r"above and beyond",
    r"legends?",
    r"made my (?:day|night|week)",
    r"saved (?:my|the) day",
    r"superb",
    r"wow",
    r"so (?:much|happy|grateful)",
    r"incredible",
    r"outstanding",
    r"génial",
    r"au top",
    r"parfait",
    r"les meilleurs",
    r"merci (?:infiniment|mille fois|beaucoup)",
    r"formidable",
    r"bravo",
    r"😍",
    r"🙌",
    r"❤️?",
    r"🥰",
    r"😁",
    r"🎉",
)
SATISFIED = _words(
    r"thanks?",
    r"thank you",
    r"thx",
    r"ty",
    r"appreciate\w*",
    r"great",
    r"perfect",
    r"cheers",
    r"will do",
    r"got it",
    r"good to know",
    r"helpful",
    r"makes sense",
    r"merci",
    r"d'accord",
    r"super",
    r"nickel",
    r"🙂",
    r"😊",
    r"👍",
)
SAFETY = _words(
    r"injur\w+",
    r"hurt",
    r"unsafe",
    r"danger\w*",
    r"fire",
    r"smoke",
    r"burn(?:t|ed|ing)?",
    r"allerg\w+",
    r"food poisoning",
    r"sick from",
    r"police",
    r"assault\w*",
    r"harass\w*",
    r"threaten\w*",
    r"stranded",
    r"blessé\w*",
    r"dangereu\w+",
    r"incendie",
    r"intoxication",
    r"agress\w+",
    r"harcèle\w*",
)
VULNERABLE = _words(
    r"disab\w+",
    r"wheelchair",
    r"elderly",
    r"pregnan\w+",
    r"cancer",
    r"hospital",
    r"funeral",
    r"died",
    r"passed away",
    r"bereave\w+",
    r"my (?:baby|newborn|son|daughter|kids?|mum|mom|dad)",
    r"depress\w+",
    r"homeless",
    r"medical",
    r"medication",
    r"chemo",
    r"handicap\w*",
    r"fauteuil roulant",
    r"enceinte",
    r"hôpital",
    r"décès",
    r"décédé\w*",
    r"obsèques",
    r"personne âgée",
    r"mon (?:bébé|fils)",
    r"ma fille",
    r"malade",
)
LEGAL = _words(
    r"lawyers?",
    r"attorneys?",
    r"legal",
    r"lawsuit",
    r"sue",
    r"court",
    r"fraud\w*",
    r"identity theft",
    r"gdpr",
    r"data protection",
    r"avocat",
    r"tribunal",
    r"plainte",
    r"fraude",
    r"rgpd",
)
_QUESTION_ONLY = re.compile(r"^[^.!]*\?\s*(?:\^\w+|-\s?\w+)?\s*$")
_PII_PLACEHOLDER = re.compile(r"\[(?:EMAIL|PHONE|CARD|IBAN|ACCOUNT|ADDRESS)\]")
_PUBLIC = ("twitter", "x", "facebook", "instagram", "social", "appstore", "trustpilot", "review")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened in a conversation, with the cue seen for each call."""

    kind: str  # service or not_service
    start: str
    need: str
    end: str
    arc: str
    pivotal: int | None  # index of the pivotal advisor turn in the turns given
    cue: str  # the words that decided the arc (or the kind), quoted
    why: str  # one sentence a coach can read
    delicate: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    role_reasons: tuple[str, ...] = ()
    change: float = 0.0  # how much better (+) or worse (-) the customer ends, in [-1, 1]


def _find(pattern: re.Pattern[str], text: str) -> str:
    m = pattern.search(text)
    return m.group(0).strip() if m else ""


def _start(turn: Turn) -> tuple[str, str]:
    """complaint, request or praise, with the cue."""
    text = turn.text
    complaint = _find(COMPLAINT, text)
    praise = _find(PRAISE, text)
    if praise and not complaint and turn.sentiment_score > NEGATIVE:
        return "praise", praise
    if complaint or turn.sentiment_score <= -0.5 or _find(THREAT, text):
        return "complaint", complaint or _find(THREAT, text) or f"tone {turn.sentiment_score:+.2f}"
    if turn.sentiment_score >= 0.5 and not _find(REQUEST, text) and "?" not in text:
        return "praise", f"tone {turn.sentiment_score:+.2f}"
    return "request", _find(REQUEST, text) or ("?" if "?" in text else "")


def _unhappy(turn: Turn, start: str) -> bool:
    """A clearly unhappy customer: a complaint that sounds upset, or one with a strong cue."""
    return start == "complaint" and (
        turn.sentiment_score <= NEGATIVE
        or turn.emotion in ("anger", "disgust", "sadness", "fear")
        or bool(_find(ANGRIER, turn.text) or _find(THREAT, turn.text))
    )


def _end(turn: Turn, first: Turn) -> tuple[str, str]:
    """How the customer ends, with the cue; `first` is their first turn."""
    text = turn.text
    for label, pattern in (("threatening", THREAT), ("angrier", ANGRIER)):
        cue = _find(pattern, text)
        if cue:
            return label, cue
    relieved = _find(RELIEVED, text)
    delighted = _find(DELIGHTED, text)
    satisfied = _find(SATISFIED, text)
    negative = turn.sentiment_score <= NEGATIVE
    waiting = _find(WAITING, text)
    if waiting and not (relieved or delighted):
        return "waiting", waiting
    if negative and not (relieved or delighted or satisfied):
        if turn.sentiment_score <= first.sentiment_score - 0.2 or turn.intensity > first.intensity:
            return "angrier", f"tone {turn.sentiment_score:+.2f}"
        if "?" in text:
            return "waiting", "?"
        return "neutral", ""
    if relieved:
        return "relieved", relieved
    if delighted and turn.sentiment_score >= 0:
        return "delighted", delighted
    if satisfied and turn.sentiment_score > NEGATIVE:
        return "satisfied", satisfied
    if "?" in text:
        return "waiting", "?"
    if turn.sentiment_score >= POSITIVE + 0.25:
        return "satisfied", f"tone {turn.sentiment_score:+.2f}"
    return "neutral", ""


def _agent_move(turn: Turn) -> tuple[str, str]:
    """What one advisor reply does: solved, redirected, answered or asked (with the cue)."""
    text = turn.text
    solved = _find(SOLVED_AGENT, text)
    if solved:
        return "solved", solved
    redirect = _find(REDIRECT, text)
    if redirect:
        return "redirected", redirect
    if _QUESTION_ONLY.match(text.strip()):
        return "asked", "?"
    return "answered", ""


def _delicate(turns: Sequence[Turn], roles: Sequence[str], channel: str) -> tuple[str, ...]:
    found: list[str] = []
    text = " ".join(t.text for t in turns)
    risks = {r for t in turns for r in t.risks}
    if "safety" in risks or _find(SAFETY, text):
        found.append("safety")
    if "legal" in risks or _find(LEGAL, text):
        found.append("legal")
    customer_text = " ".join(t.text for t, r in zip(turns, roles, strict=True) if r != AGENT)
    if _find(VULNERABLE, customer_text):
        found.append("vulnerable")
    public = channel.lower() in _PUBLIC
    agent_pii = any(t.pii_terms for t, r in zip(turns, roles, strict=True) if r == AGENT)
    customer_pii = public and any(
        _PII_PLACEHOLDER.search(t.text) for t, r in zip(turns, roles, strict=True) if r != AGENT
    )
    if agent_pii or customer_pii:
        found.append("privacy")
    return tuple(found)


def conversation_outcome(
    turns: Sequence[Turn],
    *,
    channel: str = "",
    stats: Mapping[str, AuthorStats] | None = None,
    roles: Roles | None = None,
) -> Outcome:
    """The outcome of a thread whose turns are in time order (roles fixed here unless given)."""
    roles = roles or thread_roles(turns, stats)
    kind, kind_why = service_kind(turns, roles)
    delicate = _delicate(turns, roles.roles, channel) if turns else ()
    base = {"roles": roles.roles, "role_reasons": roles.reasons, "delicate": delicate}
    if kind != "service":
        return Outcome(kind, "none", "none", "none", "not_service", None, "", kind_why, **base)
    raiser = [i for i, r in enumerate(roles.roles) if r == CUSTOMER]
    agents = [i for i, r in enumerate(roles.roles) if r == AGENT]
    first = turns[raiser[0]]
    start, start_cue = _start(first)
    unhappy = _unhappy(first, start)
    replies = [a for a in agents if a > raiser[0]]
    if not replies:
        end, end_cue = ("waiting", "no reply") if start != "praise" else ("none", "")
        arc = {"complaint": "unresolved", "praise": "praise"}.get(start, "question")
        why = "no advisor replied" if start != "praise" else "praise with no reply"
        return Outcome(kind, start, "ignored", end, arc, None, start_cue, why, **base)

    moves = [(a, *_agent_move(turns[a])) for a in replies]
    after = [i for i in raiser if i > replies[0]]
    last = turns[after[-1]] if after else None
    if last is None:
        end, end_cue = "none", ""
    else:
        end, end_cue = _end(last, first)
    # The need: solved by the advisor or said so by the customer; else redirected or answered.
    solved = next((m for m in moves if m[1] == "solved"), None)
    if solved is None and end == "relieved":
        solved = next((m for m in reversed(moves) if after and m[0] < after[-1]), None)
    if solved is not None:
        need = "solved"
    elif moves[-1][1] == "redirected" or (
        any(m[1] == "redirected" for m in moves) and not any(m[1] == "answered" for m in moves)
    ):
        need = "redirected"
    elif any(m[1] == "answered" for m in moves):
        need = "answered"
    else:
        need = "redirected" if any(m[1] == "redirected" for m in moves) else "answered"

    last_score = last.sentiment_score if last is not None else first.sentiment_score
    change = max(-1.0, min(1.0, (last_score - first.sentiment_score) / 2))
    if end in BETTER:
        change = max(change, 0.5 if end == "satisfied" else 0.75)
    elif end in WORSE:
        change = min(change, -0.5)

    before_end = [m for m in moves if after and m[0] < after[-1]]
    arc, pivotal, cue, why = "", None, "", ""
    clearly_better = end in ("relieved", "delighted") or (end == "satisfied" and need == "solved")
    if unhappy and last is not None and before_end and clearly_better and need != "redirected":
        arc = "recovery"
        pick = next((m for m in reversed(before_end) if m[1] == "solved"), None) or next(
            (m for m in reversed(before_end) if m[1] == "answered"), before_end[-1]
        )
        pivotal = pick[0]
        cue = pick[2] or end_cue
        why = (
            f"upset at first ({start_cue!r}); the advisor {pick[1]} the need"
            + (f" ({pick[2]!r})" if pick[2] else "")
            + f"; ends {end} ({end_cue!r})"
        )
    elif end in WORSE and before_end:
        # The reply just before the first turn that shows the worsening.
        worse_at = next(
            (
                i
                for i in after
                if _find(THREAT, turns[i].text)
                or _find(ANGRIER, turns[i].text)
                or turns[i].sentiment_score <= first.sentiment_score - 0.2
            ),
            after[-1],
        )
        pick = next((m for m in reversed(moves) if m[0] < worse_at), before_end[-1])
        arc, pivotal, cue = "escalation", pick[0], end_cue
        why = (
            f"after the advisor {pick[1]}"
            + (f" ({pick[2]!r})" if pick[2] else "")
            + f", the customer ends {end} ({end_cue!r})"
        )
    elif start == "praise" and end not in WORSE:
        arc, cue, why = "praise", start_cue, f"praise ({start_cue!r})"
    elif start == "complaint":
        arc, cue = "unresolved", end_cue or start_cue
        why = f"complaint ({start_cue!r}), need {need}, ends {end}" + (
            f" ({end_cue!r})" if end_cue else ""
        )
    else:
        arc, cue = "question", start_cue
        why = f"request ({start_cue!r}), need {need}, ends {end}"
    return Outcome(kind, start, need, end, arc, pivotal, cue, why, change=round(change, 4), **base)
