"""Pure domain rules: arcs, notability, scenario drafts, review workflow."""

# Raised whenever a change of curation's rules (cue words, outcome, roles, notability, family
# terms, scenario drafts) can change what a thread gets: the next curation of a store curated
# under another revision curates every thread again (casebook.steps.curate.curate_changed), as
# `casebook families rebuild` does. 7: drafts say what the taxonomy's customer wants, family terms
# drop French elisions; 8: a draft's title names the situation, not the outcome (advisors read it
# before they answer), and families keep to one language; 9: cue words read typographic
# apostrophes ("I’ve refunded"), French fixes in every person ("je vous ai crédité"), and a closing
# "anything else?" is not a question left to the customer; 10: "angrier" needs the customer's
# words, not a negative tone alone; 11: the turn reader's end_worse reads a last turn that says
# the customer is worse off in words no cue list holds; 12: "back on" is no relief after a
# possessive ("watch my back on the 13th"); 13: a customer who fixed it themselves ("when I went
# back to the old build", "toute seule") ends better, but not because of the advisor; a negated
# "satisfied" cue ("none of it helped") is no satisfaction; 14: a case's situation leaves out the
# customer's closing thanks (praise counts only when the customer opens with it).
CURATION_REVISION = "14"
