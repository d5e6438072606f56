"""Cue words of customer-care conversations, in English and French, for `curation.outcome`.

Each list is a compiled alternation matched as whole words (case-insensitive). They were written
on the development split of the annotated set (data/eval/conversations), never on its test split.
Word lists only, kept in one module because they are read together: a cue added to one list is
checked against the others (a word that means "angrier" must not also mean "waiting").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_META = set("\\()[]|.^$")
_OPTIONAL = set("?*{")


def _literal_start(pattern: str) -> str:
    """The literal text a plain pattern starts with, up to its first operator ("" if none)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            char, i = pattern[i + 1], i + 1  # an escaped sign, such as \? or \.
        elif char in _OPTIONAL:
            return "".join(out[:-1])
        elif char in _META or char == "+":
            break
        out.append(char)
        i += 1
    return "".join(out)


def _anchors(pattern: str) -> list[str]:
    """Literal starts of `pattern` (lower case), one of which every match begins with; [""]
    when the pattern has none (it must always be searched)."""
    if pattern.startswith("(?:"):
        depth, end = 0, -1
        for i, char in enumerate(pattern):
            if char == "(" and (i == 0 or pattern[i - 1] != "\\"):
                depth += 1
            elif char == ")" and pattern[i - 1] != "\\":
                depth -= 1
                if depth == 0:
                    end = i
                    break
        inner, after = pattern[3:end], pattern[end + 1 : end + 2]
        if end < 0 or "(" in inner or after in ("*", "{"):
            return [""]
        starts = [_literal_start(alt).lower() for alt in inner.split("|")]
        if after == "?":  # an optional opening group: the rest may start the match too
            return starts + _anchors(pattern[end + 2 :])
        return starts
    return [_literal_start(pattern).lower()]


# Typographic apostrophes ("I’ve", "doesn’t": phones type them) read as the plain one the cues
# are written with; one character for one, so a match's positions hold in the text as written.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def plain(text: str) -> str:
    """`text` with its typographic apostrophes as plain ones (same length)."""
    return text.translate(_APOSTROPHES)


