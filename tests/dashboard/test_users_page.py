"""The admin's Users page changes an account (team, level, the languages of its customers...),
audited under the admin's name, and disables or enables it; never the admin's own role or access."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import sources.base  # noqa: F401  (AppTest's path would let screens/ shadow the package)
from store.db import transaction
from store.models import AuditEntry, User
from store.users import UserInfo
from tests.dashboard.harness import app, page
from tests.dashboard.seed import seed


def admin(username: str = "ali", language: str = "en") -> UserInfo:
    return UserInfo(id=999, username=username, display_name="Ali", role="admin", language=language)


@pytest.fixture
def stocked(db):
    with transaction(db) as s:
        seed(s)
    return db


def stored(db, username: str) -> User:
    with transaction(db) as s:
        user = s.scalar(select(User).where(User.username == username))
        s.expunge(user)
        return user


def audit(db) -> list[tuple[str, str, dict]]:
    with transaction(db) as s:
        return [(e.actor, e.action, e.detail) for e in s.scalars(select(AuditEntry))]


def open_account(username: str, who: UserInfo | None = None):
    at = app(who or admin(), script=page("users")).run()
    at.selectbox(key="users_account").set_value(username).run()
    assert not at.exception and not at.error
    return at


def test_an_admin_changes_an_advisors_team_level_and_customers_languages(stocked):
    at = open_account("advisor")
    advisor = stored(stocked, "advisor")
    key = f"user_{advisor.id}"
    at.text_input(key=f"{key}_team").set_value("green")
    at.radio(key=f"{key}_level").set_value(3)
    at.multiselect(key=f"{key}_serves").set_value(["en", "fr"])
    at.button[0].click().run()  # the form's submit button
    assert not at.exception and not at.error
    changed = stored(stocked, "advisor")
    assert (changed.team, changed.level, changed.work_languages) == ("green", 3, ["en", "fr"])
    assert at.success[0].value == ("Account advisor saved: Team, Level, Customers' languages.")
    [(actor, action, detail)] = audit(stocked)
    assert (actor, action) == ("ali", "user.update")
    assert detail["team"] == ["blue", "green"] and detail["work_languages"] == [None, ["en", "fr"]]
    # the table shows the new languages, by name
    row = at.dataframe[0].value.set_index("username").loc["advisor"]
    assert row["work_languages"] == "English, French"


def test_saving_an_untouched_account_changes_nothing_and_logs_nothing(stocked):
    at = open_account("peer")
    at.button[0].click().run()
    assert at.success[0].value == "Nothing changed."
    assert audit(stocked) == []
    assert stored(stocked, "peer").work_languages is None  # still the interface language's


def test_disabling_and_enabling_from_the_page_is_audited(stocked):
    at = open_account("peer")
    peer = stored(stocked, "peer")
    at.button(key=f"user_{peer.id}_disable").click().run()
    assert stored(stocked, "peer").disabled_at is not None
    assert "disabled" in at.success[0].value
    at.button(key=f"user_{peer.id}_disable").click().run()
    assert stored(stocked, "peer").disabled_at is None
    assert [a for _, a, _ in audit(stocked)] == ["user.disable", "user.enable"]


def test_an_admin_cannot_take_away_their_own_role_or_access(stocked):
    me = stored(stocked, "admin")
    at = open_account("admin", who=admin("admin"))
    assert at.selectbox(key=f"user_{me.id}_role").disabled
    assert not [b for b in at.button if b.key == f"user_{me.id}_disable"]
    assert "cannot be disabled" in at.caption[-1].value


def test_the_page_speaks_french(stocked):
    from dashboard.i18n import speaking

    with speaking("fr"):  # AppTest formats the pickers' values here, in the test's language
        at = open_account("advisor", who=admin(language="fr"))
        at.button[0].click().run()
    assert at.success[0].value == "Rien n'a changé."
    assert at.subheader[0].value == "Modifier un compte"
