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
from contextvars import ContextVar
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
    r"(?:is|been|was|went|goes|keeps going) down",
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
    r"défectueu\w+",
    r"quoi cette",
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
    r"follow up here",
    r"(?:our|the) team will (?:connect|reach|contact|follow)",
    r"(?:see|speak to|visit) (?:an|a|the) (?:agent|store|branch)",
)
# The customer's issue was settled somewhere else than in this conversation.
ELSEWHERE = _words(
    r"(?:via|by|through|over) (?:the )?(?:phone|chat|email|store|branch)(?: support)?",
    r"on (?:its|their) own",
    r"by itself",
    r"team lead",
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
    r"j'ai (?:appliqué|réglé|corrigé|remboursé|envoyé|rétabli|débloqué|annulé|crédité|fait)",
    r"part aujourd'hui",
    r"closed with (?:monetary|non-monetary) relief",
    r"closed with relief",
)
# What a CFPB company answer says: explained (answered) or nothing in time (ignored).
EXPLAINED = _words(r"closed with explanation", r"closed")
UNTIMELY = _words(r"untimely response", r"in progress")
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
    r"saisi\w* (?:le|la) (?:médiateur|justice|cnil|dgccrf)",
    r"on se verra devant",
    r"lost me",
    r"(?:shop|shopping|go|going) (?:somewhere|elsewhere)",
    r"somewhere else",
    r"(?:i'?ll|will) never",
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
    r"idiots?",
    r"fool",
    r"stupid",
    r"f+u+c+k\w*",
    r"shit\w*",
    r"bullshit",
    r"not (?:helpful|good enough|acceptable)",
    r"(?:no|zero) help",
    r"(?:doesn|didn)'?t help",
    r"pretty poor",
    r"poor (?:apology|answer|response|service)",
    r"as usual",
    r"same (?:answer|response|thing)",
    r"cop(?:y|ied)[- ](?:and|&|n)?[- ]?past(?:e|ed)",
    r"canned (?:response|answer)",
    r"bot",
    r"stop (?:telling|asking)",
    r"do (?:u|you) (?:expect|think|even)",
    r"are you (?:kidding|serious|joking)",
    r"so you(?:'re| are)",
    r"thanks for nothing",
    r"\?\?\?+",
    r"!!!+",
    r"n'importe quoi",
    r"inadmissible",
    r"honteu\w+",
    r"une honte",
    r"vous vous moquez",
    r"copiée?-collée?",
    r"sérieusement",
    r"personne ne lit",
    r"ça ne sert à rien",
    r"😡",
    r"🤬",
    r"😤",
    r"😠",
    r"🙄",
    r"disputed: yes",
    r"how do (?:you|u) propose",
    r"how (?:much|does) (?:does )?that help",
    r"is that not what",
    r"no wonder",
    r"funny how",
    r"inadequate",
    r"not (?:talking|dealing|speaking) (?:to|with)",
    r"(?:don'?t|do not) have the patience",
    r"never (?:gonna|going to) (?:receive|get|see)",
    r"not a good (?:first )?(?:impression|look|experience)",
    r"you haven'?t",
    r"why would i",
    r"what(?:'s| is) the point",
    r"give(?:s|n)? (?:me )?the run ?around",
    r"run around",
)
WAITING = _words(
    r"still (?:not|no|nothing|broken|waiting|haven'?t|hasn'?t|can'?t|won'?t|doesn'?t|isn'?t|"
    r"having|getting|the same)",
    r"(?:i )?already (?:did|tried|have|sent|called|done|dm'?d)",
    r"i (?:did|have)\.",
    r"no luck",
    r"(?:didn|doesn|won|isn)'?t work\w*",
    r"not working",
    r"no (?:one|reply|response|answer)",
    r"nobody",
    r"déjà (?:fait|essayé|envoyé|appelé)",
    r"toujours (?:pas|rien|en panne|bloqué)",
    r"aucune réponse",
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
    r"(?:is|got|been|now|all|it'?s) (?:fixed|sorted)",
    r"fixed (?:it|now)",
    r"sorted (?:it|now)",
    r"resolved",
    r"all good(?: now)?",
    r"back (?:up|on|online)",
    r"got it (?:now|back|working)",
    r"(?:just )?(?:received|arrived|got) (?:it|them|the|my)",
    r"problem solved",
    r"(?:is|got|been|now|all|it'?s) solved",
    r"enfin",
    r"ouf",
    r"ça (?:marche|fonctionne|remarche)",
    r"c'est (?:réglé|bon|résolu)",
    r"résolu",
    r"bien reçu",
    r"rentré dans l'ordre",
    r"a tout réglé",
    r"rattrapé le coup",
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
    r"mille mercis",
    r"je reste chez",
    r"5 étoiles",
    r"ne m'y attendais pas",
    r"😍",
    r"🙌",
    r"❤️?",
    r"🥰",
    r"😁",
    r"🎉",
)
SATISFIED = _words(
    r"found it",
    r"(?:that|it) (?:helps|helped|answers)",
    r"good to know",
    r"makes sense",
    r"helpful",
    r"perfect",
    r"great",
    r"excellent",
    r"appreciate\w*",
    r"thank you so much",
    r"thanks (?:a lot|so much|again)",
    r"thank you!",
    r"thanks!",
    r"no worries",
    r"will do[.!]?",
    r"got it[.!]",
    r"parfait",
    r"super",
    r"nickel",
    r"top",
    r"😊",
    r"👍",
)
THANKS = _words(r"thanks?", r"thank you", r"thx", r"ty", r"merci", r"cheers")
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
THREAT_LEGAL = _words(r"médiateur", r"ufc", r"que choisir", r"bbb", r"cfpb", r"regulator")
PRIVACY = _words(
    r"hacked",
    r"compromised",
    r"identity theft",
    r"(?:sell|sold|selling) my (?:personal )?(?:info|information|data)",
    r"personal (?:info|information|data)",
    r"usurpation",
    r"piraté",
    r"données personnelles",
)
_PII_PLACEHOLDER = re.compile(r"\[(?:EMAIL|PHONE|CARD|IBAN|ACCOUNT|ADDRESS)\]")
_PUBLIC = (
    "twitter",
    "x",
    "facebook",
    "instagram",
    "social",
    "appstore",
    "app_store",
    "trustpilot",
    "review",
)
_ENDS_WITH_QUESTION = re.compile(r"\?\s*(?:[-–—~^*]\s?\w+\.?)?\s*(?:https?://\S+\s*)*$")


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


