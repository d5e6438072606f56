"""CfpbConnector: complaints and public responses as threads, on a small table and the real export."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sources import SourceError, make_connector
from sources.base import AGENT, CUSTOMER
from sources.cfpb import CfpbConnector

REAL = Path(__file__).parents[2] / "../shared/data/channels/cfpb_complaints/complaints_sample.csv"
COLUMNS = [
    "Date received",
    "Product",
    "Sub-product",
    "Issue",
    "Sub-issue",
    "Consumer complaint narrative",
    "Company public response",
    "Company",
    "State",
    "ZIP code",
    "Tags",
    "Consumer consent provided?",
    "Submitted via",
    "Date sent to company",
    "Company response to consumer",
    "Timely response?",
    "Consumer disputed?",
    "Complaint ID",
]


def row(cid, narrative="", response="", received="2019/9/24", sent="2019/9/26", **extra):
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        {
            "Complaint ID": cid,
            "Consumer complaint narrative": narrative,
            "Company public response": response,
            "Date received": received,
            "Date sent to company": sent,
            "Company": "ACME BANK",
            "Product": "Debt collection",
            "Issue": "Attempts to collect debt not owed",
            "Sub-issue": "Debt is not yours",
        }
    )
    values.update(extra)
    return values


def write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_all(connector, cursor=None):
    batches = list(connector.read(cursor or {}))
    return (
        batches,
        [r for b in batches for r in b.records],
        [r for b in batches for r in b.rejected],
    )


# (row, ids of the records it gives, reason it is rejected with or None)
CASES = [
    (row("1", "They keep calling me about a debt I never had."), ["1"], None),
    (
        row("2", "Fees charged twice.", "Company believes it acted appropriately"),
        ["2", "2-response"],
        None,
    ),
    (row("3", "", "Company chooses not to provide a public response"), [], None),  # skipped
    (row("4", "   "), [], None),  # skipped: blank narrative
    (row("5", "No date.", received=""), [], "missing date"),
    (row("", "No id."), [], "missing id"),
    (row("7", "Bad date.", received="2019/2/30"), [], "impossible date"),
    (row("8", "Le prÃ©lÃ¨vement", "Response", sent="soon"), ["8"], "response: unparseable date"),
    (row("9", "x" * 20_001), [], "text too long"),
]


@pytest.mark.parametrize(("values", "ids", "reason"), CASES)
def test_each_row(tmp_path, values, ids, reason):
    path = write(tmp_path / "c.csv", [values])
    batches, records, rejected = read_all(CfpbConnector(path))
    assert [r.external_id for r in records] == ids
    assert [r.reason.split(" '")[0].split(" (")[0] for r in rejected] == (
        [reason] if reason else []
    )
    skipped = batches[-1].cursor["files"]["c.csv"]["without_narrative"]
    assert skipped == (1 if values["Complaint ID"] in ("3", "4") else 0)


def test_a_complaint_and_its_response_are_one_thread(tmp_path):
    path = write(tmp_path / "c.csv", [row("2", "Fees charged twice.", "We refunded the fee.")])
    _, (complaint, response), _ = read_all(CfpbConnector(path))
    assert (complaint.author_role, complaint.channel, complaint.thread_id) == (
        CUSTOMER,
        "complaint",
        "2",
    )
    assert complaint.created_at == datetime(2019, 9, 24, tzinfo=UTC)
    assert complaint.raw["Product"] == "Debt collection"
    assert complaint.raw["Sub-issue"] == "Debt is not yours"
    assert (response.author_role, response.thread_id, response.parent_id) == (AGENT, "2", "2")
    assert (response.author, response.text) == ("ACME BANK", "We refunded the fee.")
    assert response.created_at == datetime(2019, 9, 26, tzinfo=UTC)


def test_a_disputed_response_is_the_consumers_turn_after_it(tmp_path):
    rows = [
        row("2", "Fees charged twice.", "Company believes it acted appropriately"),
        row("3", "Fees again.", "Company believes it acted appropriately"),
        row("4", "Wrong balance.", **{"Consumer disputed?": "No"}),  # no public response
    ]
    rows[0]["Consumer disputed?"] = "Yes"
    rows[1]["Consumer disputed?"] = "No"
    _, records, _ = read_all(CfpbConnector(write(tmp_path / "c.csv", rows)))
    assert [r.external_id for r in records] == [
        "2",
        "2-response",
        "2-disputed",
        "3",
        "3-response",
        "3-disputed",
        "4",
    ]
    yes, response = records[2], records[1]
    assert (yes.author_role, yes.author, yes.thread_id, yes.parent_id) == (
        CUSTOMER,
        records[0].author,
        "2",
        "2-response",
    )
    assert yes.text == "disputed: Yes" and records[5].text == "disputed: No"
    assert yes.created_at > response.created_at


def test_a_disputed_complaint_reads_as_an_escalation_and_an_accepted_one_does_not(tmp_path):
    """What curation makes of the connector's turns: the dispute is the customer ending angrier
    after the company's response (the pivotal turn)."""
    from curation.arcs import Turn
    from curation.outcome import conversation_outcome

    rows = [
        row("2", "They charged me fees twice.", "Company believes it acted appropriately"),
        row("3", "They charged me fees twice.", "Company believes it acted appropriately"),
    ]
    rows[0]["Consumer disputed?"] = "Yes"
    rows[1]["Consumer disputed?"] = "No"
    _, records, _ = read_all(CfpbConnector(write(tmp_path / "c.csv", rows)))
    threads: dict[str, list[Turn]] = {}
    for i, r in enumerate(records):
        threads.setdefault(r.thread_id, []).append(
            Turn(i, r.author_role, r.created_at, r.text, author=r.author)
        )
    disputed = conversation_outcome(threads["2"], channel="complaint")
    assert (disputed.end, disputed.arc, disputed.pivotal) == ("angrier", "escalation", 1)
    assert conversation_outcome(threads["3"], channel="complaint").arc != "escalation"


