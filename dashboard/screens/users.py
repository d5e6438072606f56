"""Admin: the users (never their password hashes)."""

from __future__ import annotations

import streamlit as st

from dashboard import components as c
from dashboard import data
from dashboard.auth import require_role
from dashboard.i18n import t

require_role("admin")
st.title(t("users_title"))

users = data.list_users()
if users.empty:
    c.empty_state(t("empty_users"))
else:
    c.table(users)
