"""Families of similar cases in the store: grouped by curation, counted this week, named, listed."""

from __future__ import annotations

from store.families import family_list
from store.models import Family
from store.queue import top_case_rows
from tests.store.test_cases import REPLY, case_of, curate, make_source, make_thread


def test_families_count_this_week_and_are_named_by_their_terms(session):
    source = make_source(session)
    texts = [
        "Parcel lost, the delivery never arrived and tracking shows nothing at all",
        "My parcel never arrived, tracking is stuck, delivery lost somewhere",
        "Delivery lost: parcel never arrived and the tracking page shows nothing",
    ]
    ids = [
        make_thread(session, source, f"d{i}", t, age_days=1 + 10 * (i == 2))
        for i, t in enumerate(texts)
    ]
    ids.append(
        make_thread(
            session,
            source,
            "bill",
            "I was charged twice on my card for one invoice, refund me",
            situation="billing",
        )
    )
    curate(session, ids)
    cases = [case_of(session, t) for t in ids]
    assert cases[0].family_id == cases[1].family_id == cases[2].family_id
    assert cases[3].family_id != cases[0].family_id
    family = session.get(Family, cases[0].family_id)
    assert (family.size, family.size_this_week, family.situation) == (3, 2, "delivery")
    words = family.name.split(" · ")
    assert {"parcel", "delivery", "tracking", "lost", "arrived"} & set(words)
    assert not {"the", "[phone]", "never"} & set(words)
    assert family_list(session)[0]["id"] == family.id
    rows = {r["id"]: r for r in top_case_rows(session, limit=10)}
    row = rows[cases[0].id]
    assert row["family"] == family.name and row["duplicate_count"] == 1
    assert row["pivotal_reply"] == REPLY and row["title"]
