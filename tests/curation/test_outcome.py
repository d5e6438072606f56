"""The outcome of a conversation: start, need, end, arc and the pivotal reply with its cue."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from casebook_data import outcome_labels as labels
from curation.arcs import AGENT, CUSTOMER, Turn
from curation.cues import rating
from curation.outcome import Outcome, conversation_outcome, fix_confirmed, recording_cues

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def thread(*rows: tuple[str, str, float]) -> list[Turn]:
    """Turns from (role, text, sentiment score); the customer is one author, the brand another."""
    return [
        Turn(
            i + 1,
            role,
            T0 + timedelta(minutes=i),
            text,
            sentiment_score=score,
            emotion="anger" if score <= -0.6 else "neutral",
            author="c" if role == CUSTOMER else "b",
        )
        for i, (role, text, score) in enumerate(rows)
    ]


CASES = [
    (
        "recovery_en",
        thread(
            (CUSTOMER, "My parcel is LOST and nobody answers!!!", -0.9),
            (AGENT, "So sorry, we've sent a replacement by express today.", 0.3),
            (CUSTOMER, "Wow, it arrived this morning, you saved my day!", 0.9),
        ),
        ("complaint", "solved", "delighted", "recovery", 1),
    ),
    (
        "recovery_fr",
        thread(
            (CUSTOMER, "Toujours pas remboursé, c'est honteux !", -0.8),
            (AGENT, "Pouvez-vous nous envoyer votre numéro de commande en privé ?", 0.0),
            (CUSTOMER, "C'est fait.", 0.0),
            (AGENT, "Le remboursement a été effectué ce matin, toutes nos excuses.", 0.2),
            (CUSTOMER, "Merci infiniment, au top !", 0.9),
        ),
        ("complaint", "solved", "delighted", "recovery", 3),
    ),
    (
        "thanks_after_a_redirect_is_not_a_recovery",
        thread(
            (CUSTOMER, "Worst service ever, my internet is down again", -0.9),
            (AGENT, "Sorry to hear that. Please send us a DM with your account number.", 0.0),
            (CUSTOMER, "ok thanks", 0.3),
        ),
        ("complaint", "redirected", "neutral", "unresolved", None),
    ),
    (
        "fixed_elsewhere_is_not_a_recovery",
        thread(
            (CUSTOMER, "Outage for two days, #fail", -0.7),
            (AGENT, "Can you DM the account name and address? We'd like to help.", 0.0),
            (CUSTOMER, "Finally got it sorted via phone support", 0.4),
        ),
        ("complaint", "solved", "relieved", "unresolved", None),
    ),
    (
        "escalation_threat",
        thread(
            (CUSTOMER, "My internet has been down since Monday", -0.4),
            (AGENT, "Please restart your router.", 0.0),
            (CUSTOMER, "I did. This is a joke, I'm cancelling my contract!", -0.95),
        ),
        ("complaint", "answered", "threatening", "escalation", 1),
    ),
    (
        "escalation_fr",
        thread(
            (CUSTOMER, "Compteur défectueux, c'est quoi cette qualité", -0.6),
            (AGENT, "Merci pour votre retour. Consultez notre FAQ.", 0.0),
            (CUSTOMER, "Une réponse copiée-collée, sérieusement ? Je saisis le médiateur !", -0.9),
        ),
        ("complaint", "answered", "threatening", "escalation", 1),
    ),
    (
        "still_waiting_is_not_worse",
        thread(
            (CUSTOMER, "The app crashes every time I open it", -0.5),
            (AGENT, "Have you tried reinstalling it?", 0.0),
            (CUSTOMER, "Yes, still not working", -0.5),
        ),
        ("complaint", "ignored", "waiting", "unresolved", None),
    ),
    (
        "as_angry_as_at_the_start_is_not_worse",
        thread(
            (CUSTOMER, "Worst ISP I have ever had", -0.95),
            (AGENT, "What happened? How can we fix things?", 0.0),
            (CUSTOMER, "It cuts out every 20 minutes, this is ridiculous", -0.9),
        ),
        ("complaint", "ignored", "waiting", "unresolved", None),
    ),
    (
        "calm_start_then_angrier_is_an_escalation",
        thread(
            (CUSTOMER, "My wifi is not working, it cuts out every 20 minutes", -0.4),
            (AGENT, "What happened? How can we fix things?", 0.0),
            (CUSTOMER, "I just told you, this is ridiculous", -0.9),
        ),
        ("complaint", "ignored", "angrier", "escalation", 1),
    ),
    (
        "angry_start_then_a_threat_is_an_escalation",
        thread(
            (CUSTOMER, "Worst ISP I have ever had", -0.95),
            (AGENT, "Please restart your router.", 0.0),
            (CUSTOMER, "Ridiculous. I'm cancelling my contract", -0.9),
        ),
        ("complaint", "answered", "threatening", "escalation", 1),
    ),
    (
        "a strong word in warm thanks is emphasis, not an outburst",
        thread(
            (CUSTOMER, "My internet is down again, this is terrible!", -0.8),
            (AGENT, "I've restored your line, it should work now.", 0.3),
            (CUSTOMER, "Wow, that was fast. Thank you, seriously impressed!", 0.9),
        ),
        ("complaint", "solved", "delighted", "recovery", 1),
    ),
    (
        "sarcastic thanks is still an outburst",
        thread(
            (CUSTOMER, "My internet is down again", -0.4),
            (AGENT, "Please restart your router.", 0.0),
            (CUSTOMER, "Wow, thanks a lot, seriously useless", -0.8),
        ),
        ("complaint", "answered", "angrier", "escalation", 1),
    ),
    (
        "question_answered",
        thread(
            (CUSTOMER, "How do I change the email on my account?", 0.0),
            (AGENT, "Go to Settings > Account > Email and save.", 0.1),
            (CUSTOMER, "Found it, thanks!", 0.6),
        ),
        ("request", "answered", "satisfied", "question", None),
    ),
    (
        "the customer confirms the fix in their own words: a recovery",
        thread(
            (CUSTOMER, "Cannot turn the alarm volume down, it wakes the whole house!", -0.3),
            (AGENT, "Switch off Change with Buttons under Settings > Sounds.", 0.0),
            (CUSTOMER, "Volume sorted, cheers", 0.1),
        ),
        ("complaint", "answered", "satisfied", "recovery", 1),
    ),
    (
        "a fix asked for is not a fix confirmed",
        thread(
            (CUSTOMER, "Cannot turn the alarm volume down, it wakes the whole house!", -0.3),
            (AGENT, "Switch off Change with Buttons under Settings > Sounds.", 0.0),
            (CUSTOMER, "It needs to be fixed. Now.", -0.4),
        ),
        ("complaint", "answered", "neutral", "unresolved", None),
    ),
    (
        "praise",
        thread(
            (CUSTOMER, "Thanks for the great service at the airport today", 0.9),
            (AGENT, "Thanks for flying with us!", 0.8),
        ),
        ("praise", "none", "none", "praise", None),
    ),
    (
        "ignored",
        thread((CUSTOMER, "Why is my bill double this month?", -0.3)),
        ("request", "ignored", "none", "question", None),
    ),
]


@pytest.mark.parametrize(("name", "turns", "expected"), CASES, ids=[c[0] for c in CASES])
def test_outcome(name, turns, expected):
    o = conversation_outcome(turns, channel="twitter")
    assert (o.start, o.need, o.end, o.arc, o.pivotal) == expected
    if o.arc in ("recovery", "escalation"):
        assert o.cue and o.why


def test_a_muted_cue_is_not_read():
    turns = thread(
        (CUSTOMER, "My internet has been down since Monday", -0.4),
        (AGENT, "Please restart your router.", 0.0),
        (CUSTOMER, "are you a bot", -0.3),
    )
    assert conversation_outcome(turns).arc == "escalation"
    assert conversation_outcome(turns, muted=frozenset({"bot"})).arc != "escalation"


def test_recording_cues_collects_every_cue_matched_muted_or_not():
    turns = thread(
        (CUSTOMER, "My internet has been down since Monday", -0.4),
        (AGENT, "Please restart your router.", 0.0),
        (CUSTOMER, "are you a bot, this is ridiculous", -0.3),
    )
    with recording_cues() as seen:
        conversation_outcome(turns, muted=frozenset({"bot"}))
    assert {"bot", "ridiculous"} <= seen
    with recording_cues() as other:
        conversation_outcome(thread((CUSTOMER, "How do I change my email?", 0.0)))
    assert "bot" not in other and "ridiculous" not in other
    before = set(seen)
    conversation_outcome(thread((CUSTOMER, "Worst ISP ever, useless", -0.9)))
    assert seen == before  # outside its block a set is no longer filled


def test_delicate_situations():
    turns = thread(
        (CUSTOMER, "My house was destroyed by the hurricane and my mum is in hospital", -0.8),
        (AGENT, "So sorry. Please DM us your account number.", 0.0),
    )
    assert "vulnerable" in conversation_outcome(turns).delicate
    public = thread((CUSTOMER, "my email is [EMAIL], fix my booking", -0.3))
    assert "privacy" in conversation_outcome(public, channel="twitter").delicate
    assert "privacy" not in conversation_outcome(public, channel="email").delicate


def test_not_service_has_no_arc_of_its_own():
    turns = [
        Turn(1, AGENT, T0, "RT to win a trip! #giveaway", author="b"),
        Turn(2, CUSTOMER, T0 + timedelta(minutes=1), "@b me!", author="c"),
    ]
    o = conversation_outcome(turns)
    assert (o.kind, o.arc, o.pivotal) == ("not_service", "not_service", None)


def test_every_outcome_uses_the_values_the_rubric_labels_with():
    """The product and the annotated set share one vocabulary (casebook_data.outcome_labels):
    whatever curation says (here: every thread above, and a brands-only thread) is a value the
    rubric allows, so the evaluation compares like with like."""
    brands_only = [
        Turn(1, AGENT, T0, "Big summer giveaway! RT to win", author="b"),
        Turn(2, CUSTOMER, T0 + timedelta(minutes=1), "Enter now, use code SUN", author="m"),
    ]
    threads = [turns for _, turns, _ in CASES] + [brands_only, thread((CUSTOMER, "hello", 0.0))]
    for turns in threads:
        outcome = conversation_outcome(turns)
        assert outcome.kind in labels.KINDS
        assert outcome.start in labels.STARTS, outcome
        assert outcome.need in labels.NEEDS
        assert outcome.end in labels.ENDS
        assert outcome.arc in labels.ARCS
        assert set(outcome.delicate) <= set(labels.DELICATE)
    assert conversation_outcome(brands_only).start == "other"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("It's sorted. Thanks.", "sorted"),
        ("that worked, thanks", "worked"),
        ("it works now", "works"),
        ("Banque Solenne a tout réglé en 20 minutes", "réglé"),
        ("problème résolu", "résolu"),
        ("ça marche !! Merci", "marche"),
        ("Fixed!", "Fixed"),
        ("Just fix it", ""),
        ("It needs to be fixed. Permanently.", ""),
        ("still not working", ""),
        ("not fixed yet", ""),
        ("if it works I'll let you know", ""),
        ("they are fixing it", ""),
        ("all sorts of issues", ""),
        ("ça marche pas", ""),
        ("acheté au marché", ""),
    ],
)
def test_fix_confirmed_reads_every_form_of_a_fix_family_unless_unsure(text, said):
    assert fix_confirmed(text) == said


def test_the_stem_of_a_confirmed_fix_is_the_cue_recorded_and_muted():
    turns = thread(
        (CUSTOMER, "Cannot turn the alarm volume down, it wakes the whole house!", -0.3),
        (AGENT, "Switch off Change with Buttons under Settings > Sounds.", 0.0),
        (CUSTOMER, "Volume sorted, cheers", 0.1),
    )
    with recording_cues() as seen:
        assert conversation_outcome(turns).arc == "recovery"
    assert "sort" in seen
    assert conversation_outcome(turns, muted=frozenset({"sort"})).arc != "recovery"


def test_an_unhappy_tone_without_a_cue_word_starts_a_complaint():
    first = "Second water heater in a month, can someone look at it?"
    calm = thread((CUSTOMER, first, -0.5))
    assert conversation_outcome(calm).start == "request"  # tone alone: the emotion is neutral
    sad = [replace(calm[0], emotion="sadness")]
    out = conversation_outcome(sad)
    assert out.start == "complaint" and "sadness" in out.cue
    mild = [replace(calm[0], emotion="sadness", sentiment_score=-0.1)]
    assert conversation_outcome(mild).start == "request"


def test_an_angry_tone_without_the_customers_words_is_not_angrier():
    # A customer upset from a calm start, still waiting: the tone is very negative and angry,
    # the words say nothing worse (no cue of ANGRIER or THREAT).
    turns = thread(
        (CUSTOMER, "When will the pre-orders ship?", 0.1),
        (AGENT, "Please ask the chat team here: link", 0.3),
        (CUSTOMER, "They have no info either..", -0.95),
    )
    out = conversation_outcome(turns)
    assert turns[-1].emotion == "anger"
    assert (out.end, out.arc) != ("angrier", "escalation")
    words = [*turns[:2], replace(turns[2], text="Pathetic. They have no info either..")]
    assert (conversation_outcome(words).end, conversation_outcome(words).arc) == (
        "angrier",
        "escalation",
    )


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("1 star. Half my order missing", 0.2),
        ("2/10. Mon virement n'est pas parti", 0.2),
        ("★☆☆☆☆ l'app crashe", 0.2),
        ("une étoile, pas plus", 0.2),
        ("Moving this to 4 stars.", 0.8),
        ("3.5/5 overall", 0.7),
        ("version 2.1/10 of the app", None),
        ("open 24/7", None),
        ("no score here", None),
    ],
)
def test_rating_reads_review_and_survey_scores(text, score):
    assert rating(text) == score


def test_a_low_review_score_starts_an_unhappy_complaint_and_a_raised_one_ends_it_satisfied():
    turns = thread(
        (CUSTOMER, "2 stars. The room was cold all week.", 0.0),
        (AGENT, "We're sorry. We have refunded one night to your card.", 0.2),
        (CUSTOMER, "Refund came through. Moving this to 4 stars.", 0.0),
    )
    o = conversation_outcome(turns, channel="review")
    assert (o.start, o.end, o.arc) == ("complaint", "satisfied", "recovery")
    still_low = thread(
        (CUSTOMER, "1/5. Cold room.", 0.0),
        (AGENT, "Thanks for your feedback!", 0.3),
        (CUSTOMER, "1/5 still.", 0.0),
    )
    o = conversation_outcome(still_low, channel="review")
    assert (o.start, o.end, o.arc) == ("complaint", "waiting", "unresolved")


def test_an_angry_word_under_a_negation_is_not_an_outburst():
    turns = thread(
        (CUSTOMER, "I think I've been scammed, I moved my savings!!", -0.9),
        (AGENT, "We've refunded the full amount and blocked your card.", 0.2),
        (CUSTOMER, "Phew. Thank you for not making me feel like an idiot.", 0.2),
    )
    assert conversation_outcome(turns).end == "relieved"
    angry = thread(
        (CUSTOMER, "I think I've been scammed, I moved my savings!!", -0.9),
        (AGENT, "Please call the number on your card.", 0.0),
        (CUSTOMER, "Do you think I'm an idiot?", -0.5),
    )
    assert conversation_outcome(angry).end in ("angrier", "waiting")


def test_a_redirect_offered_as_a_fallback_is_not_a_redirect():
    acted = thread(
        (CUSTOMER, "Your desk is CLOSED at 1am and we have two kids here!!", -0.8),
        (AGENT, "The night manager is on his way back now. DM me if he isn't there soon.", 0.2),
        (CUSTOMER, "He's here, thank you so much!", 0.9),
    )
    o = conversation_outcome(acted)
    assert (o.need, o.arc) == ("answered", "recovery")
    sent_away = thread(
        (CUSTOMER, "Your desk is CLOSED at 1am and we have two kids here!!", -0.8),
        (AGENT, "Please DM me your booking number.", 0.0),
        (CUSTOMER, "ok thanks", 0.2),
    )
    assert conversation_outcome(sent_away).need == "redirected"


def test_a_reader_reads_a_start_and_an_end_that_no_cue_word_reads():
    turns = thread(
        (CUSTOMER, "The meter reading on my bill is 46520, mine says 04177.", 0.0),
        (AGENT, "I've corrected the bill with your reading: 131.20 for two months.", 0.1),
        (CUSTOMER, "Received, both.", 0.0),
    )
    assert conversation_outcome(turns).arc != "recovery"  # cue words alone: nothing to read
    said = {
        ("start_complaint", turns[0].text),
        ("unhappy", turns[0].text),
        ("end_better", turns[2].text),
    }

    def reader(question: str, text: str) -> bool:
        return (question, text) in said

    o = conversation_outcome(turns, reader=reader)
    assert (o.start, o.end, o.arc) == ("complaint", "satisfied", "recovery")
    assert "reads as" in o.why
    # A cue word still wins over the reader: a reader that says yes to everything does not make
    # a threat better.
    angry = thread(
        (CUSTOMER, "Charged twice!!", -0.8),
        (AGENT, "Please DM us.", 0.0),
        (CUSTOMER, "I'm cancelling my account.", -0.5),
    )
    assert conversation_outcome(angry, reader=lambda q, t: True).end == "threatening"


def test_the_reader_reads_an_end_worse_off_that_no_cue_word_reads():
    turns = thread(
        (CUSTOMER, "My parcel never came.", -0.5),
        (AGENT, "Please allow 10 more working days.", 0.0),
        (CUSTOMER, "Ten more days. Unbelievable.", -0.6),
    )
    assert conversation_outcome(turns).arc != "escalation"  # cue words alone

    def reader(question: str, text: str) -> bool:
        return question == "end_worse" and text == turns[2].text

    o = conversation_outcome(turns, reader=reader)
    assert (o.end, o.arc, o.pivotal) == ("angrier", "escalation", 1)
    assert "reads as worse off" in o.why
    # Not worse than at the start: the reader reads the first turn so too.
    opened = thread(
        (CUSTOMER, "Ten more days?? Unbelievable.", -0.6),
        (AGENT, "Please allow 10 more working days.", 0.0),
        (CUSTOMER, "Ten more days. Unbelievable.", -0.6),
    )
    both = {t.text for t in opened if t.role == CUSTOMER}
    o = conversation_outcome(opened, reader=lambda q, t: q == "end_worse" and t in both)
    assert o.end == "waiting" and o.arc != "escalation"
    # The reader learnt last turns: an earlier turn it reads so does not make the end worse.
    middle = thread(
        (CUSTOMER, "My parcel never came.", -0.5),
        (AGENT, "Please allow 10 more working days.", 0.0),
        (CUSTOMER, "Ten more days. Unbelievable.", -0.6),
        (AGENT, "Sorry, the courier says it's today.", 0.0),
        (CUSTOMER, "ok", 0.0),
    )
    o = conversation_outcome(middle, reader=lambda q, t: q == "end_worse" and t == middle[2].text)
    assert o.arc != "escalation"


def test_a_fix_word_under_a_negation_is_not_relief():
    tried = thread(
        (CUSTOMER, "Start menu quit working after the update!!", -0.8),
        (AGENT, "Have you tried the troubleshooting steps on our support page.", 0.0),
        (CUSTOMER, "Yes, none of it worked.", -0.4),
    )
    o = conversation_outcome(tried)
    assert o.end != "relieved" and o.arc != "recovery"
    fixed = thread(
        (CUSTOMER, "Start menu quit working after the update!!", -0.8),
        (AGENT, "Please restart in safe mode and reinstall the update.", 0.0),
        (CUSTOMER, "That worked, thank you!", 0.6),
    )
    assert conversation_outcome(fixed).arc == "recovery"


def ends(opening: str, reply: str, last: str, score: float = 0.0) -> Outcome:
    """The outcome of a customer's upset opening, one advisor reply and the customer's last turn."""
    return conversation_outcome(
        thread((CUSTOMER, opening, -0.8), (AGENT, reply, 0.0), (CUSTOMER, last, score))
    )


OUTAGE = "Still no internet since this morning, nothing works!"
UPDATE = "Start menu quit working after the update!!"
STEPS = "Please follow the troubleshooting steps on our support page."


def test_my_back_is_a_body_part_not_a_service_back_on():
    joke = ends(
        OUTAGE, "Sorry! An engineer is on the way.", "I'll have to watch my back on the 13th"
    )
    assert joke.end != "relieved"
    reset = "Sorry! We've reset the line from our end, please check now."
    assert ends(OUTAGE, reset, "It's back on, thanks!", 0.5).end == "relieved"


def test_a_negated_thanks_word_is_no_satisfaction():
    assert ends(UPDATE, STEPS, "Yes, none of it helped.", -0.4).end != "satisfied"
    assert ends(UPDATE, STEPS, "Yes, it helped.", 0.4).end == "satisfied"


def test_a_customer_who_fixed_it_themselves_is_no_recovery():
    reverted = "Done that. But when I went back to the old build everything worked"
    assert ends(UPDATE, STEPS, reverted, 0.2).arc != "recovery"
    alone = ends(
        "Mon compte est bloqué depuis hier !",
        "Réinitialisez le mot de passe depuis l'application.",
        "Oui, c'est réglé, j'ai réussi à le régler toute seule. Merci quand même",
        0.3,
    )
    assert alone.arc != "recovery"


def test_an_invitation_to_a_web_form_is_a_redirect():
    form = thread(
        (CUSTOMER, "Waited an hour and left without my order :(", -0.7),
        (AGENT, "So sorry. Please tell us more so we can help: https://t.co/Ax7W1 -Becky", 0.0),
        (CUSTOMER, "Thanks, will do!", 0.6),
    )
    o = conversation_outcome(form)
    assert o.need == "redirected" and o.arc != "recovery"
    asked_here = thread(
        (CUSTOMER, "Waited an hour and left without my order :(", -0.7),
        (AGENT, "So sorry. Can you tell us more about what happened?", 0.0),
    )
    assert conversation_outcome(asked_here).need != "redirected"


def test_a_question_signed_by_a_redacted_name_is_a_question():
    turns = thread(
        (CUSTOMER, "You charged me full price for my burrito!!", -0.7),
        (AGENT, "Did you come dressed in costume? -[PERSON]", 0.0),
        (CUSTOMER, "Yes ❤️", 0.6),
    )
    o = conversation_outcome(turns)
    assert o.need != "answered" and o.arc != "recovery"


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_cue_words_typed_with_a_typographic_apostrophe_read_the_same(apostrophe):
    def said(text: str) -> str:
        return text.replace("'", apostrophe)

    fixed = thread(
        (CUSTOMER, said("The app doesn't open since the update!"), -0.2),
        (AGENT, said("So sorry, I've refunded the month and pushed a fix."), 0.2),
        (CUSTOMER, said("It's sorted, you're amazing!"), 0.9),
    )
    o = conversation_outcome(fixed)
    assert (o.start, o.need, o.end, o.arc) == ("complaint", "solved", "relieved", "recovery")
    assert fix_confirmed(said("it isn't fixed")) == ""


@pytest.mark.parametrize(
    "reply",
    [
        "Je vous ai crédité les jours sans service.",
        "Nous l'avons réactivé ce matin.",
        "J'ai restauré votre réservation.",
        "Nous vous avons remboursé la commande en totalité.",
        "Lovely, that's done, you're in coach C.",
    ],
)
def test_a_fix_said_in_any_person_is_a_solved_need(reply):
    turns = thread(
        (CUSTOMER, "Service coupé depuis 10 jours, c'est inadmissible !", -0.8),
        (AGENT, reply, 0.2),
        (CUSTOMER, "Merci infiniment, au top !", 0.9),
    )
    o = conversation_outcome(turns)
    assert o.need == "solved" and o.arc == "recovery" and o.pivotal == 1


def test_a_closing_courtesy_question_leaves_the_reply_an_answer():
    def move(reply: str) -> str:
        turns = thread(
            (CUSTOMER, "Where is my refund? Returned the shoes 3 weeks ago", -0.5),
            (AGENT, reply, 0.0),
        )
        return conversation_outcome(turns).need

    assert move("Refunds take 14 days from receipt. Anything else I can help with? ^AB") == (
        "answered"
    )
    assert move("Le délai est de 14 jours. Puis-je faire autre chose pour vous ?") == "answered"
    # A question the customer must answer leaves the need open.
    assert move("Sorry about that. What is your order number? ^AB") == "ignored"


def test_a_reply_that_only_thanks_answers_nothing():
    turns = thread(
        (CUSTOMER, "My order never arrived, third time this month", -0.6),
        (AGENT, "So sorry! Please DM us your order number. ^AB", 0.0),
        (CUSTOMER, "Sent.", 0.0),
        (AGENT, "@c Thanks, we appreciate it! Have a great day ^AB", 0.4),
    )
    assert conversation_outcome(turns).need == "redirected"
    # Thanks beside a pointer still points somewhere.
    pointed = thread(
        (CUSTOMER, "Compteur défectueux, c'est quoi cette qualité", -0.6),
        (AGENT, "Merci pour votre retour. Consultez notre FAQ.", 0.0),
    )
    assert conversation_outcome(pointed).need == "answered"
