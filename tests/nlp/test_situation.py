import random
import re

import pytest

from nlp.situation import OTHER, Taxonomy, compile_keywords, fold, negated, word_runs

REQUIRED = {
    "billing_payment",
    "order_booking",
    "delivery_logistics",
    "service_disruption",
    "product_quality",
    "account_access",
    "technical_support",
    "support_experience",
    "churn_threat",
    "praise",
    "information_request",
    "other",
}


@pytest.fixture(scope="module")
def taxonomy():
    return Taxonomy.load()


def test_taxonomy_file_shape(taxonomy):
    assert set(taxonomy.situations) == REQUIRED
    for key, spec in taxonomy.spec["situations"].items():
        assert set(spec["labels"]) == {"en", "fr"}
        assert spec["description"]
        if key != OTHER:
            for lang in ("en", "fr"):
                # Enough to recognise a situation, few enough for a coach to read at a glance.
                assert 15 <= len(spec["keywords"][lang]) <= 60, (key, lang)
    assert set(taxonomy.spec["risks"]) == {"churn", "legal", "safety", "public_escalation"}


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("I was charged twice on my invoice and want a refund", "en", "billing_payment"),
        ("On m'a prélevé deux fois, je veux être remboursé", "fr", "billing_payment"),
        ("My parcel never arrived, the tracking says delivered", "en", "delivery_logistics"),
        ("Mon colis n'est jamais arrivé, le livreur ment", "fr", "delivery_logistics"),
        ("No internet since yesterday, outage again", "en", "service_disruption"),
        ("Panne de fibre depuis 3 jours, plus d'internet", "fr", "service_disruption"),
        ("The kettle arrived broken, cracked lid, poor quality", "en", "product_quality"),
        ("Article défectueux et abîmé, qualité médiocre", "fr", "product_quality"),
        ("I'm locked out of my account, password reset never comes", "en", "account_access"),
        ("Mot de passe refusé, compte bloqué", "fr", "account_access"),
        ("The app crashes with an error message after the update", "en", "technical_support"),
        ("L'application plante depuis la mise à jour", "fr", "technical_support"),
        ("On hold for an hour then the agent hung up, so rude", "en", "support_experience"),
        ("Conseiller désagréable, il m'a raccroché au nez", "fr", "support_experience"),
        ("I will cancel my contract and switch to a competitor", "en", "churn_threat"),
        ("Je vais résilier et changer d'opérateur", "fr", "churn_threat"),
        ("Thank you Sarah, amazing service, well done!", "en", "praise"),
        ("Merci beaucoup, conseillère au top, bravo", "fr", "praise"),
        ("How do I change my booking reservation?", "en", "order_booking"),
        ("Quels sont vos horaires ? je voudrais savoir", "fr", "information_request"),
        ("lovely weather today", "en", OTHER),
        ("", "und", OTHER),
        ("😡😡😡", "und", OTHER),
    ],
)
def test_classify(taxonomy, text, language, expected):
    result = taxonomy.classify(text, language)
    assert result.situation == expected
    assert 0.0 <= result.confidence <= 1.0
    assert (result.confidence == 0.0) == (expected == OTHER)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # False triggers found on development data (data/eval/situation_rules.py).
        ("Il faut avoir vu ce film au moins une fois", "fr"),  # "avoir" is not a credit note
        ("Un livre que j'ai adoré, je le relis chaque été", "fr"),  # "livré" folds to "livre"
        ("On est scotché à l'écran du début à la fin", "fr"),
        ("Un bon vent frais souffle sur nos salles", "fr"),  # "frais" is also fresh
        ("Une histoire sans identité ni surprise", "fr"),
        ("Greetings from Seattle, lovely weather", "en"),  # "seat*" matched Seattle
    ],
)
def test_ordinary_sentences_are_not_commercial(taxonomy, text, language):
    assert taxonomy.classify(text, language).situation in (OTHER, "praise")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("J'attends toujours un avoir de 30 euros", "fr", "billing_payment"),
        ("Colis perdu, toujours pas reçu", "fr", "delivery_logistics"),
        ("How can I change my delivery address?", "en", "delivery_logistics"),
        ("How do I check the early termination penalty?", "en", "billing_payment"),
        ("Is it possible to create an account for my son?", "en", "account_access"),
    ],
)
def test_a_topic_wins_over_a_question(taxonomy, text, language, expected):
    # information_request is a fallback: a question about a topic is about that topic.
    result = taxonomy.classify(text, language)
    assert result.situation == expected
    assert result.runner_up != result.situation


