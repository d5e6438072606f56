"""UI strings in English and French; `t(key)` picks the signed-in user's language.

It is one module because it is one table: each key's English and French side by side, so a
missing translation shows at a glance.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

LANGUAGES = ("en", "fr")
LANGUAGE_KEY = "ui_language"  # the sign-in page's picker
CHOSEN_LANGUAGE_KEY = (
    "ui_language_chosen"  # a language the reader picked: wins over their account's
)
LAST_LANGUAGE_KEY = "ui_language_last"  # the language of the session that signed out
# The language the sign-in page showed unpicked (the last session's, the browser's): this session
# reads in it, but it is no choice of the account's to keep.
SHOWN_LANGUAGE_KEY = "ui_language_shown"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "app_title": "Casebook",
        "sign_in": "Sign in",
        "sign_in_company": "Sign in with your company account",
        "no_account": "No Casebook account is called {email}: ask an admin to create it.",
        "sign_in_title": "Sign in to Casebook",
        "username": "Username",
        "password": "Password",
        "language": "Language",
        "bad_credentials": "Unknown username or wrong password.",
        "sign_in_throttled": "Too many failed sign-ins: try again in {seconds} s.",
        "quarantine_show_raw": "Show the raw text (recorded in the audit log)",
        "quarantine_hide_raw": "Hide the raw text",
        "quarantine_raw_shown": "Raw, unredacted records: this showing is recorded in the audit log, and so is each export.",
        "quarantine_redacted": "Raw records with personal data redacted.",
        "sign_out": "Sign out",
        "signed_in_as": "Signed in as {name}",
        "interface_language": "Interface language",
        "role_label": "Role: {role}",
        "sign_in_required": "Please sign in first.",
        "forbidden": "This page is for the {roles} role; you are signed in as {role}.",
        "role_coach": "coach",
        "role_advisor": "advisor",
        "role_leader": "leader",
        "role_admin": "admin",
        "nav_case_queue": "Case queue",
        "nav_scenario": "Scenario",
        "nav_my_scenarios": "My scenarios",
        "nav_trends": "Trends",
        "nav_sources": "Sources & quarantine",
        "nav_users": "Users",
        "any": "(any)",
        "any_f": "(any)",
        "situation": "Situation",
        "channel": "Channel",
        "arc": "Arc",
        "sentiment": "Sentiment",
        "empty_cases": "No cases yet. They appear here once the curate flow has run.",
        "no_case_match": "No case matches these filters.",
        "pick_case": "Case",
        "case_label": "#{id} · {situation} · {arc} · score {score}",
        "conversation": "Conversation (redacted)",
        "not_redacted": "(not analysed yet: hidden until redacted)",
        "no_comments": "No analysed comments in this case yet.",
        "scenario_draft": "Scenario draft",
        "no_scenario": "This case has no scenario draft yet.",
        "state": "State: {state}",
        "model_answer": 'Model "WoW" answer',
        "level": "Level",
        "target_teams": "Target teams (comma-separated; empty = everyone)",
        "publish": "Publish",
        "published_ok": "Scenario published.",
        "context": "Context",
        "cues": "Cues",
        "question": "What would you reply?",
        "real_reply": "The real reply",
        "no_real_reply": "Nobody answered the customer: the real conversation ends without a reply from an advisor.",
        "outcome": "What happened next",
        "objectives": "Objectives",
        "objective_operational": "Operational",
        "objective_relational": "Relational",
        "objective_managerial": "Managerial",
        "empty_scenarios": "No scenarios yet.",
        "pick_scenario": "Scenario",
        "responses": "Answers",
        "no_responses": "No answers yet.",
        "votes": "{n} vote{s}",
        "comments_count": "{n} comment{s}",
        "empty_my_scenarios": "No scenario is published for your team, language and level yet.",
        "scenario_not_yours": "Scenario {id} is not among yours: it is not published, or it is "
        "meant for another level, team or customers' language. Here are yours.",
        "your_answer": "Your answer",
        "submit": "Submit my answer",
        "answer_saved": "Answer saved.",
        "your_saved_answer": "Your answer",
        "coach_answer": "The coach's model answer",
        "no_coach_answer": "(no model answer)",
        "peers_answers": "Your peers' answers",
        "no_peers": "No peer has answered yet.",
        "vote": "Vote",
        "voted": "Voted",
        "add_comment": "Comment",
        "send_comment": "Send",
        "answered_mark": "answered",
        "trend_title": "Feedback trends",
        "period": "Period",
        "days": "{n} days",
        "group_by": "Group by",
        "empty_trend": "No comments in this period.",
        "recovery_rate": "Recovery rate",
        "recovery_filters": "The recovery rate counts conversations: only the channel, situation and language filters apply to it.",
        "recovery_help": "Conversations that ended in a recovery among those that started unhappy ({recovered} of {total}), every conversation curation read, not only the notable ones kept as cases.",
        "no_recovery": "n/a",
        "download_csv": "Download the data (CSV)",
        "sources_title": "Sources",
        "empty_sources": "No sources configured yet.",
        "quarantine_title": "Quarantine",
        "empty_quarantine": "The quarantine is empty.",
        "users_title": "Users",
        "empty_users": "No users yet. Create one with the casebook command.",
        "users_edit": "Change an account",
        "users_account": "Account",
        "users_name": "Name",
        "users_team": "Team",
        "users_site": "Site",
        "users_serves": "Languages of the customers served",
        "users_serves_help": "The advisor's practice scenarios are in these languages. None: "
        "the language of their interface.",
        "users_serves_none": "None: the interface language",
        "users_save": "Save the account",
        "users_saved": "Account {username} saved: {fields}.",
        "users_unchanged": "Nothing changed.",
        "users_disable": "Disable this account",
        "users_enable": "Enable this account",
        "users_disabled": "Account {username} disabled: it can no longer sign in; its history stays.",
        "users_enabled": "Account {username} enabled: it can sign in again.",
        "users_yourself": "Your own account cannot be disabled from here.",
        "users_add": "Add an account",
        "users_username_help": "What the person types to sign in (with the company's sign-in: their e-mail address).",
        "password_again": "Password again",
        "users_add_button": "Add the account",
        "users_added": "Account {username} added.",
        "users_new_password": "A new password for {username}",
        "users_set_password": "Set the password",
        "users_password_set": "{username} has a new password.",
        "error": "Could not do that: {message}",
        # leader & admin pages
        "nav_emerging": "Emerging issues",
        "nav_coverage": "Training coverage",
        "nav_engagement": "Learning engagement",
        "ld_filters": "Filters",
        "ld_dim_channel": "Channel",
        "ld_dim_source": "Source",
        "ld_dim_situation": "Situation",
        "ld_dim_sentiment": "Sentiment",
        "ld_dim_emotion": "Emotion",
        "ld_dim_language": "Language",
        "ld_dim_team": "Team",
        "ld_dim_site": "Site",
        "ld_version": "Classifier version {version}; periods end on {day}. Counts are customers' comments (advisors' replies are not feedback), from the daily summary kept by enrichment.",
        "ld_partial_day": "The last day, {day}, is counted up to {time} UTC: it is not over, so it reads lower.",
        "ld_total": "Customer comments in the period",
        "ld_emerging_title": "Emerging issues",
        "ld_history": "History",
        "ld_weeks": "{n} weeks",
        "ld_emerging_help": "The week examined ({start} to {end}) against the mean and spread of the {n} week{s} before: flagged when z ≥ 2 and at least 5 comments.",
        "ld_emerging_fewer": " ({weeks} asked for: the data covers no more whole weeks before it.)",
        "ld_flagged": "{n} situation{s} rising",
        "ld_none_flagged": "No situation stands out this week.",
        "ld_other_rising": 'Comments that no situation reads ("Other") are rising: a topic the situations do not know yet. Coaches can label a few of them on their "Teach situations" page, and a classifier trained on those labels takes over.',
        "ld_situations": "Situations",
        "ld_weekly_chart": "Comments per week of the flagged situations (or the most rising ones)",
        "ld_families": "Families of similar cases",
        "ld_families_help": "A family's cases this week against the rest of its size spread over the weeks before; families of two cases or more.",
        "ld_empty_emerging": "No analysed comments in these weeks yet.",
        "ld_empty_families": "No families of similar cases yet. Curation groups them.",
        "ld_coverage_title": "Training coverage",
        "ld_coverage_help": 'Customer comments in the period; cases, published scenarios and advisors who answered them, all time. Highlighted: as many comments as the average situation or more, and no published scenario (praise and "other" are no training need).',
        "ld_gaps": "{n} situation{s} with many comments and no published scenario",
        "ld_no_gaps": "Every busy situation has a published scenario.",
        "ld_empty_coverage": "No situations yet: nothing analysed or curated in this period.",
        "ld_engagement_title": "Learning engagement",
        "ld_group": "Group by",
        "ld_empty_engagement": "No answers, votes or comments in this period.",
        "ld_admin_sources_problem": "The sources file could not be read: {problem}",
        "ld_quarantine_source": "Source",
        "ld_role": "Role",
        "ld_user_count": "{n} account{s}",
        "ld_measure": "Measure",
        "ld_measure_responses": "Answers",
        "ld_measure_votes": "Votes",
        "ld_measure_comments": "Comments on answers",
        # coach & advisor pages
        "nav_case": "Case",
        "nav_families": "Families",
        "nav_campaigns": "Campaigns",
        "nav_progress": "My progress",
        "nav_leaderboards": "Leaderboards",
        "nav_quiz": "Quiz challenge",
        "quiz_no_campaign": "No campaign of your team is running: the quiz challenge comes with a campaign.",
        "quiz_unavailable": "This campaign has no quiz yet: {reason}",
        "quiz_intro": "{n} questions from real cases, {seconds} s each: the faster a right answer, the more points. One try per campaign; the points count in the campaign's leaderboard.",
        "quiz_start": "Start the challenge",
        "quiz_progress": "Question {n} of {total}",
        "quiz_clock": "{left} s left of {limit} s (a late answer counts as wrong)",
        "quiz_choose": "Your answer",
        "quiz_next": "Next question",
        "quiz_finish": "Finish",
        "quiz_done": "Quiz challenge done: {correct}/{questions} right, {points} point{s}.",
        "quiz_review": "Your answers",
        "quiz_no_answer": "No answer",
        "quiz_late": "too late: {seconds} s of {limit} s",
        "quiz_right_but_late": "the right answer, but too late: {seconds} s of {limit} s",
        "quiz_times_up": "Time's up: this question counts as wrong. Go on to the next one.",
        "quiz_right_answer": "Right answer:",
        "emotion": "Emotion",
        "all_time": "all",
        "last_days": "last {n} days",
        "period_reference": "Periods end at the newest comment ({date}).",
        "open_case": "Open the case",
        "no_such_case": "This case no longer exists.",
        "case_facts": "{arc} · score {score} · {situation} · {emotion} · {language} · {channel} · state {state} · {n} similar thread{s} · family: {family}",
        "show_original": "Show the original text",
        "show_original_help": "The unredacted text may hold personal data; each time you tick this, it is recorded in the audit log.",
        "original_text": "Original text (unredacted)",
        "labels": "Labels: {labels}",
        "refined_labels": "Slow pass: {labels}",
        "refined_intensity": "intensity {value}",
        "correct_label": "Correct a label",
        "comment": "Comment",
        "label_field": "Label",
        "new_label": "Correct value",
        "save_correction": "Save the correction",
        "correction_saved": "Correction saved; the case will be curated again.",
        "label_confirmed": "Label confirmed: kept for retraining; the case is unchanged.",
        "case_outcome": "Outcome: starts with a {start} · need {need} · ends {end}{delicate}",
        "case_why": "Why this score: {why}",
        "case_verdict": "Your verdict on this case",
        "verdict_choice": "Verdict",
        "verdict_not_a_case": "Not a case",
        "verdict_wrong_arc": "Wrong arc",
        "right_arc": "The right arc",
        "save_verdict": "Save verdict",
        "verdict_pick": "Choose a verdict first: not a case, or wrong arc.",
        "verdict_saved": "Verdict saved; curation learns from it on its next run.",
        "verdicts_given": "Verdicts given: {verdicts}",
        "edit_scenario": "Edit its scenario",
        "version_line": "Version {version} · skill axis: {axis}",
        "tab_preview": "As advisors see it",
        "tab_edit": "Edit",
        "tab_workflow": "Workflow",
        "tab_versions": "Earlier versions",
        "title": "Title",
        "customer_turn": "Customer turn {n} ({speaker})",
        "cues_one_per_line": "Cues (one per line)",
        "question_text": "Question put to the advisor",
        "customer_wants": "What the customer wants",
        "customer_wants_help": "Advisors read it with the context, and the quiz challenge asks it. The draft gives what the taxonomy says customers of its situation want: say what this customer wants. Empty: no line, and no quiz question on it.",
        "scenario_situation_help": "What advisors see, the exports name and training coverage counts. Changed, it is renamed in the title, the objective and what the customer wants where they still say the one before (a text you rewrote stays yours).",
        "skill_axis": "Skill axis",
        "reason": "Reason",
        "save_version": "Save a new version",
        "version_saved": "New version saved.",
        "nothing_changed": "Nothing changed: no new version was saved.",
        "allowed_moves": "Allowed next states: {moves}",
        "move_to": "Move to",
        "move": "Move",
        "moved": "Moved to {state}.",
        "stay_in": "stay {state} (save only)",
        "scenario_saved": "Saved.",
        "no_legal_moves": "No move is possible from {state}.",
        "edit_needs_review": 'A {state} scenario cannot be edited: move it to a state that can (in review, approved, published) in the "{tab}" tab, with a reason.',
        "save_and_move": "Save and move",
        "review_help": "Each move is one step of the review workflow (candidate, in review, approved, published) and needs a reason; it is recorded in the audit log.",
        "state_candidate": "candidate",
        "state_in_review": "in review",
        "state_approved": "approved",
        "state_published": "published",
        "state_archived": "archived",
        "state_rejected": "rejected",
        "no_versions": "No earlier version: this scenario has not been edited yet.",
        "version_title": "Version {version} · {title} · replaced by {who} on {at}",
        "pick": "Pick as one of the best",
        "unpick": "Remove from the best",
        "coach_pick": "coach's pick",
        "empty_families": "No families yet. They appear once curation has grouped similar cases.",
        "families_singles": "Show single cases too",
        "empty_families_singles": 'No family of two cases or more yet; {n} single case{s}: tick "Show single cases too" to see them.',
        "family_title": "{name} · {n} case{s}, {week} this week",
        "family_example": "#{id} · {title} · {arc} · score {score} · {n} similar thread{s}",
        "open": "Open",
        "new_campaign": "New campaign",
        "campaign_needs_scenarios": "Publish a scenario first: a campaign is made of published scenarios.",
        "campaign_name": "Name",
        "first_day": "First day",
        "last_day": "Last day",
        "teams": "Teams",
        "scenarios": "Scenarios",
        "create_campaign": "Create the campaign",
        "campaign_created": "Campaign created.",
        "campaigns": "Campaigns",
        "empty_campaigns": "No campaigns yet.",
        "pick_campaign": "Campaign",
        "leaderboard_by": "Leaderboard by",
        "by_person": "person",
        "by_team": "team",
        "empty_leaderboard": "Nobody has scored yet.",
        "level_1": "initial training",
        "level_2": "continuing training",
        "level_3": "expertise",
        "points_total": "Points (all time)",
        "points_week": "Points this week",
        "points_month": "Points this month",
        "points_help": "An answer earns 1 point; peers' votes and a coach's pick earn more. Volume alone does not. Quiz challenge points count in their campaign's leaderboard, not here.",
        "my_answers": "My answers",
        "no_answers_yet": "You have not answered any scenario yet.",
        "my_campaigns": "My team's campaigns",
        "no_my_campaigns": "Your team is in no campaign yet.",
        "period_leaderboard": "Leaderboard of the period",
        "this_week": "this week",
        "this_month": "this month",
        "export_title": "Export for your LMS, quiz or print",
        "export_format": "Format",
        "export_prepare": "Prepare the file",
        "export_download": "Download {name}",
        "export_needs_published": "Only a published scenario can be exported.",
        "export_format_scorm12": "SCORM 1.2 package",
        "export_format_scorm2004": "SCORM 2004 4th ed. package",
        "export_format_cmi5": "cmi5 course package",
        "export_format_xapi": "xAPI statements",
        "export_format_kahoot": "Kahoot quiz spreadsheet",
        "export_format_gift": "Moodle GIFT quiz",
        "export_format_qti": "QTI 2.1 package",
        "export_format_h5p": "H5P Branching Scenario",
        "export_format_handout": "printable handout",
        "simulation_title": "Practise the conversation",
        "simulation_intro": "Choose a reply at each step and see how the customer reacts.",
        "simulation_end": "End of the conversation.",
        "simulation_restart": "Start again",
        "other_groups": "all the others",
        "week_of": "Week of",
        "period_all": "all",
        "period_custom": "dates…",
        "period_range": "From – to",
        "period_span": "From {start} to {end}",
        "list_cut": "Showing the {shown} most notable of {total} cases: narrow the filters to see the others.",
        "list_all": "{n} case{s}.",
        "queue_order": "Most notable first, the arcs mixed: a case may come before one of another arc that scores up to {spread} more, so that one kind of case does not fill the top.",
        "list_cut_rows": "Showing {shown} of {total}.",
        "list_all_rows": "{n} in all.",
        "list_size": "Show",
        "list_size_all": "all",
        "situations_cut": "Showing the {shown} comments the classifier is least sure of, of {total} still to label.",
        "quarantine_cut": "Showing the {shown} newest of {total} quarantined records.",
        "ld_week_ending": "Week ending on",
        "ld_families_this_week_only": "Families keep only this week's sizes (the week ending on {day}): pick that day to see them.",
        "unknown_address": "The address /{address} does not exist: here is your home page.",
        "month_of": "Month",
        "loading": "Loading…",
        "saving": "Saving…",
        "choose_teams": "Choose or type teams",
        "choose_scenarios": "Choose published scenarios",
        # teaching situations (coach)
        "nav_situations": "Teach situations",
        "situations_intro": "Label the comments the classifier is least sure of: each label teaches it most there. A few labels per situation are enough to start; then train a classifier on them (below) and it takes over.",
        "situations_counts": "Labels so far, per situation",
        "situation_labels": "labels",
        "situations_empty": "Nothing to label: every analysed customer comment has a coach's label.",
        "situations_now": "now: {situation} ({confidence}){runner_up} · {language} · {channel}",
        "situations_runner_up": ", runner-up: {name}",
        "situation_choice": "Situation",
        "save_label": "Save the label",
        "label_saved": "Comment {id}: {situation}.",
        "situations_train": "When each situation has a few labels: `casebook train situation --from-store --out DIR`, then set CASEBOOK_SITUATION_MODEL=DIR and run `casebook enrich`.",
    },
    "fr": {
        "app_title": "Casebook",
        "sign_in": "Connexion",
        "sign_in_company": "Se connecter avec le compte de l'entreprise",
        "no_account": "Aucun compte Casebook ne s'appelle {email} : demandez à un administrateur de le créer.",
        "sign_in_title": "Connexion à Casebook",
        "username": "Identifiant",
        "password": "Mot de passe",
        "language": "Langue",
        "bad_credentials": "Identifiant inconnu ou mot de passe erroné.",
        "sign_in_throttled": "Trop d'échecs de connexion : réessayez dans {seconds} s.",
        "quarantine_show_raw": "Afficher le texte brut (inscrit au journal d'audit)",
        "quarantine_hide_raw": "Masquer le texte brut",
        "quarantine_raw_shown": "Enregistrements bruts, non caviardés : cet affichage est inscrit au journal d'audit, comme chaque export.",
        "quarantine_redacted": "Enregistrements bruts, données personnelles caviardées.",
        "sign_out": "Se déconnecter",
        "signed_in_as": "Connecté : {name}",
        "interface_language": "Langue de l'interface",
        "role_label": "Rôle : {role}",
        "sign_in_required": "Veuillez d'abord vous connecter.",
        "forbidden": "Cette page est réservée au rôle {roles} ; vous êtes connecté en tant que {role}.",
        "role_coach": "coach",
        "role_advisor": "conseiller",
        "role_leader": "responsable",
        "role_admin": "administrateur",
        "nav_case_queue": "File des cas",
        "nav_scenario": "Scénario",
        "nav_my_scenarios": "Mes scénarios",
        "nav_trends": "Tendances",
        "nav_sources": "Sources et quarantaine",
        "nav_users": "Utilisateurs",
        "any": "(tous)",
        "any_f": "(toutes)",
        "situation": "Situation",
        "channel": "Canal",
        "arc": "Arc",
        "sentiment": "Sentiment",
        "empty_cases": "Aucun cas pour l'instant. Ils apparaissent ici après le flux de curation.",
        "no_case_match": "Aucun cas ne correspond à ces filtres.",
        "pick_case": "Cas",
        "case_label": "n°{id} · {situation} · {arc} · score {score}",
        "conversation": "Conversation (anonymisée)",
        "not_redacted": "(pas encore analysé : masqué jusqu'à anonymisation)",
        "no_comments": "Aucun commentaire analysé dans ce cas pour l'instant.",
        "scenario_draft": "Brouillon de scénario",
        "no_scenario": "Ce cas n'a pas encore de brouillon de scénario.",
        "state": "État : {state}",
        "model_answer": "Réponse modèle « WoW »",
        "level": "Niveau",
        "target_teams": "Équipes visées (séparées par des virgules ; vide = tout le monde)",
        "publish": "Publier",
        "published_ok": "Scénario publié.",
        "context": "Contexte",
        "cues": "Indices",
        "question": "Que répondriez-vous ?",
        "real_reply": "La vraie réponse",
        "no_real_reply": "Personne n'a répondu au client : la vraie conversation s'arrête sans réponse d'un conseiller.",
        "outcome": "La suite",
        "objectives": "Objectifs",
        "objective_operational": "Opérationnel",
        "objective_relational": "Relationnel",
        "objective_managerial": "Managérial",
        "empty_scenarios": "Aucun scénario pour l'instant.",
        "pick_scenario": "Scénario",
        "responses": "Réponses",
        "no_responses": "Aucune réponse pour l'instant.",
        "votes": "{n} vote{s}",
        "comments_count": "{n} commentaire{s}",
        "empty_my_scenarios": "Aucun scénario publié pour votre équipe, langue et niveau pour l'instant.",
        "scenario_not_yours": "Le scénario {id} ne fait pas partie des vôtres : il n'est pas "
        "publié, ou il est destiné à un autre niveau, une autre équipe ou une autre langue de "
        "clients. Voici les vôtres.",
        "your_answer": "Votre réponse",
        "submit": "Envoyer ma réponse",
        "answer_saved": "Réponse enregistrée.",
        "your_saved_answer": "Votre réponse",
        "coach_answer": "La réponse modèle du coach",
        "no_coach_answer": "(pas de réponse modèle)",
        "peers_answers": "Les réponses de vos pairs",
        "no_peers": "Aucun pair n'a encore répondu.",
        "vote": "Voter",
        "voted": "Voté",
        "add_comment": "Commentaire",
        "send_comment": "Envoyer",
        "answered_mark": "répondu",
        "trend_title": "Tendances des retours",
        "period": "Période",
        "days": "{n} jours",
        "group_by": "Regrouper par",
        "empty_trend": "Aucun commentaire sur cette période.",
        "recovery_rate": "Taux de reconquête",
        "recovery_filters": "Le taux de reconquête compte des conversations : seuls les filtres de canal, de situation et de langue s'y appliquent.",
        "recovery_help": "Conversations terminées par une reconquête parmi celles parties mécontentes ({recovered} sur {total}), toutes celles que la curation a lues, pas seulement les plus notables gardées comme cas.",
        "no_recovery": "n/d",
        "download_csv": "Télécharger les données (CSV)",
        "sources_title": "Sources",
        "empty_sources": "Aucune source configurée pour l'instant.",
        "quarantine_title": "Quarantaine",
        "empty_quarantine": "La quarantaine est vide.",
        "users_title": "Utilisateurs",
        "empty_users": "Aucun utilisateur. Créez-en un avec la commande casebook.",
        "users_edit": "Modifier un compte",
        "users_account": "Compte",
        "users_name": "Nom",
        "users_team": "Équipe",
        "users_site": "Site",
        "users_serves": "Langues des clients servis",
        "users_serves_help": "Les scénarios d'entraînement du conseiller sont dans ces langues. "
        "Aucune : la langue de son interface.",
        "users_serves_none": "Aucune : la langue de l'interface",
        "users_save": "Enregistrer le compte",
        "users_saved": "Compte {username} enregistré : {fields}.",
        "users_unchanged": "Rien n'a changé.",
        "users_disable": "Désactiver ce compte",
        "users_enable": "Réactiver ce compte",
        "users_disabled": "Compte {username} désactivé : il ne peut plus se connecter ; son "
        "historique reste.",
        "users_enabled": "Compte {username} réactivé : il peut de nouveau se connecter.",
        "users_yourself": "Votre propre compte ne peut pas être désactivé ici.",
        "users_add": "Ajouter un compte",
        "users_username_help": "Ce que la personne tape pour se connecter (avec la connexion de l'entreprise : son adresse e-mail).",
        "password_again": "Mot de passe, à nouveau",
        "users_add_button": "Ajouter le compte",
        "users_added": "Compte {username} ajouté.",
        "users_new_password": "Un nouveau mot de passe pour {username}",
        "users_set_password": "Enregistrer le mot de passe",
        "users_password_set": "{username} a un nouveau mot de passe.",
        "error": "Impossible : {message}",
        # leader & admin pages
        "nav_emerging": "Sujets émergents",
        "nav_coverage": "Couverture de la formation",
        "nav_engagement": "Engagement dans l'apprentissage",
        "ld_filters": "Filtres",
        "ld_dim_channel": "Canal",
        "ld_dim_source": "Source",
        "ld_dim_situation": "Situation",
        "ld_dim_sentiment": "Sentiment",
        "ld_dim_emotion": "Émotion",
        "ld_dim_language": "Langue",
        "ld_dim_team": "Équipe",
        "ld_dim_site": "Site",
        "ld_version": "Version des classifieurs {version} ; les périodes se terminent le {day}. Les comptes sont les commentaires des clients (les réponses des conseillers ne sont pas des retours), tirés du résumé quotidien tenu par l'enrichissement.",
        "ld_partial_day": "Le dernier jour, le {day}, est compté jusqu'à {time} UTC : il n'est pas fini, il compte donc moins.",
        "ld_total": "Commentaires clients sur la période",
        "ld_emerging_title": "Sujets émergents",
        "ld_history": "Historique",
        "ld_weeks": "{n} semaines",
        "ld_emerging_help": "La semaine examinée (du {start} au {end}) comparée à la moyenne et à la dispersion de {n} semaine{s} précédente{s} : signalé si z ≥ 2 et au moins 5 commentaires.",
        "ld_emerging_fewer": " ({weeks} demandées : les données ne couvrent pas d'autre semaine entière avant elle.)",
        "ld_flagged": "{n} situation{s} en hausse",
        "ld_none_flagged": "Aucune situation ne se détache cette semaine.",
        "ld_other_rising": "Les commentaires qu'aucune situation ne lit (« Autre ») sont en hausse : un sujet que les situations ne connaissent pas encore. Les coachs peuvent en étiqueter quelques-uns sur leur page « Apprendre les situations », et un classifieur entraîné sur ces étiquettes prend le relais.",
        "ld_situations": "Situations",
        "ld_weekly_chart": "Commentaires par semaine des situations signalées (ou des plus en hausse)",
        "ld_families": "Familles de cas similaires",
        "ld_families_help": "Les cas d'une famille cette semaine comparés au reste de sa taille réparti sur les semaines précédentes ; familles de deux cas ou plus.",
        "ld_empty_emerging": "Aucun commentaire analysé sur ces semaines pour l'instant.",
        "ld_empty_families": "Aucune famille de cas similaires pour l'instant. La curation les regroupe.",
        "ld_coverage_title": "Couverture de la formation",
        "ld_coverage_help": "Commentaires clients sur la période ; cas, scénarios publiés et conseillers qui y ont répondu, depuis le début. En évidence : au moins autant de commentaires que la situation moyenne, et aucun scénario publié (les félicitations et « autre » ne sont pas un besoin de formation).",
        "ld_gaps": "{n} situation{s} avec beaucoup de commentaires et aucun scénario publié",
        "ld_no_gaps": "Chaque situation fréquente a un scénario publié.",
        "ld_empty_coverage": "Aucune situation pour l'instant : rien d'analysé ni de sélectionné sur cette période.",
        "ld_engagement_title": "Engagement dans l'apprentissage",
        "ld_group": "Regrouper par",
        "ld_empty_engagement": "Aucune réponse, aucun vote ni commentaire sur cette période.",
        "ld_admin_sources_problem": "Le fichier des sources n'a pas pu être lu : {problem}",
        "ld_quarantine_source": "Source",
        "ld_role": "Rôle",
        "ld_user_count": "{n} compte{s}",
        "ld_measure": "Mesure",
        "ld_measure_responses": "Réponses",
        "ld_measure_votes": "Votes",
        "ld_measure_comments": "Commentaires sur les réponses",
        # coach & advisor pages
        "nav_case": "Cas",
        "nav_families": "Familles",
        "nav_campaigns": "Campagnes",
        "nav_progress": "Ma progression",
        "nav_leaderboards": "Classements",
        "nav_quiz": "Défi quiz",
        "quiz_no_campaign": "Aucune campagne de votre équipe n'est en cours : le défi quiz vient avec une campagne.",
        "quiz_unavailable": "Cette campagne n'a pas encore de quiz : {reason}",
        "quiz_intro": "{n} questions tirées de cas réels, {seconds} s chacune : plus une bonne réponse est rapide, plus elle rapporte. Un seul essai par campagne ; les points comptent dans le classement de la campagne.",
        "quiz_start": "Commencer le défi",
        "quiz_progress": "Question {n} sur {total}",
        "quiz_clock": "{left} s restantes sur {limit} s (une réponse en retard compte comme fausse)",
        "quiz_choose": "Votre réponse",
        "quiz_next": "Question suivante",
        "quiz_finish": "Terminer",
        "quiz_done": "Défi quiz terminé : {correct}/{questions} bonnes réponses, {points} point{s}.",
        "quiz_review": "Vos réponses",
        "quiz_no_answer": "Pas de réponse",
        "quiz_late": "trop tard : {seconds} s sur {limit} s",
        "quiz_right_but_late": "la bonne réponse, mais trop tard : {seconds} s sur {limit} s",
        "quiz_times_up": "Temps écoulé : cette question compte comme fausse. Passez à la suivante.",
        "quiz_right_answer": "Bonne réponse :",
        "emotion": "Émotion",
        "all_time": "tout",
        "last_days": "{n} derniers jours",
        "period_reference": "Les périodes se terminent au commentaire le plus récent ({date}).",
        "open_case": "Ouvrir le cas",
        "no_such_case": "Ce cas n'existe plus.",
        "case_facts": "{arc} · score {score} · {situation} · {emotion} · {language} · {channel} · état {state} · {n} fil{s} similaire{s} · famille : {family}",
        "show_original": "Afficher le texte original",
        "show_original_help": "Le texte non anonymisé peut contenir des données personnelles ; chaque affichage est consigné dans le journal d'audit.",
        "original_text": "Texte original (non anonymisé)",
        "labels": "Étiquettes : {labels}",
        "refined_labels": "Passe lente : {labels}",
        "refined_intensity": "intensité {value}",
        "correct_label": "Corriger une étiquette",
        "comment": "Commentaire",
        "label_field": "Étiquette",
        "new_label": "Valeur correcte",
        "save_correction": "Enregistrer la correction",
        "correction_saved": "Correction enregistrée ; le cas sera réévalué à la prochaine sélection des cas.",
        "label_confirmed": "Étiquette confirmée : gardée pour le réentraînement ; le cas ne change pas.",
        "case_outcome": "Issue : commence par {start} · besoin {need} · finit {end}{delicate}",
        "case_why": "Pourquoi ce score : {why}",
        "case_verdict": "Votre avis sur ce cas",
        "verdict_choice": "Avis",
        "verdict_not_a_case": "Pas un cas",
        "verdict_wrong_arc": "Mauvais arc",
        "right_arc": "Le bon arc",
        "save_verdict": "Enregistrer l'avis",
        "verdict_pick": "Choisissez d'abord un avis : pas un cas, ou mauvais arc.",
        "verdict_saved": "Avis enregistré ; la curation en tiendra compte à sa prochaine exécution.",
        "verdicts_given": "Avis donnés : {verdicts}",
        "edit_scenario": "Modifier son scénario",
        "version_line": "Version {version} · axe de compétence : {axis}",
        "tab_preview": "Vu par les conseillers",
        "tab_edit": "Modifier",
        "tab_workflow": "Circuit de validation",
        "tab_versions": "Versions précédentes",
        "title": "Titre",
        "customer_turn": "Message client {n} ({speaker})",
        "cues_one_per_line": "Indices (un par ligne)",
        "question_text": "Question posée au conseiller",
        "customer_wants": "Ce que veut le client",
        "customer_wants_help": "Les conseillers le lisent avec le contexte, et le défi quiz le demande. Le brouillon reprend ce que la taxonomie dit des clients de sa situation : dites ce que veut ce client. Vide : pas de ligne, et pas de question de quiz dessus.",
        "scenario_situation_help": "Ce que voient les conseillers, ce que nomment les exports et ce que compte la couverture de la formation. Changée, elle est renommée dans le titre, l'objectif et ce que veut le client là où ils disent encore la précédente (un texte que vous avez réécrit reste le vôtre).",
        "skill_axis": "Axe de compétence",
        "reason": "Motif",
        "save_version": "Enregistrer une nouvelle version",
        "version_saved": "Nouvelle version enregistrée.",
        "nothing_changed": "Rien n'a changé : aucune nouvelle version n'a été enregistrée.",
        "allowed_moves": "États suivants possibles : {moves}",
        "move_to": "Passer à",
        "move": "Valider le passage",
        "moved": "Passé à l'état {state}.",
        "stay_in": "rester {state} (enregistrer seulement)",
        "scenario_saved": "Enregistré.",
        "no_legal_moves": "Aucun passage n'est possible depuis l'état {state}.",
        "edit_needs_review": "Un scénario à l'état {state} ne se modifie pas : faites-le passer à un état qui le permet (en relecture, approuvé, publié) dans l'onglet « {tab} », avec un motif.",
        "save_and_move": "Enregistrer et passer",
        "review_help": "Chaque passage est une étape du circuit de validation (candidat, en relecture, approuvé, publié) et demande un motif ; il est inscrit au journal d'audit.",
        "state_candidate": "candidat",
        "state_in_review": "en relecture",
        "state_approved": "approuvé",
        "state_published": "publié",
        "state_archived": "archivé",
        "state_rejected": "rejeté",
        "no_versions": "Aucune version précédente : ce scénario n'a pas encore été modifié.",
        "version_title": "Version {version} · {title} · remplacée par {who} le {at}",
        "pick": "Retenir parmi les meilleures",
        "unpick": "Retirer des meilleures",
        "coach_pick": "choix du coach",
        "empty_families": "Aucune famille pour l'instant. Elles apparaissent quand la curation a regroupé des cas similaires.",
        "families_singles": "Afficher aussi les cas isolés",
        "empty_families_singles": "Aucune famille de deux cas ou plus pour l'instant ; {n} cas isolé{s} : cochez « Afficher aussi les cas isolés » pour les voir.",
        "family_title": "{name} · {n} cas, dont {week} cette semaine",
        "family_example": "n°{id} · {title} · {arc} · score {score} · {n} fil{s} similaire{s}",
        "open": "Ouvrir",
        "new_campaign": "Nouvelle campagne",
        "campaign_needs_scenarios": "Publiez d'abord un scénario : une campagne se compose de scénarios publiés.",
        "campaign_name": "Nom",
        "first_day": "Premier jour",
        "last_day": "Dernier jour",
        "teams": "Équipes",
        "scenarios": "Scénarios",
        "create_campaign": "Créer la campagne",
        "campaign_created": "Campagne créée.",
        "campaigns": "Campagnes",
        "empty_campaigns": "Aucune campagne pour l'instant.",
        "pick_campaign": "Campagne",
        "leaderboard_by": "Classement par",
        "by_person": "personne",
        "by_team": "équipe",
        "empty_leaderboard": "Personne n'a encore marqué de points.",
        "level_1": "formation initiale",
        "level_2": "formation continue",
        "level_3": "expertise",
        "points_total": "Points (depuis le début)",
        "points_week": "Points cette semaine",
        "points_month": "Points ce mois-ci",
        "points_help": "Une réponse rapporte 1 point ; les votes des pairs et le choix du coach rapportent davantage. Le volume seul, non. Les points des défis quiz comptent dans le classement de leur campagne, pas ici.",
        "my_answers": "Mes réponses",
        "no_answers_yet": "Vous n'avez encore répondu à aucun scénario.",
        "my_campaigns": "Les campagnes de mon équipe",
        "no_my_campaigns": "Votre équipe ne participe encore à aucune campagne.",
        "period_leaderboard": "Classement de la période",
        "this_week": "cette semaine",
        "this_month": "ce mois-ci",
        "export_title": "Exporter pour votre plateforme, un quiz ou l'impression",
        "export_format": "Format",
        "export_prepare": "Préparer le fichier",
        "export_download": "Télécharger {name}",
        "export_needs_published": "Seul un scénario publié peut être exporté.",
        "export_format_scorm12": "paquet SCORM 1.2",
        "export_format_scorm2004": "paquet SCORM 2004 4e éd.",
        "export_format_cmi5": "cours cmi5",
        "export_format_xapi": "déclarations xAPI",
        "export_format_kahoot": "tableur de quiz Kahoot",
        "export_format_gift": "quiz Moodle GIFT",
        "export_format_qti": "paquet QTI 2.1",
        "export_format_h5p": "parcours à embranchements H5P",
        "export_format_handout": "fiche imprimable",
        "simulation_title": "Entraînez-vous à la conversation",
        "simulation_intro": "Choisissez une réponse à chaque étape et voyez comment le client réagit.",
        "simulation_end": "Fin de la conversation.",
        "simulation_restart": "Recommencer",
        "other_groups": "tous les autres",
        "week_of": "Semaine du",
        "period_all": "tout",
        "period_custom": "dates…",
        "period_range": "Du – au",
        "period_span": "Du {start} au {end}",
        "list_cut": "Les {shown} cas les plus notables sur {total} sont affichés : affinez les filtres pour voir les autres.",
        "list_all": "{n} cas.",
        "queue_order": "Les plus notables d'abord, trajectoires mêlées : un cas peut précéder un cas d'une autre trajectoire dont le score a jusqu'à {spread} de plus, pour qu'un seul type de cas ne remplisse pas le haut de la file.",
        "list_cut_rows": "{shown} affichés sur {total}.",
        "list_all_rows": "{n} au total.",
        "list_size": "Afficher",
        "list_size_all": "tous",
        "situations_cut": "Les {shown} commentaires dont le classifieur est le moins sûr sont affichés, sur {total} encore à étiqueter.",
        "quarantine_cut": "Les {shown} enregistrements les plus récents sur {total} en quarantaine sont affichés.",
        "ld_week_ending": "Semaine se terminant le",
        "ld_families_this_week_only": "Les familles ne gardent que la taille de cette semaine (celle qui se termine le {day}) : choisissez ce jour pour les voir.",
        "unknown_address": "L'adresse /{address} n'existe pas : voici votre page d'accueil.",
        "month_of": "Mois",
        "loading": "Chargement…",
        "saving": "Enregistrement…",
        "choose_teams": "Choisissez ou saisissez des équipes",
        "choose_scenarios": "Choisissez des scénarios publiés",
        # teaching situations (coach)
        "nav_situations": "Apprendre les situations",
        "situations_intro": "Étiquetez les commentaires dont le classifieur est le moins sûr : c'est là qu'une étiquette lui apprend le plus. Quelques étiquettes par situation suffisent pour commencer ; entraînez ensuite un classifieur sur elles (ci-dessous) et il prend le relais.",
        "situations_counts": "Étiquettes par situation",
        "situation_labels": "étiquettes",
        "situations_empty": "Rien à étiqueter : chaque commentaire client analysé a une étiquette de coach.",
        "situations_now": "actuellement : {situation} ({confidence}){runner_up} · {language} · {channel}",
        "situations_runner_up": ", ensuite : {name}",
        "situation_choice": "Situation",
        "save_label": "Enregistrer l'étiquette",
        "label_saved": "Commentaire {id} : {situation}.",
        "situations_train": "Quand chaque situation a quelques étiquettes : `casebook train situation --from-store --out DOSSIER`, puis CASEBOOK_SITUATION_MODEL=DOSSIER et `casebook enrich`.",
    },
}


# The reader's language where no page runs (a download made on click, in a thread of its own).
_SPEAKING: ContextVar[str | None] = ContextVar("speaking", default=None)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Within it, current_language() is `language` (captured while the page ran)."""
    token = _SPEAKING.set(language)
    try:
        yield
    finally:
        _SPEAKING.reset(token)