def test_mojibake_in_a_narrative_is_repaired(tmp_path):
    path = write(tmp_path / "c.csv", [row("8", "Le prÃ©lÃ¨vement")])
    _, (record,), _ = read_all(CfpbConnector(path))
    assert record.text == "Le prélèvement"


def test_not_an_export_is_a_format_error(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id,text\n1,hello\n")
    with pytest.raises(SourceError, match="not a CFPB complaints export.*Complaint ID"):
        list(CfpbConnector(path).read({}))


def test_registry_makes_it():
    assert isinstance(make_connector("cfpb", {"path": "x.csv"}), CfpbConnector)
    with pytest.raises(SourceError, match="path"):
        make_connector("cfpb", {})


@pytest.mark.skipif(not REAL.exists(), reason="the CFPB sample is not in ../shared/data")
def test_real_export():
    connector = CfpbConnector(REAL)
    batches, records, rejected = read_all(connector)
    complaints = [r for r in records if r.author_role == CUSTOMER and r.parent_id is None]
    responses = [r for r in records if r.author_role == AGENT]
    disputes = [r for r in records if r.external_id.endswith("-disputed")]
    # 1,532 rows carry a narrative: every one is a complaint, or quarantined (one is too long).
    assert len(complaints) + len(rejected) == 1532
    assert [r.reason.split(" (")[0] for r in rejected] == ["text too long"]
    assert len({r.external_id for r in records}) == len(records)
    by_id = {r.external_id: r for r in complaints}
    assert all(r.parent_id in by_id and r.thread_id == r.parent_id for r in responses)
    assert all(r.raw["Product"] and r.raw["Issue"] for r in complaints)
    # The consumer's verdict follows a public response when the export has one.
    replied = {r.external_id for r in responses}
    assert disputes and all(r.parent_id in replied for r in disputes)
    assert {r.text for r in disputes} <= {"disputed: Yes", "disputed: No"}
    entry = batches[-1].cursor["files"][REAL.name]
    assert entry["without_narrative"] == 6623 - 1532
    assert list(connector.read(batches[-1].cursor)) == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "Company has responded to the consumer and the CFPB and chooses not to provide a public response",
            False,
        ),
        ("", False),
        ("   ", False),
        ("Company believes it acted appropriately as authorized by contract or law", True),
    ],
)
def test_only_real_public_responses_become_replies(cell, expected):
    from sources.cfpb import is_reply

    assert is_reply(cell) is expected
