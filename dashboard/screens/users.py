"""Admin: the accounts, filtered by role (never their password hashes)."""

from __future__ import annotations

import streamlit as st

from dashboard import components as c
from dashboard import data
from dashboard.auth import require_role
from dashboard.downloads import csv_download
from dashboard.i18n import t
from store.admin import list_users

ROLES = ["coach", "advisor", "leader", "admin"]

require_role("admin")
st.title(t("users_title"))

role = c.pick(t("ld_role"), list(ROLES), "users_role", format_func=lambda r: t(f"role_{r}"))
users = data.read(list_users, role=role)
if users.empty:
    c.empty_state(t("empty_users"))
else:
    st.caption(c.md_escape(t("ld_user_count", n=len(users))))
    c.table(users, key="users_table")
    csv_download(users, "casebook-users.csv", "users_csv")
