"""Grouping a batch of new cases: near-duplicates collapse, the others join families, families get names."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation import grouping as g
from curation import similarity as sim

COMPLAINT_EN = "My parcel was LOST again and nobody answers my emails, call me at [PHONE] right now"
COMPLAINT_FR = (
    "Mon colis est encore perdu et personne ne répond à mes mails, appelez-moi au [PHONE]"
)
PARCEL = [
    "Parcel lost, delivery never arrived, tracking shows nothing",
    "My parcel never arrived and the tracking is stuck, delivery lost?",
]
COLIS = [
    "Colis perdu, livraison jamais arrivée, le suivi ne montre rien",
    "Colis jamais arrivé, suivi bloqué, livraison perdue ?",
]
INVOICE = "My invoice is wrong twice this month and I want a refund for the extra charge"


def group(cases, grouping=None):
    """Group (text, situation) pairs as `store.cases.save_cases` does; each case's outcome is
    ("duplicate", index or stored id) or ("family", the family)."""
    grouping = grouping or g.CaseGrouping(
        stored_cases={}, signatures={}, stored_families={}, families={}
    )
    outcomes = []
    for i, (text, situation) in enumerate(cases):
        print_ = g.fingerprint(text, situation)
        duplicate = grouping.duplicate_of(print_)
        if duplicate is not None:
            earlier = duplicate.case if duplicate.case is not None else duplicate.case_id
            outcomes.append(("duplicate", earlier))
            continue
        outcomes.append(("family", grouping.join_family(print_, situation)))
        grouping.add_case(i, print_)
    return outcomes


def groups(outcomes):
    """The batch's families as lists of the indexes of their cases."""
    members: dict[int, list[int]] = {}
    for i, (kind, what) in enumerate(outcomes):
        if kind == "family":
            members.setdefault(id(what), []).append(i)
    return sorted(members.values())


@pytest.mark.parametrize(
    ("texts", "collapsed"),
    [
        # cross-posted, with a handle and shouting
        ([COMPLAINT_EN, "@123456 " + COMPLAINT_EN.lower() + "!!!"], {1: 0}),
        ([COMPLAINT_FR, COMPLAINT_FR + " https://t.co/x"], {1: 0}),
        ([COMPLAINT_EN, COMPLAINT_FR, COMPLAINT_EN], {2: 0}),
        ([COMPLAINT_EN, INVOICE], {}),
        (["help!!", "help!!"], {}),  # too short to be told apart: never collapsed
        (
            [
                "My parcel was lost and nobody answers my emails, I am so angry with this shop",
                "My invoice was wrong and nobody answers my calls, I am so angry with this bank",
            ],
            {},
        ),
    ],
)
def test_near_duplicates_collapse_into_the_first_case_like_them(texts, collapsed):
    outcomes = group([(text, "other") for text in texts])
    assert {i: what for i, (kind, what) in enumerate(outcomes) if kind == "duplicate"} == collapsed


def test_families_group_similar_cases_within_a_situation():
    cases = [(t, "delivery") for t in PARCEL + COLIS] + [
        ("Refund for the double charge on my card, billing is wrong", "billing"),
        # the same words (no near-duplicate: in another order), another situation
        ("Tracking shows nothing: delivery never arrived, parcel lost", "billing"),
    ]
    outcomes = group(cases)
    assert [kind for kind, _ in outcomes] == ["family"] * 6
    assert groups(outcomes) == [[0, 1], [2, 3], [4], [5]]
    parcel = outcomes[0][1]
    assert (parcel.size, parcel.situation, parcel.id) == (2, "delivery", None)
    assert parcel.name == g.family_name(parcel.terms)


def stored_family(family_id, text, situation="delivery", size=1):
    """A stored family of `size` cases like `text`, as the store hands it to grouping."""
    family = g.FamilyGroup(
        situation=situation,
        id=family_id,
        terms=g.merge_terms([], sim.content_terms(text)),
        size=size,
    )
    family.name = g.family_name(family.terms)
    return family


def grouping_with(cases=(), families=()):
    """A grouping that sees stored cases ((id, text) pairs) and stored families ((family, text) pairs)."""
    stored_cases: dict[int, list[int]] = {}
    signatures = {}
    for case_id, text in cases:
        print_ = g.fingerprint(text, "delivery")
        signatures[case_id] = print_.dup
        for key in print_.dup_keys:
            stored_cases.setdefault(key, []).append(case_id)
    stored_families: dict[int, set[int]] = {}
    for family, text in families:
        for key in g.fingerprint(text, family.situation).family_keys:
            stored_families.setdefault(key, set()).add(family.id)
    return g.CaseGrouping(
        stored_cases=stored_cases,
        signatures=signatures,
        stored_families=stored_families,
        families={family.id: family for family, _ in families},
    )


def test_a_new_case_collapses_into_a_stored_case_with_its_similarity():
    grouping = grouping_with(cases=[(7, COMPLAINT_EN), (8, INVOICE)])
    duplicate = grouping.duplicate_of(g.fingerprint(COMPLAINT_EN + "!!", "delivery"))
    assert duplicate is not None and (duplicate.case_id, duplicate.case) == (7, None)
    assert sim.DUP_VERIFY <= duplicate.similarity <= 1
    assert grouping.duplicate_of(g.fingerprint(COMPLAINT_FR, "delivery")) is None


def test_a_stored_case_without_its_signature_is_no_candidate():
    known = grouping_with(cases=[(7, COMPLAINT_EN)])
    print_ = g.fingerprint(COMPLAINT_EN, "delivery")
    grouping = g.CaseGrouping(
        stored_cases={k: [7] for k in print_.dup_keys},  # the band keys are kept, not the signature
        signatures={},
        stored_families={},
        families={},
    )
    assert grouping.duplicate_of(print_) is None
    assert known.duplicate_of(print_) is not None


