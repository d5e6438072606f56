"""Roles: agents who post as customers, side customers, threads that are not service."""

from datetime import UTC, datetime, timedelta

import pytest

from curation.arcs import AGENT, CUSTOMER, Turn
from curation.roles import (
    OTHER,
    AuthorStats,
    has_signature,
    service_kind,
    thread_roles,
)

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def turns(*rows: tuple[str, str, str]) -> list[Turn]:
    """Turns from (channel role, author, text), a minute apart."""
    return [
        Turn(i + 1, role, T0 + timedelta(minutes=i), text, author=author)
        for i, (role, author, text) in enumerate(rows)
    ]


@pytest.mark.parametrize(
    ("text", "signed"),
    [
        ("@115 Are you on wireless or home service? ^JAY", True),
        ("Give it a try. -Tara", True),
        ("We'll look into it *ChrisB", True),
        ("Please DM us - KC", True),
        ("@sprintcare my phone is broken - again", False),
        ("I waited 3 hours -_-", False),
        ("Great flight today!", False),
        # Redaction may have replaced the initials or the name of the signature.
        ("They should show now. ^[PERSON]", True),
        ("Booked for tomorrow. -[PERSON]", True),
        ("I spoke to [PERSON]", False),
    ],
)
def test_signatures(text, signed):
    assert has_signature(text) is signed


def test_an_agent_marked_as_customer_is_found_by_signature_and_account():
    thread = turns(
        (CUSTOMER, "c1", "@brand tried to pay a bill for 60 days, rude staff"),
        (CUSTOMER, "b2", "@c1 Are you referring to wireless or home service? ^JAY"),
        (CUSTOMER, "c1", "@brand nobody can find my account"),
        (CUSTOMER, "b2", "@c1 What state are your services in"),
        (AGENT, "b1", "@c1 Please DM us so we can look into this ^HSB"),
    )
    roles = thread_roles(thread)
    assert roles.roles == (CUSTOMER, AGENT, CUSTOMER, AGENT, AGENT)
    assert roles.reasons[1] == "signed like an agent"
    assert roles.reasons[3] == "same account as the brand's replies"
    assert roles.raiser == "c1"


def test_an_account_that_replies_in_many_threads_is_the_brands():
    thread = turns(
        (CUSTOMER, "c1", "@brand where is my order"),
        (CUSTOMER, "care2", "@c1 looking into it now"),
    )
    stats = {"care2": AuthorStats(threads=40, opened=1), "c1": AuthorStats(threads=1, opened=1)}
    assert thread_roles(thread, stats).roles == (CUSTOMER, AGENT)
    assert thread_roles(thread).roles == (CUSTOMER, OTHER)  # without the store's view


def test_side_customers_and_a_broadcast_root_are_not_the_raiser():
    thread = turns(
        (CUSTOMER, "news", "SNES Classic goes on sale at 7 AM for members only"),
        (CUSTOMER, "c1", "@news @brand can you do the same for the figurines?"),
        (AGENT, "b", "@c1 Great suggestion, shared with our team"),
        (CUSTOMER, "c2", "@brand @c1 same here"),
    )
    roles = thread_roles(thread)
    assert roles.raiser == "c1"
    assert roles.roles == (OTHER, CUSTOMER, AGENT, OTHER)


@pytest.mark.parametrize(
    ("rows", "kind"),
    [
        (
            [
                (AGENT, "b", "Trick or treat? RT to win a year of burritos! #giveaway"),
                (CUSTOMER, "c1", "@b treat!"),
            ],
            "not_service",
        ),
        (
            [(AGENT, "b1", "@b2 love your new ad"), (AGENT, "b2", "@b1 thanks friend")],
            "not_service",
        ),
        ([(CUSTOMER, "c1", "@b my order is late"), (AGENT, "b", "@c1 sorry, DM us")], "service"),
    ],
)
def test_service_kind(rows, kind):
    thread = turns(*rows)
    assert service_kind(thread, thread_roles(thread))[0] == kind


def test_a_staff_member_who_introduces_themselves_speaks_as_the_brand():
    thread = turns(
        (CUSTOMER, "c1", "Your engineer failed to turn up twice. No hot water."),
        (CUSTOMER, "m1", "Hi Dave, Matt here from the installs team. I'll fit it myself at 8am."),
        (CUSTOMER, "c1", "ok Matt, see you then"),
    )
    assert thread_roles(thread).roles == (CUSTOMER, AGENT, CUSTOMER)
    side = turns(
        (CUSTOMER, "c1", "My parcel is stuck since Monday"),
        (CUSTOMER, "c2", "same here, 3 days no update"),
    )
    assert thread_roles(side).roles[1] != AGENT
