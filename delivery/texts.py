"""The words of the exported player and handout, in English and French (the scenario's language)."""

from __future__ import annotations

UI: dict[str, dict[str, str]] = {
    "en": {
        "case": "The case",
        "channel": "Channel",
        "situation": "Situation",
        "wants": "What the customer wants",
        "cues": "Cues",
        "customer": "Customer",
        "advisor": "Advisor",
        "your_reply": "Your reply",
        "placeholder": "Write the reply you would send…",
        "submit": "Send my reply and see what happened",
        "empty": "Write your reply first.",
        "real_reply": "What the advisor really replied",
        "what_followed": "What followed",
        "coach_answer": "The coach's answer",
        "peer_answers": "Best answers of your peers",
        "coach_pick": "coach's pick",
        "votes": "votes",
        "self_check": "Check your reply against the objectives",
        "yes": "Yes",
        "partly": "Partly",
        "no": "No",
        "finish": "Finish",
        "answer_all": "Answer every objective first.",
        "done": "Done: your result is recorded.",
        "done_offline": "Done (practice mode: no LMS found, nothing is recorded).",
        "score": "Your score",
        "resume": "Welcome back: you can carry on where you left off.",
        "no_lms": "Practice mode: no LMS found, nothing is recorded.",
        "branching": "Practice the conversation",
        "branching_intro": "Choose a reply at each step and see how the customer reacts.",
        "restart": "Start again",
        "end": "End of the conversation",
        "objectives": "Objectives",
        "question": "What would you reply?",
        "level": "Level",
        "skill": "Skill",
        "operational": "operational",
        "relational": "relational",
        "managerial": "managerial",
        "notes": "Notes",
        "handout_footer": "Casebook handout: a real case, its personal data removed.",
        "scenario": "Scenario",
        "fb_best": "The coach's answer: the reply to aim for.",
        "fb_real_good": "What the advisor really replied: it turned the customer around.",
        "fb_real_poor": "What the advisor really replied: see how the customer took it.",
        "fb_step": "What the advisor really did at this point.",
        "fb_poor": "A reply taken from another case, where it did not work: see the customer's reaction.",
        "try_again": "Try another reply",
        "proceed": "Continue",
        "start": "Start",
        "restart_course": "Start again",
        "end_good": "Well done: this reply is the one to aim for.",
        "end_real": "This is how the real conversation ended.",
        "end_poor": "This reply did not help the customer.",
        "h5p_readme": (
            "One H5P Branching Scenario per scenario: import each .h5p file on its own "
            "(Moodle's H5P activity, Lumi, H5P.com, WordPress with H5P)."
        ),
        "h5p_left_out": (
            "Left out, no branching simulation (it needs a real reply and replies of other "
            "published cases in its language to choose from):"
        ),
    },
    "fr": {
        "case": "Le cas",
        "channel": "Canal",
        "situation": "Situation",
        "wants": "Ce que veut le client",
        "cues": "Indices",
        "customer": "Client",
        "advisor": "Conseiller",
        "your_reply": "Votre réponse",
        "placeholder": "Écrivez la réponse que vous enverriez…",
        "submit": "Envoyer ma réponse et voir la suite",
        "empty": "Écrivez d'abord votre réponse.",
        "real_reply": "Ce que le conseiller a vraiment répondu",
        "what_followed": "La suite",
        "coach_answer": "La réponse du coach",
        "peer_answers": "Les meilleures réponses de vos pairs",
        "coach_pick": "choix du coach",
        "votes": "votes",
        "self_check": "Vérifiez votre réponse au regard des objectifs",
        "yes": "Oui",
        "partly": "En partie",
        "no": "Non",
        "finish": "Terminer",
        "answer_all": "Répondez d'abord pour chaque objectif.",
        "done": "Terminé : votre résultat est enregistré.",
        "done_offline": "Terminé (mode entraînement : aucune plateforme trouvée, rien n'est enregistré).",
        "score": "Votre score",
        "resume": "Bon retour : vous pouvez reprendre où vous en étiez.",
        "no_lms": "Mode entraînement : aucune plateforme trouvée, rien n'est enregistré.",
        "branching": "Entraînez-vous à la conversation",
        "branching_intro": "Choisissez une réponse à chaque étape et voyez comment le client réagit.",
        "restart": "Recommencer",
        "end": "Fin de la conversation",
        "objectives": "Objectifs",
        "question": "Que répondriez-vous ?",
        "level": "Niveau",
        "skill": "Compétence",
        "operational": "opérationnelle",
        "relational": "relationnelle",
        "managerial": "managériale",
        "notes": "Notes",
        "handout_footer": "Fiche Casebook : un cas réel, sans ses données personnelles.",
        "scenario": "Scénario",
        "fb_best": "La réponse du coach : celle à viser.",
        "fb_real_good": "Ce que le conseiller a vraiment répondu : le client s'est apaisé.",
        "fb_real_poor": "Ce que le conseiller a vraiment répondu : voyez comment le client l'a pris.",
        "fb_step": "Ce que le conseiller a vraiment fait à ce moment.",
        "fb_poor": "Une réponse prise dans un autre cas, où elle n'a pas marché : voyez la réaction du client.",
        "try_again": "Essayer une autre réponse",
        "proceed": "Continuer",
        "start": "Commencer",
        "restart_course": "Recommencer",
        "end_good": "Bravo : c'est la réponse à viser.",
        "end_real": "Voici comment la vraie conversation s'est terminée.",
        "end_poor": "Cette réponse n'a pas aidé le client.",
        "h5p_readme": (
            "Un parcours à embranchements H5P par scénario : importez chaque fichier .h5p "
            "séparément (activité H5P de Moodle, Lumi, H5P.com, WordPress avec H5P)."
        ),
        "h5p_left_out": (
            "Laissés de côté, sans parcours à embranchements (il faut une vraie réponse et des "
            "réponses d'autres cas publiés dans sa langue entre lesquelles choisir) :"
        ),
    },
}


# The channels of sources/base.py as a reader of each language names them (the dashboard's too).
CHANNELS: dict[str, dict[str, str]] = {
    "en": {
        "twitter": "twitter",
        "facebook": "facebook",
        "review": "review",
        "app_store": "app store",
        "ticket": "ticket",
        "survey": "survey",
        "chat": "chat",
        "call": "call",
        "email": "email",
        "mixed": "mixed",
    },
    "fr": {
        "twitter": "twitter",
        "facebook": "facebook",
        "review": "avis",
        "app_store": "boutique d'applications",
        "ticket": "ticket",
        "survey": "enquête",
        "chat": "chat",
        "call": "appel",
        "email": "e-mail",
        "mixed": "mixte",
    },
}


def channel_name(channel: str, language: str) -> str:
    """How a reader of `language` names `channel` (as stored when unknown)."""
    return CHANNELS.get(language, CHANNELS["en"]).get(channel, channel)


def ui(language: str) -> dict[str, str]:
    """The player's and handout's words in `language` (English for any other language)."""
    return UI.get(language, UI["en"])
