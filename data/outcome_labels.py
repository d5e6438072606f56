"""The values a conversation's outcome takes: one list for the product and the annotated set.

`curation.outcome` writes these values, the annotated conversations (data/eval/conversations,
RUBRIC.md) are labelled with them and `casebook evaluate conversations` compares the two; keeping
them here (the lowest layer, shipped) means the product and the rubric cannot drift apart.
"""

KINDS = ("service", "not_service")
# How the raiser starts; "other" when their first turn is none of these.
STARTS = ("complaint", "request", "praise", "other")
NEEDS = ("solved", "answered", "redirected", "ignored", "none")
ENDS = (
    "delighted",
    "satisfied",
    "relieved",
    "neutral",
    "waiting",
    "angrier",
    "threatening",
    "none",
)
ARCS = ("recovery", "escalation", "unresolved", "praise", "question", "not_service")
DELICATE = ("safety", "legal", "vulnerable", "privacy")