# Cues coaches said misled curation (curation.feedback), ignored while an outcome is computed.
_MUTED: ContextVar[frozenset[str]] = ContextVar("muted_cues", default=frozenset())


def _find(pattern: re.Pattern[str], text: str) -> str:
    """The first cue of `pattern` in `text` that coaches have not muted, or ""."""
    muted = _MUTED.get()
    for m in pattern.finditer(text):
        cue = m.group(0).strip()
        if cue.lower() not in muted:
            return cue
    return ""


def _upset_tone(turn: Turn) -> bool:
    """The analyses say the turn is clearly upset (tone and emotion agree)."""
    return turn.sentiment_score <= -0.6 and turn.emotion in ("anger", "disgust")


def _start(turn: Turn) -> tuple[str, str]:
    """complaint, request, praise or other, with the cue."""
    text = turn.text
    complaint = _find(COMPLAINT, text) or _find(THREAT, text) or _find(ANGRIER, text)
    praise = _find(PRAISE, text) or _find(DELIGHTED, text)
    if praise and not complaint:
        return "praise", praise
    if complaint:
        return "complaint", complaint
    if _upset_tone(turn):
        return "complaint", f"{turn.emotion}, tone {turn.sentiment_score:+.2f}"
    request = _find(REQUEST, text) or ("?" if "?" in text else "")
    if request:
        return "request", request
    if turn.sentiment_score >= 0.6 and turn.emotion == "joy":
        return "praise", f"joy, tone {turn.sentiment_score:+.2f}"
    return "other", ""


