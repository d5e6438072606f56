"""The cheap gates of nlp.names: every cue of a rule family holds one of the family's key words,
so gating never hides a name the rules would find."""

import pytest

from nlp import names

STRONG = [
    "my name is", "my name's", "name is", "name's", "name:", "i am called", "signed", "ask for",
    "asked for", "asking for", "spoke to", "speak with", "speaking to", "talked to", "talk with",
    "talking to", "chatted with", "chatting with", "dealt with", "helped by", "served by",
    "seen by", "assisted by", "thanks to", "thank you to", "shout out to", "shoutout to",
    "kudos to", "a guy called", "the lady named", "called", "named", "your agent", "the advisor",
    "adviser", "rep", "representative", "associate", "colleague", "manager", "supervisor",
    "engineer", "technician", "driver", "courier", "cashier", "employee", "operator",
    "team member", "staff member", "my husband", "my wife", "my son", "my daughter", "my partner",
    "my mother", "my father", "my mum", "my mom", "my dad", "my brother", "my sister",
    "my friend", "my boyfriend", "my girlfriend", "je m'appelle", "je m’appelle", "je me nomme",
    "mon nom est", "mon nom c'est", "mon prénom est", "mon prénom c'est", "moi c'est", "nom :",
    "prénom:", "signé", "de la part de", "demande ", "demander ", "demandez ", "demandé ",
    "demandée ", "parlé à", "parler avec", "discuté avec", "eu affaire à", "j'ai eu", "j’ai eu",
    "appelé", "appelée", "nommé", "nommée", "prénommé", "prénommée", "merci à", "grâce à",
    "le conseiller", "la conseillère", "l'agent", "votre technicien", "une technicienne",
    "le livreur", "la livreuse", "le responsable", "le vendeur", "la vendeuse", "l'opérateur",
    "l'opératrice", "ma collègue", "le chauffeur", "le caissier", "la caissière", "l'hôtesse",
    "mon interlocuteur", "mon interlocutrice", "mon mari", "ma femme", "mon fils", "ma fille",
    "mon conjoint", "ma conjointe", "ma compagne", "mon compagnon", "ma mère", "mon père",
    "mon frère", "ma sœur", "ma soeur", "mon ami", "mon amie", "mon épouse", "mon époux",
]  # fmt: skip
GREETING = [
    "thanks", "thank you", "thx", "ty", "cheers", "hi", "hello", "hey", "dear", "regards",
    "best regards", "kind regards", "best wishes", "many thanks", "merci", "merci beaucoup",
    "bonjour", "bonsoir", "salut", "coucou", "cordialement", "bien à vous", "bonne journée",
    "bonne soirée",
]  # fmt: skip
WEAK = ["i'm", "i’m", "i am", "this is", "it's", "it is", "je suis", "c'est", "c’est", "ici",
        "from", "par", "avec"]  # fmt: skip
TITLES = ["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Mme", "Mlle", "Mmes", "Monsieur", "Madame",
          "Mademoiselle", "Docteur", "Professor", "Prof", "Mr.", "M."]  # fmt: skip


def _tokens(text: str) -> set[str]:
    return set(names._LETTERS_RE.findall(text.lower()))


@pytest.mark.parametrize("cue", STRONG)
def test_strong_cues_pass_their_gate(cue):
    assert names._CUE_LOWER_RE.search(cue.lower() + " x"), cue  # the list matches the rules
    assert names._STRONG_KEYS & _tokens(cue), cue


@pytest.mark.parametrize("cue", GREETING)
def test_greetings_pass_their_gate(cue):
    assert names._GREETING_RE.search(cue + " Zébulon."), cue
    assert names._GREETING_KEYS & _tokens(cue), cue


@pytest.mark.parametrize("cue", WEAK)
def test_weak_cues_pass_their_gate(cue):
    assert names._WEAK_RE.search(cue + " Zébulon Quintavalle"), cue
    assert names._WEAK_KEYS & _tokens(cue), cue


@pytest.mark.parametrize("title", TITLES)
def test_titles_pass_their_gate(title):
    assert names._TITLE_RE.search(title + " Quintavalle"), title
    assert names._TITLE_KEYS & _tokens(title), title


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I spoke to Zébulon Quintavalle today", "Zébulon Quintavalle"),
        ("Votre technicien, Yannick, est venu hier", "Yannick"),
        ("Siobhan at your Leeds store was great", "Siobhan"),
        ("Julie de l'agence de Lyon", "Julie"),
        ("#ThanksZebulon for the help", "Zebulon"),
        ("Mme Le Goff ne répond pas", "Le Goff"),
        ("Sarah was lovely", "Sarah"),
        ("I'm Zébulon Quintavalle", "Zébulon Quintavalle"),
    ],
)
def test_gated_rules_still_find_names(text, name):
    found = [text[s:e] for s, e in names.find_person_names(text)]
    assert name in found


def test_no_capital_no_name():
    assert names.find_person_names("i spoke to sarah at your leeds store") == []