def current_language() -> str:
    """The language the reader picked (on the sign-in page or in the sidebar), else the signed-in
    user's, else the sign-in page's, else the browser's when it is French, else English."""
    if (spoken := _SPEAKING.get()) is not None:
        return spoken
    state = st.session_state
    user = state.get("user")
    language = (
        state.get(CHOSEN_LANGUAGE_KEY)
        or state.get(SHOWN_LANGUAGE_KEY)
        or getattr(user, "language", None)
        or state.get(LANGUAGE_KEY)
        or state.get(LAST_LANGUAGE_KEY)
        or _browser_language()
    )
    return language if language in LANGUAGES else "en"


def _browser_language() -> str | None:
    try:
        locale = st.context.locale or ""
    except Exception:  # noqa: BLE001 - no browser behind the session (e.g. AppTest)
        return None
    return "fr" if locale.lower().startswith("fr") else None


def language_picker(key: str) -> None:
    """English or French for this session: the reader's pick wins over their account's language."""
    languages = list(LANGUAGES)

    def chosen() -> None:
        st.session_state[CHOSEN_LANGUAGE_KEY] = st.session_state[key]
        # Every widget's value set again, so that the browser draws it with its labels in the
        # new language: it keeps a picker's label as its value ("(tous)" in English) and a
        # radio lost its dot. A button's (True or False) cannot be set, nor a checkbox's need be.
        for name, value in list(st.session_state.items()):
            if name == key or isinstance(value, bool):
                continue
            if value is not None:  # set to None, a picker shows no choice ("(any)" is "")
                with suppress(StreamlitAPIException):
                    st.session_state[name] = value

    st.selectbox(
        t("interface_language"),
        languages,
        index=languages.index(current_language()),
        key=key,
        format_func=LANGUAGE_NAMES.__getitem__,
        on_change=chosen,
    )