def _unhappy(turn: Turn, start: str) -> bool:
    """A clearly unhappy customer: a complaint that sounds upset, or one with a strong cue."""
    return start == "complaint" and (
        "!" in turn.text
        or turn.sentiment_score <= NEGATIVE
        or turn.emotion in ("anger", "disgust", "sadness", "fear")
        or bool(_find(ANGRIER, turn.text) or _find(THREAT, turn.text))
    )


def _end(turn: Turn) -> tuple[str, str]:
    """How the customer ends (their last turn after a reply), with the cue."""
    text = turn.text
    for label, pattern in (("threatening", THREAT), ("angrier", ANGRIER)):
        cue = _find(pattern, text)
        if cue:
            return label, cue
    relieved = _find(RELIEVED, text)
    delighted = _find(DELIGHTED, text)
    waiting = _find(WAITING, text) or _find(COMPLAINT, text)
    if waiting and not (relieved or delighted):
        return "waiting", waiting
    if _upset_tone(turn) and turn.sentiment_score <= -0.8:
        return "angrier", f"{turn.emotion}, tone {turn.sentiment_score:+.2f}"
    if relieved:
        return "relieved", relieved
    if delighted:
        return "delighted", delighted
    satisfied = _find(SATISFIED, text)
    if satisfied:
        return "satisfied", satisfied
    if _find(WAITING, text):
        return "waiting", _find(WAITING, text)
    return "neutral", _find(THANKS, text)


def _agent_move(turn: Turn) -> tuple[str, str]:
    """What one advisor reply does: solved, redirected, answered, asked or ignored (with the cue)."""
    text = turn.text
    solved = _find(SOLVED_AGENT, text)
    if solved:
        return "solved", solved
    if _find(UNTIMELY, text):
        return "ignored", _find(UNTIMELY, text)
    if _find(EXPLAINED, text):
        return "answered", _find(EXPLAINED, text)
    redirect = _find(REDIRECT, text)
    if redirect:
        return "redirected", redirect
    if _ENDS_WITH_QUESTION.search(text.strip()):
        return "asked", "?"
    return "answered", ""


def _delicate(turns: Sequence[Turn], roles: Sequence[str], channel: str) -> tuple[str, ...]:
    found: list[str] = []
    customer_text = " ".join(t.text for t, r in zip(turns, roles, strict=True) if r != AGENT)
    risks = {r for t in turns for r in t.risks}
    if "safety" in risks or _find(SAFETY, customer_text):
        found.append("safety")
    if "legal" in risks or _find(LEGAL, customer_text) or _find(THREAT_LEGAL, customer_text):
        found.append("legal")
    if _find(VULNERABLE, customer_text):
        found.append("vulnerable")
    public = channel.lower() in _PUBLIC
    slips = {"EMAIL", "PHONE", "CARD", "IBAN", "ACCOUNT", "ADDRESS"}
    agent_pii = any(
        kind in slips
        for t, r in zip(turns, roles, strict=True)
        if r == AGENT
        for _, kind in t.pii_terms
    )
    customer_pii = public and any(
        _PII_PLACEHOLDER.search(t.text) for t, r in zip(turns, roles, strict=True) if r != AGENT
    )
    if agent_pii or customer_pii or _find(PRIVACY, customer_text):
        found.append("privacy")
    return tuple(found)


def _need(moves: Sequence[tuple[int, str, str]], end: str) -> str:
    """The best state the advisors reached for the raiser's need."""
    kinds = [m[1] for m in moves]
    if "solved" in kinds or end == "relieved":
        return "solved"
    if "answered" in kinds:
        return "answered"
    if "redirected" in kinds:
        return "redirected"
    return "ignored"


def conversation_outcome(
    turns: Sequence[Turn],
    *,
    channel: str = "",
    stats: Mapping[str, AuthorStats] | None = None,
    roles: Roles | None = None,
    muted: frozenset[str] = frozenset(),
) -> Outcome:
    """The outcome of a thread whose turns are in time order (roles fixed here unless given).

    `muted`: cues (lower case) that coaches' feedback says mislead; they are not read.
    """
    token = _MUTED.set(frozenset(c.lower() for c in muted))
    try:
        return _outcome(turns, channel, roles or thread_roles(turns, stats))
    finally:
        _MUTED.reset(token)


