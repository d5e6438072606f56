"""Raw quarantined records, redacted for the admin's eyes (casebook/privacy.py): the author of a
JSON item or a CSV row is masked whole, the rest redacted as text."""

from __future__ import annotations

import json

from casebook.privacy import AUTHOR, redact_records
from casebook.steps.ingest import author_columns


def test_a_json_items_author_fields_are_masked_at_any_depth():
    facebook = {"from": {"id": "1029384756", "name": "Jean Dupont"}, "message": "", "id": "1_2"}
    trustpilot = {
        "consumer": {"displayName": "marie.l"},
        "text": "Colis perdu, appelez le 0612345678",
    }
    appstore = {"author": {"name": {"label": "kevin1987"}}, "content": {"label": "App crashes"}}
    tweet = {"author_id": 2233445566, "text": "@jane_d my order never came", "id": "7"}
    raws = [json.dumps(x, ensure_ascii=False) for x in (facebook, trustpilot, appstore, tweet)]
    shown = [json.loads(r) for r in redact_records(raws)]
    assert shown[0]["from"] == {"id": AUTHOR, "name": AUTHOR} and shown[0]["id"] == "1_2"
    assert shown[1]["consumer"] == {"displayName": AUTHOR}
    assert "0612345678" not in shown[1]["text"] and "Colis perdu" in shown[1]["text"]
    assert shown[2]["author"] == {"name": {"label": AUTHOR}}
    assert shown[2]["content"] == {"label": "App crashes"}
    assert shown[3]["author_id"] == AUTHOR and "@jane_d" not in shown[3]["text"]


def test_a_sources_own_author_field_is_masked_too():
    raw = json.dumps({"customer_handle": "zed99", "body": "where is my refund"})
    assert "zed99" in redact_records([raw])[0]
    masked = json.loads(redact_records([raw], author_fields=["customer_handle"])[0])
    assert masked == {"customer_handle": AUTHOR, "body": "where is my refund"}


def test_a_csv_rows_author_column_is_masked_from_its_files_header(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("id;text;date;customer\nT1;ok;2024-01-01;jean\n", encoding="utf-8")
    config = {"path": str(path), "mapping": {"author": "customer"}}
    rows = ["T2;Livré chez Mme Petit, 3 rue des Lilas;hier soir;jean", "T3;Robot;2024;"]
    found = author_columns("csv", config, ["tickets.csv:2", "tickets.csv:3"])
    assert found == [(3, ";"), (3, ";")]
    shown = redact_records(rows, author_columns=[f[0] for f in found], delimiters=[";", ";"])
    assert shown[0].endswith(f";hier soir;{AUTHOR}") and "Petit" not in shown[0]
    assert shown[1] == "T3;Robot;2024;"  # an empty author stays empty; a cell is read alone


def test_a_file_gone_or_another_kind_leaves_rows_to_the_text_redaction(tmp_path):
    gone = {"path": str(tmp_path / "gone.csv")}
    assert author_columns("csv", gone, ["gone.csv:2"]) == [(None, ",")]
    assert author_columns("x", {}, ["x:page1:item0"]) == [(None, ",")]
    twcs = tmp_path / "twcs.csv"
    twcs.write_text("tweet_id,author_id,inbound,created_at,text\n", encoding="utf-8")
    assert author_columns("twcs", {"path": str(twcs)}, ["twcs.csv:5"]) == [(1, ",")]
    assert redact_records(["not json, jane.doe@example.com"]) == ["not json, [EMAIL]"]


def test_an_e_mails_people_headers_are_masked_and_the_rest_redacted():
    raw = (
        "From: kev1987 <kev1987@mail.example>\r\nTo: support@brand.example,\r\n  other@x.example\r\n"
        "Subject: colis pour Mme Petit\r\nDate: hier\r\n\r\nBonjour, rappelez-moi au 0612345678"
    )
    (shown,) = redact_records([raw])
    assert shown.startswith(f"From: {AUTHOR}\nTo: {AUTHOR}\nSubject: colis pour Mme ")
    assert "Petit" not in shown and "0612345678" not in shown and "kev1987" not in shown
    assert "Date: hier\n\nBonjour, rappelez-moi au " in shown
    # Prose that only opens like a header is read as prose.
    assert redact_records(["Note: call jane.doe@example.com\nthanks"]) == [
        "Note: call [EMAIL]\nthanks"
    ]


def test_a_damaged_json_stretch_has_its_author_pairs_masked():
    cut = '{"id": "9", "consumer": {"displayName": "marie.l", "id": 42}, "text": "Colis perdu", "cr'
    (shown,) = redact_records([cut])
    assert "marie.l" not in shown and f'"displayName": "{AUTHOR}"' in shown
    assert '"text": "Colis perdu"' in shown


def test_the_author_column_is_found_as_the_connector_finds_it(tmp_path):
    # The files connector reads a mapped column in any case ("Customer" for "customer").
    path = tmp_path / "export.csv"
    path.write_text("ID,Text,Date,Customer\n", encoding="utf-8")
    config = {
        "path": str(path),
        "mapping": {
            "external_id": "id",
            "text": "text",
            "created_at": "date",
            "author": "customer",
        },
    }
    assert author_columns("csv", config, ["export.csv:2"]) == [(3, ",")]
