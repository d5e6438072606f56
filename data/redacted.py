"""What a redacted text says once redaction's placeholders ([EMAIL], [PHONE], [PERSON]...) are left
out: the measure that puts "My email is [EMAIL]." after a comment that tells its problem."""

import re

PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")


def words_said(text: str) -> int:
    """How many words a redacted text has outside its placeholders."""
    return len(PLACEHOLDER.sub(" ", text or "").split())
