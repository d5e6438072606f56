"""Redacting raw records for the admin's eyes.

Quarantined records are rows a connector could not read: they were never analysed, so no redacted
copy of them exists. What the admin's quarantine page shows by default goes through the same
redaction as every comment (nlp.redact: e-mails, phones, cards, IBANs, handles, names of persons);
the raw text is shown only on an explicit, audited action (dashboard.data.quarantine_raw).
"""

from __future__ import annotations

from nlp.redact import apply_redaction, find_pii_batch


def redact_texts(texts: list[str]) -> list[str]:
    """Each text with its personal data replaced by placeholders ([EMAIL], [PHONE], [PERSON]...)."""
    texts = [t or "" for t in texts]
    spans = find_pii_batch(texts)
    return [apply_redaction(text, found) for text, found in zip(texts, spans, strict=True)]
