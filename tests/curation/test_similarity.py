from curation import similarity as sim

COMPLAINT_EN = "My parcel was LOST again and nobody answers my emails, call me at [PHONE] right now"
COMPLAINT_FR = (
    "Mon colis est encore perdu et personne ne répond à mes mails, appelez-moi au [PHONE]"
)


def test_copy_pasted_complaints_collapse_in_each_language():
    texts = [
        COMPLAINT_EN,
        "@123456 " + COMPLAINT_EN.lower() + "!!!",  # cross-posted, with a handle and shouting
        COMPLAINT_FR,
        COMPLAINT_FR + " https://t.co/x",
        "My invoice is wrong twice this month and I want a refund for the extra charge",
        "help!!",
        "help!!",  # too short to be told apart: never collapsed
    ]
    groups = sim.near_duplicate_groups(texts)
    assert [0, 1] in groups and [2, 3] in groups
    assert [4] in groups and [5] in groups and [6] in groups


def test_similar_but_different_complaints_stay_apart():
    a = "My parcel was lost and nobody answers my emails, I am so angry with this shop"
    b = "My invoice was wrong and nobody answers my calls, I am so angry with this bank"
    assert sim.near_duplicate_groups([a, b]) == [[0], [1]]


def test_families_group_similar_cases_within_a_situation():
    texts = [
        "Parcel lost, delivery never arrived, tracking shows nothing",
        "My parcel never arrived and the tracking is stuck, delivery lost?",
        "Colis perdu, livraison jamais arrivée, le suivi ne montre rien",
        "Colis jamais arrivé, suivi bloqué, livraison perdue ?",
        "Refund for the double charge on my card, billing is wrong",
        "Parcel lost, delivery never arrived, tracking shows nothing",  # same words, other situation
    ]
    situations = ["delivery"] * 4 + ["billing", "billing"]
    groups = sim.family_groups(texts, situations)
    assert [0, 1] in groups and [2, 3] in groups
    assert not any(0 in g and 5 in g for g in groups)


def test_family_names_leave_out_stop_words_and_placeholders():
    counts: list[list[object]] = []
    for text in [
        "The parcel is lost, call me at [PHONE]",
        "Le colis est perdu, écrivez à [EMAIL]",
        "Parcel lost and no refund",
    ]:
        counts = sim.merge_terms(counts, sim.content_terms(text))
    name = sim.family_name(counts)
    assert name.startswith("lost · parcel")
    for word in ("the", "[phone]", "[email]", "est", "le"):
        assert word not in name.split(" · ")


def test_names_prefer_terms_that_set_a_family_apart():
    names = sim.name_families(
        {
            1: [["parcel", 9], ["lost", 5], ["tracking", 4]],
            2: [["parcel", 9], ["damaged", 6], ["box", 3]],
        }
    )
    assert names[1].startswith("lost") and names[2].startswith("damaged")


def test_signatures_survive_the_store_and_short_texts_have_none():
    sig = sim.dup_signature(COMPLAINT_EN)
    assert sig is not None and sim.similarity(sim.decode(sim.encode(sig)), sig) == 1.0
    assert sim.dup_signature("merci !") is None
    assert sim.family_signature(["merci"]) is None


def test_band_keys_depend_on_the_situation():
    sig = sim.family_signature(sim.content_terms(COMPLAINT_EN))
    assert sig is not None
    assert set(sim.family_keys(sig, "delivery")).isdisjoint(sim.family_keys(sig, "billing"))
