"""Admin: add an account; the accounts, filtered by role (never their password hashes); and one
account changed: its name, role, team, site, level and the languages of the customers it serves
(which its practice scenarios are in), disabled or enabled again, or given a new password. Every
change is audited under the admin's name."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import components as c
from dashboard import data, errors
from dashboard.auth import require_role
from dashboard.components import ANY
from dashboard.downloads import csv_download
from dashboard.i18n import t
from dashboard.labels import column, label
from store.admin import list_users
from store.users import (
    KEEP,
    LANGUAGES,
    LEVELS,
    create_user,
    reset_password,
    set_disabled,
    update_user,
)

ROLES = ["coach", "advisor", "leader", "admin"]


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _customers_languages(container: Any, key: str) -> list[str]:
    return list(
        container.multiselect(
            t("users_serves"),
            LANGUAGES,
            format_func=label,
            placeholder=t("users_serves_none"),
            help=t("users_serves_help"),
            key=f"{key}_serves",
        )
    )


def _password_twice(key: str) -> tuple[str, str]:
    """The password typed in two fields (keys `key`_password and `key`_again)."""
    first_col, again_col = st.columns(2)
    first = first_col.text_input(
        t("password"), type="password", max_chars=256, key=f"{key}_password"
    )
    again = again_col.text_input(
        t("password_again"), type="password", max_chars=256, key=f"{key}_again"
    )
    return first, again


def _same(typed: tuple[str, str]) -> str:
    """The password typed twice; ValueError when the two differ."""
    if typed[0] != typed[1]:
        raise ValueError("the two passwords differ")
    return typed[0]


admin = require_role("admin")
st.title(t("users_title"))
c.show_flash(toast=True)  # the account's form sits below the table

with st.expander(t("users_add"), icon=":material/person_add:"):
    with st.form("user_add", clear_on_submit=False):
        name_col, username_col = st.columns(2)
        new_name = name_col.text_input(t("users_name"), max_chars=200, key="user_add_name")
        new_username = username_col.text_input(
            t("username"), max_chars=100, key="user_add_username", help=t("users_username_help")
        )
        role_col, level_col = st.columns(2)
        new_role = role_col.selectbox(
            t("ld_role"), ROLES, index=1, format_func=lambda r: t(f"role_{r}"), key="user_add_role"
        )
        new_level = level_col.radio(
            t("level"), LEVELS, format_func=c.level_label, horizontal=True, key="user_add_level"
        )
        team_col, site_col = st.columns(2)
        new_team = team_col.text_input(t("users_team"), max_chars=100, key="user_add_team")
        new_site = site_col.text_input(t("users_site"), max_chars=100, key="user_add_site")
        ui_col, serves_col = st.columns(2)
        new_language = ui_col.selectbox(
            t("interface_language"), LANGUAGES, format_func=label, key="user_add_language"
        )
        new_serves = _customers_languages(serves_col, "user_add")
        password = _password_twice("user_add")
        added = st.form_submit_button(t("users_add_button"), type="primary")
    if added:
        try:
            data.write(
                create_user,
                username=new_username,
                password=_same(password),
                role=new_role,
                display_name=new_name,
                team=new_team.strip() or None,
                site=new_site.strip() or None,
                language=new_language,
                level=new_level,
                work_languages=new_serves,
                actor=admin.username,
            )
        except ValueError as exc:
            st.error(errors.message(exc))
        else:
            # The form emptied, the passwords first, and the new account opened below.
            empty = {f"user_add_{f}": "" for f in ("name", "username", "team", "site")}
            added_as = new_username.strip()
            c.flash(
                t("users_added", username=added_as),
                users_role=ANY,
                users_account=added_as,
                user_add_password="",
                user_add_again="",
                user_add_serves=[],
                **empty,
            )
            st.rerun()

role = c.pick(t("ld_role"), list(ROLES), "users_role", format_func=lambda r: t(f"role_{r}"))
users = data.read(list_users, role=role)
if users.empty:
    c.empty_state(t("empty_users"))
    st.stop()
st.caption(c.md_escape(t("ld_user_count", n=len(users))))
# The store's id is no one's business here: accounts are known by username. Whether an account
# is disabled comes early, where a 1280 px screen shows it.
ORDER = ["username", "display_name", "role", "disabled_at", "level", "team", "site", "language"]
ORDER += ["work_languages", "is_demo", "created_at"]
shown = users[ORDER].rename(columns={"language": "interface_language"})
c.table(shown, key="users_table")
csv_download(shown, "casebook-users.csv", "users_csv")

st.subheader(t("users_edit"))
by_name = {str(row.username): row for row in users.itertuples(index=False)}
username = st.selectbox(t("users_account"), list(by_name), key="users_account")
account = by_name[username]
key = f"user_{account.id}"  # each account's fields are its own widgets
served = account.work_languages.split(", ")
# The fields show the account as stored: set again whenever the store differs from what they were
# set from (another admin's change; the interface language, which an account without customers'
# languages of its own serves, switched), never left to a value the reader did not choose.
stored = {
    "name": account.display_name,
    "role": account.role,
    "team": _text(account.team),
    "site": _text(account.site),
    "level": int(account.level),
    "serves": served,
}
if st.session_state.get(f"{key}_from") != stored:
    for field, value in stored.items():
        st.session_state[f"{key}_{field}"] = value
    st.session_state[f"{key}_from"] = stored
with st.form(f"{key}_form"):
    name = st.text_input(t("users_name"), max_chars=200, key=f"{key}_name")
    new_role = st.selectbox(
        t("ld_role"),
        ROLES,
        format_func=lambda r: t(f"role_{r}"),
        disabled=username == admin.username,  # an admin does not lock themself out
        key=f"{key}_role",
    )
    team_col, site_col = st.columns(2)
    team = team_col.text_input(t("users_team"), max_chars=100, key=f"{key}_team")
    site = site_col.text_input(t("users_site"), max_chars=100, key=f"{key}_site")
    level = st.radio(
        t("level"), LEVELS, format_func=c.level_label, horizontal=True, key=f"{key}_level"
    )
    languages = _customers_languages(st, key)
    saved = st.form_submit_button(t("users_save"), type="primary")
if saved:
    try:
        changed = data.write(
            update_user,
            username=username,
            actor=admin.username,
            display_name=name,
            role=new_role,
            team=team,
            site=site,
            level=level,
            # Untouched, the list stays as kept (none of its own: the interface language's).
            work_languages=KEEP if languages == served else languages,
        )
    except ValueError as exc:
        st.error(errors.message(exc))
    else:
        fields = ", ".join(column(field) for field in changed)
        c.flash(
            t("users_saved", username=username, fields=fields) if changed else t("users_unchanged")
        )
        st.rerun()

disabled = bool(pd.notna(account.disabled_at))
if username == admin.username:
    st.caption(c.md_escape(t("users_yourself")))
elif st.button(t("users_enable") if disabled else t("users_disable"), key=f"{key}_disable"):
    data.write(set_disabled, username=username, disabled=not disabled, actor=admin.username)
    c.flash(t("users_enabled" if disabled else "users_disabled", username=username))
    st.rerun()

with st.form(f"{key}_password_form", clear_on_submit=True):
    st.markdown(f"**{c.md_escape(t('users_new_password', username=username))}**")
    new_password = _password_twice(f"{key}_new")
    reset = st.form_submit_button(t("users_set_password"))
if reset:
    try:
        password = _same(new_password)
        data.write(reset_password, username=username, password=password, actor=admin.username)
    except ValueError as exc:
        st.error(errors.message(exc))
    else:
        c.flash(t("users_password_set", username=username))
        st.rerun()