def test_a_bare_question_is_an_information_request(taxonomy):
    result = taxonomy.classify("How can I know your opening hours?", "en")
    assert result.situation == "information_request"
    assert result.confidence > 0


def test_runner_up(taxonomy):
    result = taxonomy.classify(
        "My refund was never paid and my parcel never arrived, still waiting", "en"
    )
    assert {result.situation, result.runner_up} == {"billing_payment", "delivery_logistics"}


def test_und_language_uses_both_keyword_lists(taxonomy):
    assert taxonomy.classify("colis jamais arrivé", "und").situation == "delivery_logistics"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm going to cancel my subscription and switch to another provider", ["churn"]),
        ("Je vais résilier, je pars chez la concurrence", ["churn"]),
        ("I'm going to another bank unless this is fixed today", ["churn"]),
        ("Je change d'opérateur si rien ne bouge", ["churn"]),
        ("I sent the money to another bank account", []),
        ("My lawyer will hear about this, expect a lawsuit", ["legal"]),
        ("J'ai porté plainte et contacté l'UFC-Que Choisir et mon avocat", ["legal"]),
        ("The charger caught fire, it's dangerous", ["safety"]),
        ("Ma fille a été brûlée par la bouilloire", ["safety"]),
        ("I'll post this everywhere, the press will love it", ["public_escalation"]),
        ("Tout le monde saura, j'appelle un journaliste", ["public_escalation"]),
        ("Je résilie, et mon avocat préviendra la presse", ["churn", "legal", "public_escalation"]),
        ("Thanks for the quick reply", []),
        ("", []),
    ],
)
def test_risks(taxonomy, text, expected):
    assert taxonomy.risks(text) == expected


@pytest.mark.parametrize(
    ("keywords", "text", "hit"),
    [
        (["refund*"], "REFUNDED", True),
        (["bill"], "billion", False),
        (["mot de passe"], "mot   de\npasse", True),
        (["prélèvement*"], "prelevements", True),
        (["je m'en vais"], "je m’en vais", True),
    ],
)
def test_keyword_matching(keywords, text, hit):
    regex = compile_keywords(keywords)
    assert bool(regex.search(fold(text))) is hit


def test_custom_taxonomy_path(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "situations:\n  pets:\n    labels: {en: Pets, fr: Animaux}\n    keywords: {en: [dog], fr: [chien]}\n"
        "  other:\n    labels: {en: Other, fr: Autre}\n    keywords: {en: [], fr: []}\n",
        encoding="utf-8",
    )
    taxonomy = Taxonomy.load(path)
    assert taxonomy.classify("my dog", "en").situation == "pets"
    assert taxonomy.risks("anything") == []


# ---------------------------------------------------------------- keyword gates