def written(number: str, language: str) -> str:
    """A number Python wrote ("1,234.5") as a reader of `language` writes it: in French, thousands
    apart by a narrow no-break space and a decimal comma ("1 234,5")."""
    if language != "fr":
        return number
    return number.replace(",", "\u202f").replace(".", ",")


def decimal(value: float) -> str:
    """A number as the reader writes it, with as many decimals as it has: 0.1 or 1,234.5 in
    English, 0,1 or 1 234,5 in French."""
    return written(f"{value:,g}", current_language())


def whole(value: int, language: str | None = None) -> str:
    """A count with its thousands apart as the reader (or `language`) writes them: 1,234 or
    1 234."""
    return written(f"{int(value):,}", language or current_language())


def percent(share: float) -> str:
    """A share as the reader writes it: 75% in English, 75 % in French (a narrow no-break space)."""
    text = f"{share:.0%}"
    return text.replace("%", "\u202f%") if current_language() == "fr" else text


def colon() -> str:
    """What stands between a label and its value: ": " in English, " : " in French."""
    return " : " if current_language() == "fr" else ": "


def fixed(value: float, digits: int = 2, sign: bool = False) -> str:
    """A number with `digits` decimals (and its sign with `sign`), as the reader writes it:
    0.81 or 1,234.50 in English, 0,81 or 1 234,50 in French (metrics, texts, table cells)."""
    return written(f"{float(value):{'+' if sign else ''},.{digits}f}", current_language())