def test_a_new_case_joins_the_stored_family_and_it_grows():
    family = stored_family(3, PARCEL[0], size=4)
    grouping = grouping_with(families=[(family, PARCEL[0])])
    joined = grouping.join_family(g.fingerprint(PARCEL[1], "delivery"), "delivery")
    assert joined is family and family.size == 5
    assert dict(map(tuple, family.terms))["parcel"] == 2
    assert family.name == g.family_name(family.terms)
    # A family gains band keys from its first members only: this was its fifth.
    assert [f for f, _ in grouping.family_bands] == [family]
    grouping.join_family(g.fingerprint(PARCEL[0], "delivery"), "delivery")
    assert family.size == 6 and len(grouping.family_bands) == 1


def test_on_a_tie_the_oldest_stored_family_wins():
    older, newer = stored_family(2, PARCEL[0]), stored_family(9, PARCEL[0])
    grouping = grouping_with(families=[(newer, PARCEL[0]), (older, PARCEL[0])])
    assert grouping.join_family(g.fingerprint(PARCEL[0], "delivery"), "delivery") is older
    assert (older.size, newer.size) == (2, 1)


def test_a_new_case_joins_the_family_it_shares_most_band_keys_with():
    family_a, family_b = stored_family(1, PARCEL[0]), stored_family(2, INVOICE)
    print_ = g.fingerprint(PARCEL[0], "delivery")
    grouping = g.CaseGrouping(
        stored_cases={},
        signatures={},
        stored_families={
            **{k: {2} for k in print_.family_keys[:1]},
            **{k: {1} for k in print_.family_keys[1:3]},
        },
        families={1: family_a, 2: family_b},
    )
    assert grouping.join_family(print_, "delivery") is family_a


def test_renamed_families_are_the_ones_whose_distinctive_terms_changed():
    parcel = g.FamilyGroup(
        situation="delivery", id=1, terms=[["parcel", 9], ["lost", 5]], name="parcel · lost"
    )
    damaged = g.FamilyGroup(
        situation="delivery", id=2, terms=[["parcel", 9], ["damaged", 6]], name="damaged"
    )
    alone = g.FamilyGroup(situation="billing", id=3, terms=[["parcel", 9]], name="parcel")
    assert g.renamed_families([parcel, damaged, alone]) == {
        1: "lost · parcel",
        2: "damaged · parcel",
    }


def test_family_names_leave_out_stop_words_and_placeholders():
    counts: list[list[object]] = []
    for text in [
        "The parcel is lost, call me at [PHONE]",
        "Le colis est perdu, écrivez à [EMAIL]",
        "Parcel lost and no refund",
    ]:
        counts = g.merge_terms(counts, sim.content_terms(text))
    name = g.family_name(counts)
    assert name.startswith("lost · parcel")
    for word in ("the", "[phone]", "[email]", "est", "le"):
        assert word not in name.split(" · ")


def test_names_prefer_terms_that_set_a_family_apart():
    names = g.name_families(
        {
            1: [["parcel", 9], ["lost", 5], ["tracking", 4]],
            2: [["parcel", 9], ["damaged", 6], ["box", 3]],
        }
    )
    assert names[1].startswith("lost") and names[2].startswith("damaged")


WORDS = ["parcel", "lost", "delivery", "tracking", "refund", "invoice", "charge", "card", "late"]
texts_st = st.lists(st.sampled_from(WORDS + ["the", "my", "is"]), min_size=1, max_size=12).map(
    " ".join
)
batch_st = st.lists(st.tuples(texts_st, st.sampled_from(["delivery", "billing"])), max_size=25)


@settings(max_examples=60, deadline=None)
@given(batch_st)
def test_every_case_collapses_into_an_earlier_family_member_or_joins_one_family(cases):
    outcomes = group(cases)
    members = Counter()
    for i, (kind, what) in enumerate(outcomes):
        if kind == "duplicate":
            earlier = outcomes[what]
            assert what < i and earlier[0] == "family"  # only cases that made a case
            assert (
                sim.similarity(
                    g.fingerprint(cases[i][0], "x").dup, g.fingerprint(cases[what][0], "x").dup
                )
                >= sim.DUP_VERIFY
            )
        else:
            assert what.situation == cases[i][1]  # families never mix situations
            members[id(what)] += 1
    for kind, what in outcomes:
        if kind == "family":
            assert what.size == members[id(what)] and what.name == g.family_name(what.terms)


@settings(max_examples=40, deadline=None)
@given(batch_st)
def test_grouping_is_deterministic(cases):
    assert groups(group(cases)) == groups(group(cases))
    assert [k for k, _ in group(cases)] == [k for k, _ in group(cases)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=8), max_size=60))
def test_term_counts_keep_the_most_frequent_terms_in_order(members):
    counts: list[list[object]] = []
    for terms in members:
        counts = g.merge_terms(counts, terms)
    assert len(counts) <= g.KEEP_TERMS
    ranked = [(-int(n), str(t)) for t, n in counts]  # type: ignore[call-overload]
    assert ranked == sorted(ranked)
    every = Counter(t for terms in members for t in set(terms))
    assert {str(t): int(n) for t, n in counts} == dict(every)  # type: ignore[call-overload]


def test_similar_threads_are_the_copies_beside_the_case_own_thread():
    # duplicate_count starts at 1 (the case's own thread) and grows by one per copy.
    assert [g.similar_threads(n) for n in (1, 2, 5)] == [0, 1, 4]
    assert g.similar_threads(0) == 0  # never negative, whatever a store holds