def _keyword_texts(taxonomy, seed, n=2000):
    """Texts of the taxonomy's keywords, cut, glued to other words, accented, in capitals."""
    import random

    rng = random.Random(seed)
    keywords = sorted(
        {
            str(k)
            for section in ("situations", "risks")
            for value in (taxonomy.spec.get(section) or {}).values()
            for words in (value.get("keywords") or {}).values()
            for k in words
        }
    )
    noise = ["the", "a", "my", "était", "re", "un", "-", "'", "l'", "#", "@user", "2024", "_"]

    def piece():
        word = rng.choice(keywords).rstrip("*")
        roll = rng.random()
        if roll < 0.2:
            word = word[: rng.randint(1, max(1, len(word) - 1))]
        elif roll < 0.3:
            word = rng.choice(noise) + word
        elif roll < 0.4:
            word = word + rng.choice(["s", "ed", "ing", "_", "x", "-ok", "'s"])
        elif roll < 0.5:
            word = word.upper()
        return word

    return [
        rng.choice([" ", "  ", ", ", "-", "\n"]).join(
            piece() if rng.random() < 0.5 else rng.choice(noise) for _ in range(rng.randint(0, 12))
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize("seed", range(3))
def test_keyword_gates_never_close_on_a_match(taxonomy, seed):
    from nlp.situation import TextWords

    closed = matched = 0
    for text in _keyword_texts(taxonomy, seed):
        folded = fold(text)
        starts = TextWords(folded)
        pairs = [
            (taxonomy._situation_res[lang][key], taxonomy._situation_gates[lang][key])
            for lang in taxonomy._situation_res
            for key in taxonomy._situation_res[lang]
        ] + [(taxonomy._risk_res[key], taxonomy._risk_gates[key]) for key in taxonomy._risk_res]
        for regex, gate in pairs:
            if regex is None:
                continue
            if regex.search(folded):
                matched += 1
                assert gate.open(starts), (text, regex.pattern[:60])
            elif not gate.open(starts):
                closed += 1
    assert matched > 1000 and closed > 1000


@pytest.mark.parametrize("seed", range(2))
def test_keyword_index_names_the_open_gates(taxonomy, seed):
    from nlp.situation import TextWords

    indexes = [
        (taxonomy._situation_index[lang], taxonomy._situation_gates[lang])
        for lang in taxonomy._situation_index
    ] + [(taxonomy._risk_index, taxonomy._risk_gates)]
    opened = 0
    for _ in range(2):  # the second time, from the index's cache of runs
        for text in _keyword_texts(taxonomy, seed, 1000):
            words = TextWords(fold(text))
            for index, gates in indexes:
                expected = {name for name, gate in gates.items() if gate.open(words)}
                assert index.candidates(words) == expected, text
                opened += len(expected)
    assert opened > 2000


@pytest.mark.parametrize("language", ["en", "fr", "und"])
def test_classify_and_risks_same_as_every_regex(taxonomy, language):
    """The gated reading gives what running every regex gives."""
    for text in _keyword_texts(taxonomy, 7, 600):
        folded = fold(text)
        languages = [language] if language in ("en", "fr") else ["en", "fr"]
        scores = {}
        for lang in languages:
            for key, regex in taxonomy._situation_res[lang].items():
                negation = taxonomy._negation[lang].get(key)
                hits = {
                    m.group()
                    for m in (regex.finditer(folded) if regex else ())
                    if negation is None or not negated(folded, m.start(), *negation)
                }
                if hits:
                    score = taxonomy._weights[key] * sum(len(h.split()) for h in hits)
                    scores[key] = max(scores.get(key, 0.0), score)
        risks = [k for k, r in taxonomy._risk_res.items() if r is not None and r.search(folded)]
        situation, got_risks = taxonomy.classify_and_risks(text, language)
        assert situation.scores == scores
        assert got_risks == risks == taxonomy.risks(text)
        assert taxonomy.classify(text, language) == situation


@pytest.mark.parametrize(
    ("keywords", "text", "found"),
    [
        (["app*"], "the application crashed", True),  # a stem shorter than the gate's prefixes
        (["tv"], "my tv is broken", True),
        (["tv"], "tvs and tvshows", False),
        (["e-mail"], "send an e-mail", True),
        (["remboursement*"], "rembourse", False),
        (["remboursement*"], "remboursements", True),
        (["not working"], "not  working", True),
        (["à jour"], "mise a jour", True),  # folded like the text
    ],
)
def test_keyword_gate_opens_where_the_regex_matches(keywords, text, found):
    from nlp.situation import KeywordGate, TextWords

    regex, gate = compile_keywords(keywords), KeywordGate(keywords)
    folded = fold(text)
    assert (regex.search(folded) is not None) == found
    if found:
        assert gate.open(TextWords(folded))
    # Nothing of the keywords in the text: the gate is closed.
    assert not gate.open(TextWords(fold("xyz qqq 42")))


def test_word_runs_are_what_the_regex_finds():
    rng = random.Random(0)
    alphabet = [chr(c) for c in range(128)] + list("éÉß_ǅ١٢😀\u00a0\u2019ﬁ")
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    texts += ["", " ", "_", "a_b c-d", "x\x1fy\x7fz", "naïve café", "l'été 2024"]
    assert [t for t in texts if word_runs(t) != re.findall(r"\w+", t)] == []


@pytest.mark.parametrize(
    ("text", "language", "praise"),
    [
        ("Not impressed. The lounge pass keeps rebooting on its own.", "en", False),
        ("I am not very impressed with this", "en", False),
        ("No thanks, I will wait", "en", False),
        ("It isn't great, to be honest", "en", False),
        ("not so helpful tbh", "en", False),
        ("No problem, thanks a lot!", "en", True),
        ("Never been so impressed, thank you", "en", True),
        ("Amazing service, thanks Jo", "en", True),
        ("Franchement ce n'est pas top", "fr", False),
        ("Je ne suis pas du tout ravie", "fr", False),
        ("ça n'a pas été génial", "fr", False),
        ("Je n'ai jamais été aussi ravie, merci", "fr", True),
        ("Merci beaucoup, c'est parfait", "fr", True),
        # praise words, not their longer lookalikes
        ("Happy Thanksgiving everyone", "en", False),
        ("what a thankless job", "en", False),
        ("thanks a lot", "en", True),
        ("I am thankful for your help", "en", True),
        ("thankyou guys", "en", True),
        ("le ravitaillement est en retard", "fr", False),
        ("je suis ravie", "fr", True),
        ("ça ravira les fans", "fr", True),
    ],
)
def test_praise_is_not_negated_praise_nor_a_lookalike(taxonomy, text, language, praise):
    assert ("praise" in taxonomy.classify(text, language).scores) is praise


def test_negated_praise_leaves_the_other_keywords_of_the_text():
    result = Taxonomy.load().classify(
        "Not impressed: my refund never came, thanks for nothing", "en"
    )
    assert result.situation == "billing_payment"
    assert result.scores["praise"] == 1.0  # "thanks" counts, "impressed" does not


def test_any_situation_of_a_custom_taxonomy_may_have_negators():
    spec = {
        "situations": {
            "delay": {
                "keywords": {"en": ["on time"]},
                "negators": {"en": ["not"]},
                "negation_gap": {"en": ["quite"]},
            },
            "other": {"keywords": {"en": []}},
        }
    }
    taxonomy = Taxonomy(spec)
    assert taxonomy.classify("It came on time", "en").situation == "delay"
    assert taxonomy.classify("It was not quite on time", "en").situation == OTHER
    assert taxonomy.classify("It came on time", "fr").situation == OTHER  # no French keywords


@pytest.mark.parametrize(
    ("text", "language", "situation"),
    [
        # customers' everyday phrasings (found on the demo store, where they read "other")
        ("Fix my meter or I'm cancelling everything today!", "en", "churn_threat"),
        ("Give me one reason not to cancel my lounge pass right now!", "en", "churn_threat"),
        ("Any news? Nobody got back to me.", "en", "support_experience"),
        (
            "A copy-paste answer, really? I'm reporting you to the ombudsman!",
            "en",
            "support_experience",
        ),
        ("I've explained my problem to 5 different people", "en", "support_experience"),
        (
            "Une réponse copiée-collée, sérieusement ? Je saisis le médiateur !",
            "fr",
            "support_experience",
        ),
        ("Personne ne lit rien ici.", "fr", "support_experience"),
        ("Honestly the smoothest experience I've had with any company.", "en", "praise"),
        ("Franchement l'expérience client la plus fluide que j'ai eue.", "fr", "praise"),
        ("Update: they sorted everything in 20 minutes.", "en", "praise"),
        ("The TV decoder won't connect to anything.", "en", "technical_support"),
        ("The router keeps rebooting on its own.", "en", "technical_support"),
        ("Your site took my money and never confirmed my booking.", "en", "billing_payment"),
        ("My SIM arrived smashed, the box was open.", "en", "product_quality"),
        ("Bonjour, vous livrez à Lille ?", "fr", "delivery_logistics"),
        # a charge after a cancellation is billing, no outage; a reason not to cancel, churn
        # (the demo quiz's "want" answers: 6 December 2026)
        ("I cancelled weeks ago and you STILL took $32.40 from my card!", "en", "billing_payment"),
        (
            "Donnez-moi une seule raison de ne pas résilier mon compte courant maintenant !!",
            "fr",
            "churn_threat",
        ),
        # a cancellation told as done is no threat to leave: the charge after it is what the
        # customer wants put right (7 December 2026); one still to come is a threat
        (
            "Bonjour, J'AI RÉSILIÉ IL Y A DES SEMAINES ET VOUS AVEZ ENCORE PRÉLEVÉ 29,99 €!!!!",
            "fr",
            "billing_payment",
        ),
        ("Malgré ma résiliation vous m'avez prélevé ce mois-ci.", "fr", "billing_payment"),
        ("After cancelling my plan you charged me again.", "en", "billing_payment"),
        (
            "Si ça continue je vais résilier, et vous avez encore prélevé 12 €.",
            "fr",
            "churn_threat",
        ),
        ("Fix this or I'm cancelling my contract, you charged me twice.", "en", "churn_threat"),
        # going to a competitor, said plainly (the demo's churn threats read "other" until
        # 7 December 2026); going to another shop for an item is no threat
        ("I'm done, I'm going to another airline unless someone helps me", "en", "churn_threat"),
        ("One more outage and I go to another provider.", "en", "churn_threat"),
        ("J'en ai assez, je change de banque si personne ne m'aide.", "fr", "churn_threat"),
        ("Encore un retard et je change de compagnie.", "fr", "churn_threat"),
        ("I had to go to another store to find it.", "en", OTHER),
        # a late parcel's tracking, a device that won't connect, a missed visit, no power
        # (demo complaints that read "other" until 7 December 2026)
        (
            "Mon fauteuil devait arriver il y a 5 jours, le suivi ne bouge plus.",
            "fr",
            "delivery_logistics",
        ),
        ("Le lampadaire ne se connecte à rien, j'ai tout essayé.", "fr", "technical_support"),
        ("Third missed engineer appointment in a row.", "en", "delivery_logistics"),
        ("Troisième rendez-vous technicien raté.", "fr", "delivery_logistics"),
        ("No electricity in Leeds since yesterday morning.", "en", "service_disruption"),
        ("Plus de ligne fixe à Rennes depuis hier matin.", "fr", "service_disruption"),
        # "plus d'électricité" is also "more electricity": no such keyword
        ("Les sceptiques consomment plus d'électricité.", "fr", OTHER),
        # ...and what stays as it was: a general text is no customer-care situation
        ("I tend to just copy and paste an address.", "en", "delivery_logistics"),
        ("Haye smashed it. #boxing", "en", OTHER),
    ],
)
def test_everyday_customer_phrasings(taxonomy, text, language, situation):
    assert taxonomy.classify(text, language).situation == situation


@pytest.mark.parametrize(
    ("text", "language", "situation"),
    [
        ("Can you check my account? Thanks in advance.", "en", "account_access"),
        ("Any update on the order? Thank you in advance!", "en", "order_booking"),
        ("Pouvez-vous m'aider ? Merci d'avance.", "fr", OTHER),
        ("Ma facture est fausse. Merci par avance.", "fr", "billing_payment"),
        # a "merci de" that asks is a "please"; one that thanks is praise
        ("Désolés pour la gêne. Merci de nous contacter en MP.", "fr", OTHER),
        ("Merci de nous avoir aidés, super service", "fr", "praise"),
        # a thanks after the help is praise
        ("Problem solved, thank you so much!", "en", "praise"),
        ("Merci pour votre aide, au top !", "fr", "praise"),
    ],
)
def test_a_thanks_in_advance_is_no_praise(taxonomy, text, language, situation):
    assert taxonomy.classify(text, language).situation == situation


def test_any_situation_of_a_custom_taxonomy_may_have_exceptions():
    spec = {
        "situations": {
            "delay": {"keywords": {"en": ["late"]}, "except": {"en": ["late fee"]}},
            "other": {"keywords": {"en": []}},
        }
    }
    taxonomy = Taxonomy(spec)
    assert taxonomy.classify("My parcel is late", "en").situation == "delay"
    assert taxonomy.classify("Why a late fee?", "en").situation == OTHER
    assert taxonomy.classify("A late fee, and my parcel is late", "en").situation == "delay"