def t(key: str, **values: Any) -> str:
    """The UI string `key` in the current language, formatted with `values`; with a count `n`,
    `{s}` is the plural ending its language gives that count ("1 vote", "2 votes"; "0 vote")."""
    language = current_language()
    text = STRINGS[language].get(key)
    if not text:
        language, text = "en", STRINGS["en"].get(key) or key
    if "n" in values:
        values.setdefault("s", "" if _singular(values["n"], language) else "s")
        if isinstance(values["n"], int) and not isinstance(values["n"], bool):
            values["n"] = whole(values["n"], language)
    for name, value in values.items():
        if isinstance(value, date):  # a day (and a time) as the reader writes it
            values[name] = day(value, language)
    return text.format(**values) if values else text


SHORT_MONTHS = {  # also the charts' Vega locales (dashboard.charts.LOCALES)
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "fr": [
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ],
}


def date_format(language: str | None = None, strftime: bool = False) -> str:
    """How the reader writes a day: first in French ("06/12/2026"), else in the order no reader
    misreads ("2026-12-06"); as date pickers and tables take it, or for strftime."""
    french = (language or current_language()) == "fr"
    if strftime:
        return "%d/%m/%Y" if french else "%Y-%m-%d"
    return "DD/MM/YYYY" if french else "YYYY-MM-DD"


def day(value: date, language: str | None = None) -> str:
    """A date as the reader writes it, day first ("7 Nov 2026", "7 nov. 2026"); a datetime with
    its time ("7 nov. 2026 06:56")."""
    language = language or current_language()
    month = SHORT_MONTHS["fr" if language == "fr" else "en"][value.month - 1]
    text = f"{value.day} {month} {value.year}"
    return f"{text} {value:%H:%M}" if isinstance(value, datetime) else text


def _singular(n: Any, language: str) -> bool:
    """CLDR's cardinal rule: English says 1 in the singular, French 0 and 1 too."""
    try:
        count = abs(float(n))
    except (TypeError, ValueError):
        return False
    return count < 2 if language == "fr" else count == 1