def _outcome(turns: Sequence[Turn], channel: str, roles: Roles) -> Outcome:
    kind, kind_why = service_kind(turns, roles)
    delicate = _delicate(turns, roles.roles, channel) if turns else ()
    base = {"roles": roles.roles, "role_reasons": roles.reasons, "delicate": delicate}
    if kind != "service":
        return Outcome(kind, "other", "none", "none", "not_service", None, "", kind_why, **base)
    raiser = [i for i, r in enumerate(roles.roles) if r == CUSTOMER]
    agents = [i for i, r in enumerate(roles.roles) if r == AGENT]
    first = turns[raiser[0]]
    start, start_cue = _start(first)
    unhappy = _unhappy(first, start)
    replies = [a for a in agents if a > raiser[0]]
    if not replies:
        arc = {"complaint": "unresolved", "praise": "praise"}.get(start, "question")
        need = "none" if start in ("praise", "other") else "ignored"
        why = f"{start} ({start_cue!r}), no advisor replied" if start_cue else "no advisor replied"
        return Outcome(kind, start, need, "none", arc, None, start_cue, why, **base)

    moves = [(a, *_agent_move(turns[a])) for a in replies]
    after = [i for i in raiser if i > replies[0]]
    last = turns[after[-1]] if after else None
    end, end_cue = _end(last) if last is not None else ("none", "")
    if end not in BETTER and end not in WORSE:
        # A threat or an outburst earlier in the exchange stands unless the customer ends better.
        for i in after[:-1]:
            earlier, earlier_cue = _end(turns[i])
            if earlier in WORSE:
                end, end_cue = earlier, earlier_cue
    need = _need(moves, end)
    if start in ("praise", "other") and need in ("answered", "ignored"):
        need = "none"

    change = 0.0
    if end in BETTER:
        change = {"satisfied": 0.5, "relieved": 0.75, "delighted": 1.0}[end]
    elif end in WORSE:
        change = -0.75 if end == "angrier" else -1.0
    if not unhappy and change > 0:
        change /= 2

    before_end = [m for m in moves if after and m[0] < after[-1]]
    helped = [m for m in before_end if m[1] in ("solved", "answered")]
    arc, pivotal, cue, why = "", None, "", ""
    elsewhere = bool(last is not None and _find(ELSEWHERE, last.text))
    if (
        unhappy
        and end in BETTER
        and helped
        and not elsewhere
        and not (end == "satisfied" and need == "redirected")
    ):
        arc = "recovery"
        pick = next((m for m in reversed(helped) if m[1] == "solved"), helped[-1])
        pivotal, cue = pick[0], pick[2] or end_cue
        why = (
            f"upset at first ({start_cue!r}); the advisor {pick[1]} it"
            + (f" ({pick[2]!r})" if pick[2] else "")
            + f"; ends {end} ({end_cue!r})"
        )
    elif end in WORSE and before_end:
        # The reply just before the first turn that shows the worsening.
        worse_at = next(
            (i for i in after if _find(THREAT, turns[i].text) or _find(ANGRIER, turns[i].text)),
            after[-1],
        )
        pick = next((m for m in reversed(moves) if m[0] < worse_at), before_end[-1])
        arc, pivotal, cue = "escalation", pick[0], end_cue
        why = (
            f"after the advisor {pick[1]}"
            + (f" ({pick[2]!r})" if pick[2] else "")
            + f", the customer ends {end} ({end_cue!r})"
        )
    elif start == "praise":
        arc, cue, why = "praise", start_cue, f"praise ({start_cue!r})"
    elif start == "complaint":
        arc, cue = "unresolved", end_cue or start_cue
        why = f"complaint ({start_cue!r}), need {need}, ends {end}" + (
            f" ({end_cue!r})" if end_cue else ""
        )
    else:
        arc, cue = ("question" if start == "request" else "unresolved"), start_cue
        if start == "other":
            arc = "praise" if end in BETTER else "unresolved"
        why = f"{start}" + (f" ({start_cue!r})" if start_cue else "") + f", need {need}, ends {end}"
    return Outcome(kind, start, need, end, arc, pivotal, cue, why, change=round(change, 4), **base)
