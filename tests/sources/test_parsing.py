"""Value parsing: dates, roles, ids, counts, encodings, mojibake repair, change detection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sources.base import AGENT, CUSTOMER
from sources.parsing import (
    BadValue,
    check_text,
    decode_bytes,
    inspect_file,
    is_speaker_label,
    normalise_id,
    parse_count,
    parse_datetime,
    parse_role,
    repair_text,
    unchanged,
)

NOON = datetime(2024, 3, 14, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-14T12:00:00Z", NOON),
        ("2024-03-14T12:00:00+00:00", NOON),
        ("2024-03-14T13:00:00+01:00", NOON),
        ("2024-03-14 12:00:00", NOON),  # naive means UTC
        ("2024-03-14T12:00", NOON),
        ("2024-03-14 12:00:00.000", NOON),
        ("2024-03-14", datetime(2024, 3, 14, tzinfo=UTC)),
        ("Thu Mar 14 12:00:00 +0000 2024", NOON),  # Twitter
        ("Thu, 14 Mar 2024 12:00:00 +0000", NOON),  # RFC 2822
        ("14/03/2024 12:00", NOON),  # day first
        ("14/03/2024", datetime(2024, 3, 14, tzinfo=UTC)),
        ("03/14/2024", datetime(2024, 3, 14, tzinfo=UTC)),  # month first when day first cannot be
        ("14.03.2024 12:00", NOON),
        ("2024/03/14 12:00:00", NOON),
        ("14 Mar 2024", datetime(2024, 3, 14, tzinfo=UTC)),
        ("March 14, 2024", datetime(2024, 3, 14, tzinfo=UTC)),
        ("1710417600", NOON),  # epoch seconds
        ("1710417600000", NOON),  # epoch milliseconds
        ("  2024-03-14T12:00:00Z  ", NOON),
    ],
)
def test_parse_datetime_reads_common_formats(value, expected):
    parsed = parse_datetime(value)
    assert parsed == expected
    assert parsed.tzinfo is not None


def test_parse_datetime_keeps_the_offset():
    parsed = parse_datetime("2024-03-14T13:00:00+01:00")
    assert parsed.utcoffset() == timedelta(hours=1)
    assert parsed.astimezone(UTC) == NOON


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "empty date"),
        ("yesterday", "unparseable date"),
        ("2024-13-45", "impossible date"),
        ("2024-02-30", "impossible date"),
        ("31/31/2024", "impossible date"),
        ("1850-01-01", "impossible date"),
        ("2024-03-14T25:00:00", "impossible date"),
    ],
)
def test_parse_datetime_refuses_bad_dates(value, reason):
    with pytest.raises(BadValue, match=reason):
        parse_datetime(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", CUSTOMER),
        ("customer", CUSTOMER),
        ("Client", CUSTOMER),
        ("inbound", CUSTOMER),
        ("True", CUSTOMER),
        ("1", CUSTOMER),
        ("agent", AGENT),
        ("Advisor", AGENT),
        ("conseiller", AGENT),
        ("brand", AGENT),
        ("FALSE", AGENT),
        ("0", AGENT),
        (" support ", AGENT),
    ],
)
def test_parse_role(value, expected):
    assert parse_role(value) == expected


def test_parse_role_refuses_unknown_values():
    with pytest.raises(BadValue, match="unknown author role"):
        parse_role("martian")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3.0", "3"), ("3", "3"), (" 42 ", "42"), ("abc-1.0", "abc-1.0"), ("3.5", "3.5"), ("", "")],
)
def test_normalise_id(value, expected):
    assert normalise_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("12.0", 12), ("1.2k", 1200), ("3M", 3_000_000), ("", 0), ("n/a", 0), ("-4", 0)],
)
def test_parse_count(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize(
    ("text", "reason"), [("", "empty text"), ("   \n ", "empty text"), ("x" * 20_001, "too long")]
)
def test_check_text_refuses(text, reason):
    with pytest.raises(BadValue, match=reason):
        check_text(text)


def test_check_text_accepts_the_limit():
    assert check_text("x" * 20_000) == "x" * 20_000


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("café, Zoé".encode(), "utf-8-sig"),
        ("\ufeffcafé".encode(), "utf-8-sig"),
        ("café – “Zoé” €".encode("cp1252"), "cp1252"),
        (b"caf\xe9 \x81", "latin-1"),  # 0x81 is undefined in cp1252
    ],
)
def test_inspect_file_detects_the_encoding(tmp_path, data, encoding):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    info = inspect_file(path, chunk_bytes=3)  # small chunks split multi-byte characters
    assert info.encoding == encoding
    assert info.size == len(data)
    assert len(info.sha1) == 40


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Ã©tÃ©", "été"),
        ("TrÃ¨s dÃ©Ã§u", "Très déçu"),
        ("cafÃ© â€“ â€œZoÃ©â€\x9d", "café – “Zoé”"),
        ("l\x92homme", "l’homme"),  # a C1 control read from cp1252 bytes as latin-1
        ("Très déçu “vite”", "Très déçu “vite”"),  # clean text and curly quotes stay as written
        ("plain ASCII &amp; <b>", "plain ASCII &amp; <b>"),  # entities are not unescaped
        ("Ça coûte 5 € — déjà payé", "Ça coûte 5 € — déjà payé"),
    ],
)
def test_repair_text_fixes_mojibake_only(value, expected):
    assert repair_text(value) == expected


@pytest.mark.parametrize("value", ["caf\ufffd", "d\x81x", "\x8d\x8f\x90 still garbage"])
def test_repair_text_refuses_what_stays_garbage(value):
    with pytest.raises(BadValue, match="undecodable bytes in author"):
        repair_text(value, "author")


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("Reçu, merci".encode(), None, "Reçu, merci"),
        ("Reçu, merci".encode("latin-1"), "iso-8859-1", "Reçu, merci"),
        ("Reçu – merci".encode("cp1252"), None, "Reçu – merci"),
        ("Reçu, merci".encode(), "x-unknown-charset", "Reçu, merci"),
        ("Reçu, merci".encode("cp1252"), "utf-8", "Reçu, merci"),  # mislabelled
        (b"caf\x81", None, "caf\ufffd"),  # nothing decodes it: replaced, never raised
    ],
)
def test_decode_bytes(data, declared, expected):
    assert decode_bytes(data, declared) == expected


@pytest.mark.parametrize(
    ("text", "encoding", "detected"),
    [
        ("Très déçu, où est ma commande ? " * 4, "utf-16", "utf-16"),
        ("Привет, где мой заказ? Очень плохое обслуживание. " * 5, "cp1251", "cp1251"),
        ("Très déçu, où est ma commande ? Élodie m'a répondu. " * 5, "cp1252", "cp1252"),
    ],
)
def test_inspect_file_uses_sure_guesses_of_charset_normalizer(tmp_path, text, encoding, detected):
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode(encoding))
    info = inspect_file(path)
    assert info.encoding == detected
    assert path.read_bytes().decode(info.encoding) == text


def test_inspect_file_without_detection_only_hashes(tmp_path):
    path = tmp_path / "f.xlsx"
    path.write_bytes(b"PK\x03\x04 binary")
    info = inspect_file(path, detect=False)
    assert info.encoding == "binary" and len(info.sha1) == 40


def test_unchanged_compares_size_and_mtime(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("a")
    stat = path.stat()
    entry = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha1": "x"}
    assert unchanged(entry, stat)
    assert not unchanged({**entry, "mtime_ns": 1}, stat)
    assert not unchanged({**entry, "size": 2}, stat)
    assert not unchanged(None, stat)


@pytest.mark.parametrize(
    "author",
    [
        "Caller",
        "Client",
        "Appelante",
        "Visiteur",
        "Survey respondent",
        "Réponse questionnaire",
        "Customer reply",
        "guest_user",
        "The customer",
    ],
)
def test_role_labels_are_not_accounts(author):
    assert is_speaker_label(author)


@pytest.mark.parametrize(
    "author", ["@jane", "Marcus Bell", "AmazonHelp", "Agent Smith", "customer_care_uk", ""]
)
def test_names_and_handles_are_accounts(author):
    assert not is_speaker_label(author)
