"""MinHash signatures of redacted text and their LSH band keys."""

from curation import similarity as sim

COMPLAINT_EN = "My parcel was LOST again and nobody answers my emails, call me at [PHONE] right now"
COMPLAINT_FR = (
    "Mon colis est encore perdu et personne ne répond à mes mails, appelez-moi au [PHONE]"
)


def test_tokens_drop_handles_and_links_and_keep_placeholders():
    assert sim.tokens("@acme My PARCEL https://t.co/x is lost, call [PHONE]!") == [
        "my",
        "parcel",
        "is",
        "lost",
        "call",
        "[phone]",
    ]


def test_content_terms_leave_out_stop_words_placeholders_and_numbers():
    terms = sim.content_terms("The parcel 123 is lost, écrivez à [EMAIL] svp, it is a joke")
    assert terms == ["parcel", "lost", "écrivez", "joke"]
    # Every kind of placeholder redaction writes (nlp/redact.py), not only the first ones.
    text = "[ACCOUNT] [ADDRESS] [HANDLE] [PERSON] [CARD] [IBAN] [PHONE] adresse déçu"
    assert sim.content_terms(text) == ["adresse", "déçu"]


def test_french_words_lose_their_elided_article_or_pronoun():
    # "s'est" is "est", a stop word; "l'appli" and "appli" are one term (a family's name read
    # "client · concurrence · d'avance" and "s'est" among its distinctive words)
    terms = sim.content_terms("Merci d'avance, l'appli s'est bloquée, qu'elle marche, appli")
    assert terms == ["avance", "appli", "bloquée", "marche", "appli"]
    assert sim.content_terms("presqu'île") == ["presqu'île"]  # not an elided word
    assert sim.content_terms("d'accord, je n'arrive pas") == []  # stop words as written


def test_near_duplicates_share_a_band_key_and_differ_little():
    copy = sim.dup_signature("@123456 " + COMPLAINT_EN.lower() + "!!!")
    sig = sim.dup_signature(COMPLAINT_EN)
    assert sig is not None and copy is not None
    assert sim.similarity(sig, copy) >= sim.DUP_VERIFY
    assert set(sim.dup_keys(sig)) & set(sim.dup_keys(copy))


def test_signatures_survive_the_store_and_short_texts_have_none():
    sig = sim.dup_signature(COMPLAINT_EN)
    assert sig is not None and sim.similarity(sim.decode(sim.encode(sig)), sig) == 1.0
    assert sim.dup_signature("merci !") is None
    assert sim.family_signature(["merci"]) is None


def test_band_keys_depend_on_the_situation():
    sig = sim.family_signature(sim.content_terms(COMPLAINT_EN))
    assert sig is not None
    assert set(sim.family_keys(sig, "delivery")).isdisjoint(sim.family_keys(sig, "billing"))


def test_band_keys_depend_on_the_language():
    # "code · vérification · advance": a family held French and English cases, named in both
    sig = sim.family_signature(sim.content_terms(COMPLAINT_EN))
    assert sig is not None
    english, french = sim.family_keys(sig, "delivery", "en"), sim.family_keys(sig, "delivery", "fr")
    assert set(english).isdisjoint(french)