class Cues:
    """Whole-word cues (case-insensitive). A regular expression with dozens of alternatives is
    slow to run over every text, so each search first checks, in C, that the lower-cased text
    holds the literal start of at least one alternative: same matches, a fraction of the time."""

    def __init__(self, *patterns: str) -> None:
        self.pattern = re.compile(
            r"(?<![\w@#])(?:" + "|".join(patterns) + r")(?![\w])", re.IGNORECASE
        )
        anchors = [a for p in patterns for a in _anchors(p)]
        # One alternative without a literal start: every text must be searched.
        self.anchors: tuple[str, ...] | None = None if "" in anchors else tuple(set(anchors))

    def _maybe(self, text: str) -> bool:
        if self.anchors is None:
            return True
        lowered = text.lower()
        return any(a in lowered for a in self.anchors)

    def search(self, text: str) -> re.Match[str] | None:
        """The first match (in `plain(text)`), or None."""
        text = plain(text)
        return self.pattern.search(text) if self._maybe(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every match (in `plain(text)`), in order."""
        text = plain(text)
        return self.pattern.finditer(text) if self._maybe(text) else iter(())


def words(*patterns: str) -> Cues:
    """Cues matched as whole words (not inside a word, a @handle or a #hashtag)."""
    return Cues(*patterns)


COMPLAINT = words(
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
    r"jamais re[çc]ue?s?",
    r"toujours rien",
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
    r"énerv[ée]\w*",
    r"enerv[ée]\w*",
    r"marre",
    r"pas normal",
    # 4 December 2026, from the written dev threads (data/eval/conversations, written:dev):
    # damage, mistakes, repeats, confusion over a bill, a place closed, nothing received.
    r"ruined",
    r"damaged",
    r"soaked",
    r"abîmée?s?",
    r"cassée?s?",
    r"mistake",
    r"erreur",
    r"wrong (?:item|order|size|address|amount|bill|charge|number|one|parcel|product)",
    r"instead of",
    r"au lieu de",
    r"(?:\d+(?:st|nd|rd|th|e|ème)|second|third|fourth|deuxième|troisième) (?:time|fois)",
    r"(?:don'?t|do not|can'?t) understand",
    r"(?:ne )?comprends? (?:pas|rien)",
    r"(?:is|was|are|were) closed",
    r"(?:est|était) fermée?",
    r"fermée?",
    r"didn'?t make it",
    r"(?:got|received|earned|get) (?:zero|nothing)",
    r"can'?t (?:pay|afford)",
    r"le (?:double|triple)",
    r"😡",
    r"😤",
    r"🤬",
    r"😠",
)
PRAISE = words(
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
REQUEST = words(
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
REDIRECT = words(
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
    # An invitation to say more on a web form ("Please tell us more so we can help: <link>").
    r"(?:tell|let) us (?:know )?more(?=[^?\n]{0,40}https?://)",
    r"dites-nous(?:-en| en)? plus(?=[^?\n]{0,40}https?://)",
    r"(?:our|the) team will (?:connect|reach|contact|follow)",
    r"(?:see|speak to|visit) (?:an|a|the) (?:agent|store|branch)",
)
# The customer's issue was settled somewhere else than in this conversation.
ELSEWHERE = words(
    r"(?:via|by|through|over) (?:the )?(?:phone|chat|email|store|branch)(?: support)?",
    r"on (?:its|their) own",
    r"by itself",
    r"team lead",
    # The customer fixed it themselves (the rubric: a recovery is better off because of what the
    # advisor did): undoing the change, or doing it alone.
    r"(?:i|we) (?:just )?(?:went back to|downgraded|rolled back|reverted|reinstalled)",
    r"(?:fixed|sorted|solved|figured out|worked out) it (?:out )?(?:myself|ourselves)",
    r"(?:on my own|by myself|par moi-même|toute? seule?)",
    r"j'ai (?:fini par|réussi à) (?:le |la |les )?(?:régler|réparer|résoudre|trouver)",
)
SOLVED_AGENT = words(
    r"(?:we|i)(?:'ve| have) (?:now )?(?:refunded|fixed|sent|processed|credited|resolved|"
    r"updated|reset|issued|applied|added|corrected|replaced|rebooked|reinstated|cancelled|removed|"
    r"arranged|restored|reactivated|waived|found|unlocked|unblocked|re-?enabled)",
    r"(?:we|i)(?:'ve| have) (?:just )?pushed (?:a|the) fix",
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
    # The French of the first line's verbs, with "je" or "nous" and an object pronoun ("je vous
    # ai crédité", "nous l'avons réactivé").
    r"(?:j'|je (?:vous |lui |leur |les |l'|t')|nous (?:vous |lui |leur |les |l')?)(?:ai|avons) "
    r"(?:bien |déjà |donc |aussi |maintenant )?(?:remboursé|réparé|envoyé|traité|crédité|résolu|"
    r"mis à jour|réinitialisé|émis|appliqué|ajouté|corrigé|remplacé|rétabli|réintégré|annulé|"
    r"supprimé|retiré|organisé|restauré|réactivé|renoncé|retrouvé|débloqué|réglé|fait)e?s?",
    r"(?:that's|it's|all|correction|change) done",
    r"c'est (?:fait|chose faite)",
    r"part aujourd'hui",
    r"closed with (?:monetary|non-monetary) relief",
    r"closed with relief",
)
# What a CFPB company answer says: explained (answered) or nothing in time (ignored).
EXPLAINED = words(r"closed with explanation", r"closed")
UNTIMELY = words(r"untimely response", r"in progress")
THREAT = words(
    r"cancel(?:l?ing|l?ed)? (?:my|the|our|this|your)? ?(?:account|service|subscription|contract|"
    r"membership|order|plan|card|premium|policy)",
    r"(?:je |j')?(?:cancel|annule|résilie)\w* (?:mon|ma|mes) \w+",
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
    # 4 December 2026, from the written dev threads: leaving, warning others, regulators.
    r"(?:moving|taking) (?:everything|my \w+|it all)(?: i have left)? to another",
    r"tell(?:ing)? (?:my|everyone|all|every)",
    r"avoid (?:this|you|them|it)",
    r"report(?:ed|ing)? (?:it|this|you|them) to",
    r"trading standards",
    r"ofcom",
    r"ofgem",
    r"chargeback",
    r"dgccrf",
    r"cnil",
    r"arcep",
    r"défenseur des droits",
    r"clôtur\w* (?:mon|mes|ma) \w+",
    r"(?:raconter|dire) (?:ça|cela|tout ça) partout",
    r"je préviens (?:tout|tous|mon|mes)",
    r"(?:appli|application|app) (?:désinstallée|supprimée|deleted|uninstalled)",
    r"(?:désinstall|uninstall)\w*",
    r"(?:je )?change de (?:fournisseur|banque|opérateur|crèmerie)",
    r"(?:fais|faire) opposition",
)
ANGRIER = words(
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
    r"are you (?:\w+ )?(?:kidding|serious|joking)",
    r"(?:are you|do you) (?:even|actually) read\w*",
    r"vous n'avez (?:pas|même pas) lu",
    r"(?:répondre|répondez) à côté",
    r"pénible",
    r"vous vous (?:fichez|foutez) de",
    r"personne n'est responsable",
    r"nobody trusts",
    r"so the answer is",
    r"(?:pay|payer) (?:more|extra|en plus)",
    r"so you(?:'re| are)",
    r"thanks for nothing",
    r"merci pour rien",
    r"vous me prenez pour (?:qui|un|une|des)",
    r"you think (?:i'?m|we'?re) (?:stupid|an idiot|idiots|dumb)",
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
WAITING = words(
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
RELIEVED = words(
    r"finally",
    r"phew",
    r"(?:it'?s |it is )?(?:working|works) (?:now|again|fine)",
    r"(?:it|that) (?:worked|fixed it|did it|did the trick)",
    r"(?:is|got|been|now|all|it'?s) (?:fixed|sorted)",
    r"fixed (?:it|now)",
    r"sorted (?:it|now)",
    r"resolved",
    r"all good(?: now)?",
    # Not the body part ("watch my back on Nov. 13"): service is back on, not "my back".
    r"(?<!my )(?<!your )(?<!his )(?<!her )(?<!our )(?<!their )back (?:up|on|online)",
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
    r"thank (?:god|goodness|heavens)",
    r"what a relief",
    r"quel soulagement",
    r"soulagée?",
    r"(?:i was|i'?d been|j'étais) (?:so )?(?:panicking|worried|in bits|shaking|terrified|"
    r"paniquée?|inquièt\w*)",
    r"j'ai eu (?:très )?peur",
)
# The customer reports the fix: families of "fixed / sorted / solved / resolved / worked / works"
# and "réglé / résolu / réparé / ça marche / fonctionne", matched by stem plus an ending (group 1
# the stem, group 2 the ending) so every form of a family counts (`curation.outcome.
# fix_confirmed` adds the guards). Written as families of the language, not from dev threads.
FIXED_BY_CUSTOMER = re.compile(
    r"(?<![\w@#])(fix|sort|solv|resolv|work|régl|résol|répar|march|fonctionn|remarch)"
    r"(ed|s|ing|ée?s?|ue?s?|e)(?!\w)",
    re.IGNORECASE,
)
# Stems whose present forms report the fix too ("it works", "working now", "ça marche",
# "fonctionne"); they never count in a French past form ("marché" is a market). The other
# stems count in past forms only ("fixed", "réglé", "résolu"; not "fixing", "sorts").
FIXED_PRESENT_OK = frozenset({"work", "march", "fonctionn", "remarch"})
PRESENT_ENDINGS = ("ed", "s", "ing", "e")
# Just before the fix word: a negation, a modal, a wish or a condition (within 25 characters).
FIX_UNSURE_BEFORE = re.compile(
    r"(?<!\w)(?:not?|none|nothing|never|still|need|needs|to be|should|must|will|if|when|hope|"
    r"please|can|could|pas|plus|jamais|rien|aucune?|toujours|ne|faut|doit|si|quand|pour)(?!\w)"
    # "isn't", "hasn't" and the French "n'est", "n'a": the negation ends or starts a word.
    r"|n['’]t(?!\w)|(?<!\w)n['’](?=\w)",
    re.IGNORECASE,
)
# Just after it: "pas", "plus", "yet" ("ça marche pas", "not fixed yet").
FIX_UNSURE_AFTER = re.compile(r"\s*(?:pas|plus|yet)\b", re.IGNORECASE)
DELIGHTED = words(
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
    r"(?:just )?saved (?:my|the|this|our) (?:day|night|week|holiday|trip|life|bacon|weekend)",
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
SATISFIED = words(
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
    r"(?:i'?m |je suis )?(?:satisfied|satisfaite?)",
    r"(?:it'?s|its|it is|they'?re|they are|theyre) (?:all )?(?:here|there|back)",
    r"happy with (?:this|that|it|the)",
    r"spot on",
    r"top (?:man|woman|guy|bloke|lad)",
    r"(?:bien|très) aimable",
    r"(?:très|vraiment|c'est) gentil",
    r"(?:payment|refund|money|credit|replacement|parcel|package|order|both)(?: \w+)? (?:received|"
    r"arrived|came|turned up)",
    r"received,? (?:both|all|it|them|thanks|thank you)",
    r"(?:remboursement|virement|paiement|colis|avoir|argent)(?: \w+)? (?:bien )?(?:reçue?|"
    r"arrivée?)",
    r"bien (?:remboursée?|arrivée?)",
    # A review or survey score raised after the reply ("moving this to 4 stars", "je remonte ma
    # note à 8"); a low score at the start is read by `rating`.
    r"(?:moving|raising|changing|upping|bumping|updat\w+) (?:this|it|my (?:review|rating|score))"
    r"(?: up)? to \d+",
    r"(?:remonte|passe|change|augmente|mets)\w* (?:ma note |mon avis |mon évaluation )?à \d+",
    r"got it[.!]",
    r"parfait",
    r"super",
    r"nickel",
    r"top",
    r"😊",
    r"👍",
)
THANKS = words(r"thanks?", r"thank you", r"thx", r"ty", r"merci", r"cheers")
SAFETY = words(
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
VULNERABLE = words(
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
LEGAL = words(
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
THREAT_LEGAL = words(r"médiateur", r"ufc", r"que choisir", r"bbb", r"cfpb", r"regulator")
PRIVACY = words(
    r"hacked",
    r"compromised",
    r"identity theft",
    r"(?:sell|sold|selling) my (?:personal )?(?:info|information|data)",
    r"personal (?:info|information|data)",
    r"usurpation",
    r"piraté",
    r"données personnelles",
)
PII_PLACEHOLDER = re.compile(r"\[(?:EMAIL|PHONE|CARD|IBAN|ACCOUNT|ADDRESS)\]")
PUBLIC_CHANNELS = (
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
# A question mark last, before a signature (`-Tara`, `^JK`, or one that redaction turned into
# `-[PERSON]`) and links.
ENDS_WITH_QUESTION = re.compile(
    r"\?\s*(?:[-–—~^*]\s?(?:\w+|\[PERSON\])\.?)?\s*(?:https?://\S+\s*)*$"
)
# What a reply that only closes politely says: thanks, good wishes, glad to have helped.
COURTESY = words(
    r"thanks?",
    r"thank you",
    r"(?:we|i) appreciate",
    r"(?:you're|you are) welcome",
    r"(?:glad|happy|pleased) (?:to|we|that|it)",
    r"have a (?:great|good|nice|lovely) (?:day|evening|weekend|one|trip|flight)",
    r"enjoy",
    r"take care",
    r"merci",
    r"avec plaisir",
    r"de rien",
    r"ravie?",
    r"bonne (?:journée|soirée|fin de journée|continuation)",
    r"à bientôt",
)
# A closing courtesy, not a question the customer must answer: "Anything else I can help with?",
# "Puis-je faire autre chose pour vous ?" (read in the last sentence before the question mark).
COURTESY_QUESTION = words(
    r"anything else",
    r"(?:help|assist) (?:you )?(?:with )?(?:anything|something) else",
    r"autre chose",
    r"d'autres questions",
    r"any other questions",
)


# A score given in a review or survey: "1 star", "2/5", "3/10", "★★☆☆☆", "une étoile".
_SCORE = re.compile(
    r"(?<![\w.,])(\d{1,2}(?:[.,]5)?)\s?/\s?(5|10)(?![\d])"
    r"|(?<![\w.,])([0-5]|one|two|three|four|five|une|deux|trois|quatre|cinq)[\s-]?"
    r"(?:stars?|étoiles?)(?!\w)"
    r"|([★☆]{5})",
    re.IGNORECASE,
)
_SCORE_WORDS = {"one": 1, "une": 1, "two": 2, "deux": 2, "three": 3, "trois": 3, "four": 4,
                "quatre": 4, "five": 5, "cinq": 5}  # fmt: skip


def rating(text: str) -> float | None:
    """The first review or survey score in `text`, from 0 to 1 (1 star of 5: 0.2), or None."""
    m = _SCORE.search(text)
    if m is None:
        return None
    if m.group(1):
        value, scale = float(m.group(1).replace(",", ".")), float(m.group(2))
        return min(value / scale, 1.0)
    if m.group(3):
        word = m.group(3).lower()
        return (_SCORE_WORDS.get(word) or int(word)) / 5
    return m.group(4).count("★") / 5


# Just before an "angrier" cue: a negation ("for not making me feel like an idiot", "pas
# inadmissible"), within 30 characters: the cue is not the customer's feeling.
NEGATED_BEFORE = re.compile(
    r"(?<!\w)(?:not|never|no|none|nothing|pas|jamais|sans|rien|aucune?)(?!\w)|n['’]t(?!\w)",
    re.IGNORECASE,
)
# Just after a redirect cue: a condition ("DM me if he isn't there"): a fallback, not a redirect.
CONDITION_AFTER = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:if|in case|si)\b", re.IGNORECASE)
