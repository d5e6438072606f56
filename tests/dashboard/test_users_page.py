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


def click(at, label: str) -> None:
    [button] = [b for b in at.button if b.label == label]
    button.click().run()
    assert not at.exception, at.exception


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
    click(at, "Save the account")
    assert not at.exception and not at.error
    changed = stored(stocked, "advisor")
    assert (changed.team, changed.level, changed.work_languages) == ("green", 3, ["en", "fr"])
    assert at.success[0].value == ("Account advisor saved: Team, Level, Customers' languages.")
    [(actor, action, detail)] = audit(stocked)
    assert (actor, action) == ("ali", "user.update")
    assert detail["team"] == ["blue", "green"] and detail["work_languages"] == [None, ["en", "fr"]]
    assert at.toast[0].value == at.success[0].value  # also where the reader is on the page
    # the table shows the new languages, by name
    row = at.dataframe[0].value.set_index("username").loc["advisor"]
    assert row["work_languages"] == "English, French"


def test_saving_an_untouched_account_changes_nothing_and_logs_nothing(stocked):
    at = open_account("peer")
    click(at, "Save the account")
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
        click(at, "Enregistrer le compte")
    assert at.success[0].value == "Rien n'a changé."
    assert at.subheader[0].value == "Modifier un compte"


def add_form(at, **values: object) -> None:
    for name, value in values.items():
        widget = at.multiselect if name == "serves" else at.text_input
        if name in ("role", "language"):
            widget = at.selectbox
        widget(key=f"user_add_{name}").set_value(value)


def test_an_admin_adds_an_account_with_its_customers_languages(stocked):
    from store.users import authenticate

    at = app(admin(), script=page("users")).run()
    add_form(
        at,
        name="Noor",
        username="noor",
        team="green",
        role="advisor",
        language="en",
        serves=["fr"],
        password="violet kettle harbour",
        again="violet kettle harbour",
    )
    click(at, "Add the account")
    assert not at.error, [e.value for e in at.error]
    noor = stored(stocked, "noor")
    assert (noor.display_name, noor.team, noor.language, noor.work_languages) == (
        "Noor",
        "green",
        "en",
        ["fr"],
    )
    assert audit(stocked)[-1][:2] == ("ali", "user.create")
    assert at.success[0].value == "Account noor added."
    # the form emptied (the password first), the new account opened below
    assert at.text_input(key="user_add_password").value == ""
    assert at.text_input(key="user_add_username").value == ""
    assert at.selectbox(key="users_account").value == "noor"
    with transaction(stocked) as s:
        assert authenticate(s, username="noor", password="violet kettle harbour") is not None


def test_an_account_is_refused_with_differing_or_weak_passwords_and_nothing_is_kept(stocked):
    from dashboard.i18n import speaking

    at = app(admin(), script=page("users")).run()
    add_form(at, username="noor", password="violet kettle harbour", again="violet kettle harbor")
    click(at, "Add the account")
    assert "the two passwords differ" in at.error[0].value
    with speaking("fr"):
        at = app(admin(language="fr"), script=page("users")).run()
        add_form(at, username="noor", password="password1", again="password1")
        click(at, "Ajouter le compte")
    assert "l'un des plus courants" in at.error[0].value
    with transaction(stocked) as s:
        assert s.scalar(select(User).where(User.username == "noor")) is None


def test_an_admin_sets_a_new_password(stocked):
    from store.users import authenticate

    at = open_account("peer")
    peer = stored(stocked, "peer")
    at.text_input(key=f"user_{peer.id}_new_password").set_value("amber lantern orchard")
    at.text_input(key=f"user_{peer.id}_new_again").set_value("amber lantern orchard")
    click(at, "Set the password")
    assert at.success[0].value == "peer has a new password."
    assert audit(stocked)[-1][:2] == ("ali", "user.reset_password")
    with transaction(stocked) as s:
        assert authenticate(s, username="peer", password="amber lantern orchard") is not None


def test_the_form_follows_the_store_when_the_interface_language_switches(stocked):
    # An account without customers' languages of its own serves its interface language's: a
    # switch changes what the form must show, and a save without an edit changes nothing.
    from dashboard import data
    from store.users import set_language

    me = stored(stocked, "admin")
    at = open_account("admin", who=admin("admin"))
    assert at.multiselect(key=f"user_{me.id}_serves").value == ["en"]
    with transaction(stocked) as s:
        set_language(s, user_id=me.id, language="fr")  # what the sidebar's switch keeps
    data.clear_reads()
    at.run()
    assert at.multiselect(key=f"user_{me.id}_serves").value == ["fr"]
    click(at, "Save the account")
    assert at.success[0].value == "Nothing changed."
    assert stored(stocked, "admin").work_languages is None
