"""E-mail connectors: .eml/.mbox folders and IMAP (against a fake server), threads, quotes, roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sources import SourceError, make_connector
from sources.base import AGENT, CUSTOMER, Record
from sources.mail import ImapConnector, MailFolderConnector
from sources.mail_messages import (
    AgentAddresses,
    ThreadIndex,
    html_to_text,
    own_words,
    parse_message,
)
from tests.sources.fakes.imap_server import FakeImapServer, Mailbox

MAIL = Path(__file__).parents[1] / "fixtures" / "sources" / "mail"
AGENTS = ["support@acme.example", "@eu.acme.example", "care@acme.example"]
PARIS = timezone(timedelta(hours=1))


def read_all(connector, cursor=None):
    batches = list(connector.read(cursor or {}))
    return (
        batches,
        [r for b in batches for r in b.records],
        [r for b in batches for r in b.rejected],
    )


# message id -> (thread, parent, role, author, start of text)
EXPECTED = {
    "fr-1@mail.example.fr": (
        "fr-1@mail.example.fr",
        None,
        CUSTOMER,
        "zoe.martin@example.fr",
        "Bonjour,\n\nMa commande n° 4521",
    ),
    "agent-2@acme.example": (
        "fr-1@mail.example.fr",
        "fr-1@mail.example.fr",
        AGENT,
        "support@acme.example",
        "Bonjour Zoé,\n\nToutes nos excuses",
    ),
    "fr-3@mail.example.fr": (
        "fr-1@mail.example.fr",
        "agent-2@acme.example",
        CUSTOMER,
        "zoe.martin@example.fr",
        "Reçu ce matin, merci beaucoup pour votre réactivité !",
    ),
    "en-4@example.com": (
        "en-4@example.com",
        None,
        CUSTOMER,
        "sam.hill@example.com",
        "Hi,\n\nI was charged twice for order 8812 – please refund",
    ),
    "en-10@example.com": ("en-10@example.com", None, CUSTOMER, "pat.doe@example.com", "My router"),
    "care-11@acme.example": (
        "en-10@example.com",  # In-Reply-To only: the parent's thread
        "en-10@example.com",
        AGENT,
        "care@acme.example",
        "Hi Pat, I have reset your line",
    ),
}


@pytest.fixture(scope="module")
def folder_records():
    _, records, rejected = read_all(MailFolderConnector(MAIL, AGENTS))
    return records, rejected


@pytest.mark.parametrize("message_id", list(EXPECTED))
def test_folder_messages(folder_records, message_id):
    records, _ = folder_records
    record = next(r for r in records if r.external_id == message_id)
    thread, parent, role, author, start = EXPECTED[message_id]
    assert (record.thread_id, record.parent_id, record.author_role, record.author) == (
        thread,
        parent,
        role,
        author,
    )
    assert record.text.startswith(start), record.text
    assert ">" not in record.text and "écrit" not in record.text and "wrote:" not in record.text
    assert record.channel == "email" and record.created_at.tzinfo is not None


def test_folder_details(folder_records):
    records, rejected = folder_records
    by_id = {r.external_id: r for r in records}
    first = by_id["fr-1@mail.example.fr"]
    assert first.created_at == datetime(2024, 3, 4, 9, 15, tzinfo=PARIS)
    assert first.language == "fr" and first.raw["subject"] == "Commande non reçue"
    assert "06 12 34 56 78" not in first.text  # the signature is cut
    assert "HTML version" not in first.text  # text/plain is preferred
    html = by_id["en-4@example.com"].text
    assert "color: red" not in html and "Earlier message" not in html and "Thanks & regards" in html
    # No Message-ID: named by a hash of its bytes, threaded through In-Reply-To.
    (unnamed,) = [r for r in records if r.external_id.startswith("sha1:")]
    assert (unnamed.thread_id, unnamed.parent_id) == ("en-10@example.com", "care-11@acme.example")
    assert [(r.position, r.reason) for r in rejected] == [
        ("05_broken_no_date.eml", "no Date header"),
        ("archive.mbox#4", "undecodable bytes in body (garbage left after repair)"),
    ]
    assert len(records) == 7


def test_folder_rerun_reads_nothing_and_new_files_only(tmp_path):
    for path in MAIL.glob("0[12]*.eml"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    connector = MailFolderConnector(tmp_path, AGENTS)
    batches, records, _ = read_all(connector)
    assert len(records) == 2
    assert list(connector.read(batches[-1].cursor)) == []
    (tmp_path / "03.eml").write_bytes((MAIL / "03_fr_followup.eml").read_bytes())
    _, again, _ = read_all(connector, batches[-1].cursor)
    assert [r.external_id for r in again] == ["fr-3@mail.example.fr"]
    assert again[0].thread_id == "fr-1@mail.example.fr"  # from References, across runs


MESSAGE = (
    "From: a@example.com\nDate: Mon, 4 Mar 2024 09:00:00 +0000\nMessage-ID: <m@x>\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty message"),
        (MESSAGE.replace("Date: Mon, 4 Mar 2024 09:00:00 +0000\n", "").encode() + b"hi", "no Date"),
        (MESSAGE.replace("Mon, 4 Mar 2024", "someday").encode() + b"hi", "bad Date header"),
        (MESSAGE.replace("a@example.com", "nobody").encode() + b"hi", "no sender address"),
        (MESSAGE.encode() + b"> only a quote\n", "empty text"),
        (MESSAGE.encode() + b"\x81\x8d\x90\x9d\xff" * 3, "undecodable bytes in body"),
    ],
)
def test_malformed_messages_are_rejected_with_a_reason(data, reason):
    outcome = parse_message(data, "pos", AgentAddresses(), ThreadIndex())
    assert not isinstance(outcome, Record)
    assert reason in outcome.reason and outcome.position == "pos"


def test_mislabelled_charset_and_naive_date():
    data = MESSAGE.replace("+0000", "-0000").encode() + "Très déçu".encode("cp1252")
    record = parse_message(data, "pos", AgentAddresses(), ThreadIndex())
    assert isinstance(record, Record)
    assert record.text == "Très déçu"
    assert record.created_at == datetime(2024, 3, 4, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks!\n\nOn Mon, 4 Mar 2024, Jane <j@x.com> wrote:\n> hello\n> there", "Thanks!"),
        ("Merci !\n\nLe lun. 4 mars 2024 à 10:00, Jean <j@x.fr> a écrit :\n> bonjour", "Merci !"),
        ("Merci !\nLe lun. 4 mars 2024 à 10:00, Jean Dupont\n<j@x.fr> a écrit :\n> b", "Merci !"),
        ("See below\nOn Mon, Jane wrote:\nunquoted history\nmore", "See below"),
        ("> q1\nanswer 1\n> q2\nanswer 2", "answer 1\nanswer 2"),
        ("Hello\n-----Original Message-----\nFrom: x\nold text", "Hello"),
        ("Bonjour\n-------- Message d'origine --------\nDe : x", "Bonjour"),
        ("Hi\n\n-- \nJane Doe\n+44 20 7946 0000", "Hi"),
        ("On time delivery, thanks", "On time delivery, thanks"),
        ("Le colis est arrivé", "Le colis est arrivé"),
    ],
)
def test_own_words_remove_quoted_history(text, expected):
    assert own_words(text) == expected


def test_html_to_text():
    html = "<html><head><title>t</title><style>p{}</style></head><body><p>Hello&nbsp;there</p>"
    html += "<div>Line 2 &eacute;t&eacute;<br>Line 3</div><blockquote>old</blockquote></body>"
    assert html_to_text(html) == "Hello there\n\nLine 2 été\nLine 3"


@pytest.mark.parametrize(
    ("address", "agent"),
    [
        ("support@acme.example", True),
        ("SUPPORT@ACME.EXAMPLE", True),
        ("jo@eu.acme.example", True),
        ("jo@team.eu.acme.example", True),
        ("jo@acme.example", False),
        ("support@acme.example.evil", False),
        ("jo@noteu.acme.example", False),
    ],
)
def test_agent_addresses(address, agent):
    assert (address in AgentAddresses(AGENTS)) is agent


# --- IMAP ---------------------------------------------------------------------------------------

USER, PASSWORD = "agent@acme.example", "s3cret pass"


@pytest.fixture
def imap():
    box = Mailbox(USER, PASSWORD, uidvalidity=7)
    for path in sorted(MAIL.glob("*.eml")):
        box.add(path.read_bytes())
    with FakeImapServer(box) as server:
        yield server


def connector_for(server, **overrides):
    config = {
        "host": server.host,
        "port": server.port,
        "ssl": False,
        "username": USER,
        "password_env": "CASEBOOK_TEST_IMAP_PASSWORD",
        "agent_addresses": AGENTS,
        "page_size": 2,
        **overrides,
    }
    return make_connector("imap", config)


@pytest.fixture(autouse=True)
def imap_password(monkeypatch):
    monkeypatch.setenv("CASEBOOK_TEST_IMAP_PASSWORD", PASSWORD)


def test_imap_reads_pages_with_threads_roles_and_rejects(imap):
    batches, records, rejected = read_all(connector_for(imap))
    assert [len(b.records) + len(b.rejected) for b in batches] == [2, 2, 1]
    assert [b.cursor["last_uid"] for b in batches] == [2, 4, 5]
    assert all(b.cursor["uidvalidity"] == 7 for b in batches)
    for record in records:
        thread, parent, role, author, start = EXPECTED[record.external_id]
        assert (record.thread_id, record.parent_id, record.author_role, record.author) == (
            thread,
            parent,
            role,
            author,
        )
        assert record.text.startswith(start)
    assert [(r.position, r.reason) for r in rejected] == [("INBOX:7:5", "no Date header")]
    fetches = [c for c in imap.mailbox.commands if c.startswith("UID FETCH")]
    assert fetches == [
        "UID FETCH 1,2 (UID BODY.PEEK[])",
        "UID FETCH 3,4 (UID BODY.PEEK[])",
        "UID FETCH 5 (UID BODY.PEEK[])",
    ]
    assert "EXAMINE INBOX" in imap.mailbox.commands  # read-only: nothing marked as seen
    assert "s3cret" not in " ".join(imap.mailbox.commands)


def test_imap_resumes_after_the_last_uid_and_restarts_on_a_new_uidvalidity(imap):
    connector = connector_for(imap)
    batches = list(connector.read({}))
    imap.mailbox.commands.clear()
    assert list(connector.read(batches[-1].cursor)) == []
    assert "UID SEARCH UID 6:*" in imap.mailbox.commands  # and the server's answer (5) is ignored
    uid = imap.mailbox.add((MAIL / "01_fr_question.eml").read_bytes().replace(b"fr-1@", b"fr-9@"))
    (batch,) = connector.read(batches[-1].cursor)
    assert [r.external_id for r in batch.records] == ["fr-9@mail.example.fr"]
    assert batch.cursor["last_uid"] == uid == 6
    imap.mailbox.reset(uidvalidity=8)
    again = list(connector.read(batch.cursor))
    assert sum(len(b.records) + len(b.rejected) for b in again) == 6
    assert again[-1].cursor["uidvalidity"] == 8


def test_imap_resumes_half_way(imap):
    connector = connector_for(imap)
    first = next(iter(connector.read({})))
    _, rest, rejected = read_all(connector, first.cursor)
    assert [r.external_id for r in rest] == ["fr-3@mail.example.fr", "en-4@example.com"]
    assert len(rejected) == 1


@pytest.mark.parametrize(
    ("overrides", "env", "message"),
    [
        ({}, "wrong", "IMAP login of 'agent@acme.example'.*failed"),
        ({}, "", "CASEBOOK_TEST_IMAP_PASSWORD is empty"),
        ({"folder": "Archive"}, PASSWORD, "folder 'Archive' cannot be opened"),
        ({"username": ""}, PASSWORD, "needs 'username'"),
        ({"port": 1}, PASSWORD, "cannot be reached"),
    ],
)
def test_imap_errors_are_one_clear_sentence(imap, monkeypatch, overrides, env, message):
    monkeypatch.setenv("CASEBOOK_TEST_IMAP_PASSWORD", env)
    with pytest.raises(SourceError, match=message):
        list(connector_for(imap, **overrides).read({}))


def test_registry_makes_the_email_connectors():
    assert isinstance(make_connector("email", {"path": "mail"}), MailFolderConnector)
    with pytest.raises(SourceError, match="path"):
        make_connector("email", {})
    assert isinstance(
        make_connector(
            "imap",
            {"host": "h", "username": "u", "password_env": "CASEBOOK_TEST_IMAP_PASSWORD"},
        ),
        ImapConnector,
    )
