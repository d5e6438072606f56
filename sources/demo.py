"""A seeded generator of realistic bilingual customer conversations, written as JSONL per channel.

The output is what `FileConnector(out_dir, "jsonl", mapping=None, channel="demo")` reads: each line
has the record fields (external_id, thread_id, parent_id, author, author_role, channel, created_at,
text, language, likes, shares, replies). Beside them, `labels.csv` says what each thread was
generated as (situation, arc, intensity), for tests and evaluation; it is not read as comments.

    python -m sources.demo OUT_DIR --n 2000 --seed 7
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

DEFAULT_START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SPAN_DAYS = 60
FRENCH_SHARE = 0.45

CHANNELS = ("twitter", "facebook", "review", "app_store", "ticket", "chat", "email", "survey")
CHANNEL_WEIGHTS = (22, 14, 10, 8, 12, 14, 12, 8)
PREFIX = {
    "twitter": "tw",
    "facebook": "fb",
    "review": "rv",
    "app_store": "ap",
    "ticket": "tk",
    "chat": "ch",
    "email": "em",
    "survey": "sv",
}
SOCIAL = ("twitter", "facebook")
MAX_TURNS = {"survey": 1, "review": 3, "app_store": 3}

SITUATIONS = (
    "billing_payment",
    "order_booking",
    "delivery_logistics",
    "service_disruption",
    "product_quality",
    "account_access",
    "technical_support",
    "support_experience",
    "churn_threat",
    "praise",
    "information_request",
)
COMPLAINTS = SITUATIONS[:9]
QUESTIONS = ("information_request", "order_booking", "account_access", "billing_payment")
ARCS = ("recovery", "escalation", "praise", "question", "unresolved", "plain")
ARC_WEIGHTS = (25, 15, 12, 18, 15, 15)


@dataclass(frozen=True)
class Brand:
    name: str
    care: str  # the care account's handle
    slots: dict[str, dict[str, tuple[str, ...]]]  # language -> slot -> choices


def _brand(name: str, care: str, en: tuple[str, str, str], fr: tuple[str, str, str]) -> Brand:
    """A brand from '|'-separated products, services and order words per language.

    French products are masculine, services follow "votre" or "de", and order words are
    feminine, so the templates' articles agree.
    """
    slots = {
        lang: dict(
            zip(
                ("product", "service", "order_word"),
                (tuple(x.split("|")) for x in words),
                strict=True,
            )
        )
        for lang, words in (("en", en), ("fr", fr))
    }
    return Brand(name, care, slots)


# fmt: off
BRANDS = (
    _brand(
        "Nova Telecom", "NovaCare",
        ("fibre box|5G plan|Nova Max router|prepaid SIM|TV decoder",
         "internet|mobile data|landline|TV service|4G signal",
         "order|upgrade request|SIM order"),
        ("modem fibre|forfait 5G|routeur Nova Max|boîtier TV|décodeur TV",
         "connexion internet|réseau mobile|ligne fixe|service TV|réseau 4G",
         "commande|demande de changement d'offre|commande de SIM"),
    ),
    _brand(
        "Aerelia Airlines", "AereliaHelp",
        ("flight|checked bag|seat upgrade|return ticket|lounge pass",
         "online check-in|booking site|mobile boarding pass|app",
         "booking|reservation|refund request"),
        ("vol|bagage en soute|surclassement|billet retour|accès salon",
         "enregistrement en ligne|site de réservation|appli|espace voyageur",
         "réservation|réservation de groupe|demande de remboursement"),
    ),
    _brand(
        "Boutique Lumen", "LumenService",
        ("floor lamp|linen sofa|coffee table|desk chair|wool rug",
         "website|click & collect service|loyalty card|checkout",
         "order|parcel|return"),
        ("lampadaire|canapé en lin|buffet en chêne|fauteuil de bureau|tapis",
         "site|retrait en magasin|programme fidélité|paiement en ligne",
         "commande|livraison|demande de retour"),
    ),
    _brand(
        "Banque Solenne", "SolenneCare",
        ("debit card|savings account|credit card|overdraft",
         "mobile banking app|online banking|card payment service|transfer service",
         "card order|transfer|loan application"),
        ("compte courant|livret|prêt auto|découvert autorisé",
         "appli bancaire|espace client|paiement par carte|service de virement",
         "commande de carte|demande de virement|demande de prêt"),
    ),
    _brand(
        "Voltéo Énergie", "VolteoCare",
        ("smart meter|green energy plan|heat pump|EV charger",
         "electricity|gas supply|customer portal|meter reading service",
         "installation|contract|meter appointment"),
        ("compteur connecté|contrat vert|chauffe-eau|thermostat connecté",
         "électricité|gaz|espace client|télérelevé",
         "installation|souscription|intervention"),
    ),
)
# fmt: on

CITIES = {
    "en": ("Manchester", "Leeds", "Boston", "Denver", "Toronto", "Dublin", "Austin", "Bristol"),
    "fr": ("Lyon", "Marseille", "Toulouse", "Nantes", "Lille", "Bordeaux", "Rennes", "Strasbourg"),
}
FIRST = {
    "en": (
        "Jane",
        "Michael",
        "Sarah",
        "David",
        "Emily",
        "James",
        "Olivia",
        "Daniel",
        "Priya",
        "Marcus",
        "Hannah",
        "Tom",
    ),
    "fr": (
        "Camille",
        "Julien",
        "Sophie",
        "Nicolas",
        "Léa",
        "Thomas",
        "Chloé",
        "Antoine",
        "Manon",
        "Karim",
        "Inès",
        "Mathieu",
    ),
}
LAST = {
    "en": (
        "Doe",
        "Smith",
        "Johnson",
        "Brown",
        "Taylor",
        "Wilson",
        "Patel",
        "Nguyen",
        "Clarke",
        "Evans",
    ),
    "fr": (
        "Martin",
        "Bernard",
        "Dubois",
        "Moreau",
        "Laurent",
        "Lefèvre",
        "Garcia",
        "Roux",
        "Fournier",
        "Benali",
    ),
}
AGENTS = ("Julie", "Marc", "Sam", "Nadia", "Alex", "Yanis", "Emma", "Lucas", "Zoé", "Ben")

# Customer problems per situation; slots: {brand} {product} {service} {order_word} {order}
# {amount} {city} {days}.
PROBLEMS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "billing_payment": (
            "you charged me twice for my {product}, that's {amount} gone from my account",
            "my bill went up by {amount} this month and nobody told me why",
            "I cancelled weeks ago and you STILL took {amount} from my card",
            "I was promised a refund of {amount} {days} days ago and I've seen nothing",
            "there's a {amount} fee on my invoice I never agreed to",
        ),
        "order_booking": (
            "my {order_word} {order} just disappeared from my account",
            "I paid for my {product} but the {order_word} says cancelled?!",
            "your site took my money and never confirmed my {order_word}",
            "I can't change the date on my {order_word} {order}, the page keeps crashing",
        ),
        "delivery_logistics": (
            "my {order_word} {order} was supposed to arrive {days} days ago, tracking hasn't moved",
            "the courier marked my {product} as delivered but there is NOTHING at my door in {city}",
            "my {product} arrived smashed, the box was open",
            "third missed delivery slot in a row, I took a day off for this",
        ),
        "service_disruption": (
            "no {service} in {city} since yesterday morning",
            "{service} has been down for {days} days now, I work from home",
            "your {service} keeps cutting out every 10 minutes",
            "is the {service} down again? Nothing works in {city}",
        ),
        "product_quality": (
            "my brand new {product} stopped working after {days} days",
            "the {product} I received looks nothing like the photos, cheap and scratched",
            "second faulty {product} in a month, what is going on with your quality",
            "the {product} broke the first time I used it",
        ),
        "account_access": (
            "I'm locked out of my account and the reset email never arrives",
            "your {service} says my password is wrong but I just reset it",
            "my account was blocked for 'suspicious activity', I can't do anything",
            "the verification code never comes, I've tried {days} times",
        ),
        "technical_support": (
            "your {service} crashes every time I open it since the update",
            "the {product} won't connect to anything, I followed every step in the guide",
            "error 503 on your {service} all day, cleared cache, reinstalled, nothing",
            "the {product} keeps rebooting on its own",
        ),
        "support_experience": (
            "I've been on hold for {days} hours total this week and nobody helps",
            "your agent hung up on me TWICE today",
            "I've explained my problem to 5 different people, each one tells me something else",
            "nobody answers my emails, it's been {days} days",
        ),
        "churn_threat": (
            "{days} years as a customer and this is how you treat me, I'm looking at your competitors",
            "fix my {service} or I'm cancelling everything today",
            "I'm done, switching provider unless someone actually helps me",
            "give me one reason not to cancel my {product} right now",
        ),
    },
    "fr": {
        "billing_payment": (
            "vous m'avez prélevé deux fois pour mon {product}, soit {amount} en moins sur mon compte",
            "ma facture a augmenté de {amount} ce mois-ci sans aucune explication",
            "j'ai résilié il y a des semaines et vous avez ENCORE prélevé {amount}",
            "on m'a promis un remboursement de {amount} il y a {days} jours, toujours rien",
            "il y a des frais de {amount} sur ma facture que je n'ai jamais acceptés",
        ),
        "order_booking": (
            "ma {order_word} {order} a tout simplement disparu de mon espace client",
            "j'ai payé mon {product} mais ma {order_word} est marquée annulée ?!",
            "votre site a encaissé le paiement et jamais confirmé ma {order_word}",
            "impossible de modifier la date de ma {order_word} {order}, la page plante",
        ),
        "delivery_logistics": (
            "ma {order_word} {order} devait arriver il y a {days} jours, le suivi ne bouge plus",
            "le livreur a indiqué mon {product} comme livré mais il n'y a RIEN devant chez moi à {city}",
            "mon {product} est arrivé cassé, le carton était ouvert",
            "troisième créneau de livraison raté, j'ai posé une journée pour rien",
        ),
        "service_disruption": (
            "plus de {service} à {city} depuis hier matin",
            "{service} en panne depuis {days} jours, je suis en télétravail",
            "votre {service} coupe toutes les 10 minutes",
            "encore une panne de {service} ? Plus rien ne marche à {city}",
        ),
        "product_quality": (
            "mon {product} tout neuf ne fonctionne plus au bout de {days} jours",
            "le {product} reçu ne ressemble pas du tout aux photos, rayé et de mauvaise qualité",
            "deuxième {product} défectueux en un mois, c'est quoi cette qualité",
            "le {product} s'est cassé dès la première utilisation",
        ),
        "account_access": (
            "je n'ai plus accès à mon compte et le mail de réinitialisation n'arrive jamais",
            "votre {service} me dit que mon mot de passe est faux alors que je viens de le changer",
            "mon compte a été bloqué pour « activité suspecte », je ne peux plus rien faire",
            "le code de vérification n'arrive jamais, j'ai essayé {days} fois",
        ),
        "technical_support": (
            "votre {service} plante à chaque ouverture depuis la mise à jour",
            "le {product} ne se connecte à rien, j'ai suivi toutes les étapes du guide",
            "erreur 503 sur votre {service} toute la journée, cache vidé, réinstallé, rien",
            "le {product} redémarre tout seul en boucle",
        ),
        "support_experience": (
            "j'ai passé {days} heures en attente au téléphone cette semaine, personne ne m'aide",
            "votre conseiller m'a raccroché au nez DEUX fois aujourd'hui",
            "j'ai expliqué mon problème à 5 personnes différentes, chacune me dit autre chose",
            "personne ne répond à mes mails depuis {days} jours",
        ),
        "churn_threat": (
            "{days} ans que je suis client et voilà comment vous me traitez, je regarde la concurrence",
            "réglez le problème de {service} ou je résilie tout aujourd'hui",
            "j'en ai assez, je change d'opérateur si personne ne m'aide vraiment",
            "donnez-moi une seule raison de ne pas résilier mon {product} maintenant",
        ),
    },
}

QUESTIONS_TEXT = {
    "en": {
        "information_request": (
            "do you deliver to {city}?",
            "what are your opening hours on Sunday?",
            "is the {product} compatible with older models?",
            "how long does a refund usually take?",
        ),
        "order_booking": (
            "can I still change my {order_word} {order}?",
            "how do I add a {product} to my existing {order_word}?",
        ),
        "account_access": (
            "how do I change the email on my account?",
            "can I share my account with my partner?",
        ),
        "billing_payment": (
            "can I pay my bill in three instalments?",
            "where do I find my invoices for last year?",
        ),
    },
    "fr": {
        "information_request": (
            "vous livrez à {city} ?",
            "quels sont vos horaires le dimanche ?",
            "le {product} est-il compatible avec les anciens modèles ?",
            "combien de temps prend un remboursement en général ?",
        ),
        "order_booking": (
            "est-ce que je peux encore modifier ma {order_word} {order} ?",
            "comment ajouter un {product} à ma {order_word} en cours ?",
        ),
        "account_access": (
            "comment changer l'adresse mail de mon compte ?",
            "est-ce que je peux partager mon compte avec mon conjoint ?",
        ),
        "billing_payment": (
            "est-il possible de payer ma facture en trois fois ?",
            "où trouver mes factures de l'an dernier ?",
        ),
    },
}

PRAISE = {
    "en": (
        "just wanted to say your team in {city} was amazing today",
        "the new {product} is brilliant, best purchase this year",
        "shout out to {brand}, {service} fixed in under an hour",
        "delivery was early and the {product} is perfect, thank you",
        "honestly the smoothest experience I've had with any company",
    ),
    "fr": (
        "je voulais juste dire que votre équipe de {city} a été géniale aujourd'hui",
        "le nouveau {product} est top, meilleur achat de l'année",
        "bravo {brand}, {service} réparé en moins d'une heure",
        "livraison en avance et {product} parfait, merci",
        "franchement l'expérience client la plus fluide que j'ai eue",
    ),
}

OPENERS = {
    "en": (
        "Hi {brand},",
        "Hello,",
        "Hey {brand}",
        "Seriously {brand}?",
        "{brand}",
        "",
        "",
        "Good morning,",
    ),
    "fr": (
        "Bonjour {brand},",
        "Bonjour,",
        "Bonsoir,",
        "Sérieusement {brand} ?",
        "{brand}",
        "",
        "",
        "Salut,",
    ),
}
POLITE = {"en": OPENERS["en"][:3] + ("",), "fr": OPENERS["fr"][:3] + ("",)}
EMOTION = {
    "en": {
        "low": ("Could you help?", "Can someone look into it?", "Thanks in advance.", ""),
        "medium": (
            "This is really frustrating.",
            "Not impressed.",
            "Getting fed up with this.",
            "Really disappointing.",
        ),
        "high": (
            "I'm FURIOUS.",
            "Absolutely unacceptable!!!",
            "Worst service EVER.",
            "I'm sick of this!!",
            "This is a JOKE.",
        ),
    },
    "fr": {
        "low": ("Pouvez-vous m'aider ?", "Quelqu'un peut regarder ?", "Merci d'avance.", ""),
        "medium": (
            "C'est vraiment pénible.",
            "Franchement déçu.",
            "Ça commence à bien faire.",
            "Très décevant.",
        ),
        "high": (
            "Je suis FURIEUX.",
            "C'est inadmissible !!!",
            "Service client NUL.",
            "J'en ai ras-le-bol !!",
            "C'est une HONTE.",
        ),
    },
}
ANGRY_EMOJI = ("😡", "🤬", "😤", "👎", "🙄", "😠")
HAPPY_EMOJI = ("🙏", "😊", "👏", "❤️", "🎉", "👍")

DETAILS = {
    "en": (
        "Order number {order}.",
        "My email is {email}.",
        "You can call me on {phone}.",
        "Account email: {email}, phone {phone}.",
        "Ref {order}, registered to {email}.",
    ),
    "fr": (
        "Numéro de commande {order}.",
        "Mon mail : {email}.",
        "Joignable au {phone}.",
        "Compte au nom de {email}, tél {phone}.",
        "Réf {order}, adresse {email}.",
    ),
}

GREAT_EMPATHY = {
    "en": (
        "{name}, I'm so sorry, that's not the experience you deserve and I completely understand your frustration.",
        "Oh no {name}, I'd be upset too. Thank you for telling us, I'm on it right now.",
        "I'm really sorry {name}, that's on us. Let me sort this out personally.",
    ),
    "fr": (
        "{name}, je suis vraiment désolé(e), ce n'est pas l'expérience que vous méritez et je comprends votre agacement.",
        "Oh non {name}, je serais aussi en colère à votre place. Merci de nous l'avoir signalé, je m'en occupe tout de suite.",
        "Toutes mes excuses {name}, c'est de notre faute. Je prends votre dossier en main personnellement.",
    ),
}
GREAT_ACTION = {
    "en": {
        "billing_payment": "I've refunded the {amount} in full, you'll see it on your card within 3 days, and I've added a month free for the trouble.",
        "order_booking": "I've restored your {order_word} {order} and confirmed it, you'll get the email in a few minutes.",
        "delivery_logistics": "I've sent a replacement {product} by express delivery, it will be with you tomorrow before noon.",
        "service_disruption": "A technician is booked for tomorrow 8-10am in {city}, and I've credited your account for the days without {service}.",
        "product_quality": "A brand new {product} is on its way and a courier will collect the faulty one, free of charge.",
        "account_access": "I've unlocked your account and sent a new reset link, it's valid for 24 hours.",
        "technical_support": "I've pushed a fix to your {service}, could you restart it? I'll stay on the line until it works.",
        "support_experience": "I'm now your single contact until this is solved, here's my direct line so you never wait on hold again.",
        "churn_threat": "I've fixed the {service} issue and applied a loyalty discount of {amount} a month, with no commitment.",
    },
    "fr": {
        "billing_payment": "J'ai remboursé les {amount} en totalité, vous les verrez sous 3 jours, et je vous offre un mois pour le désagrément.",
        "order_booking": "J'ai restauré et confirmé votre {order_word} {order}, vous allez recevoir le mail dans quelques minutes.",
        "delivery_logistics": "Je vous renvoie un {product} en express, il sera chez vous demain avant midi.",
        "service_disruption": "Un technicien passe demain entre 8 h et 10 h à {city}, et je vous ai crédité les jours sans {service}.",
        "product_quality": "Un {product} neuf part aujourd'hui et un transporteur récupère l'ancien, sans frais.",
        "account_access": "J'ai débloqué votre compte et envoyé un nouveau lien de réinitialisation, valable 24 h.",
        "technical_support": "J'ai appliqué un correctif sur votre {service}, pouvez-vous redémarrer ? Je reste avec vous jusqu'à ce que ça marche.",
        "support_experience": "Je deviens votre interlocuteur unique jusqu'à la résolution, voici ma ligne directe pour ne plus attendre.",
        "churn_threat": "J'ai réglé le problème de {service} et appliqué une remise fidélité de {amount} par mois, sans engagement.",
    },
}
GREAT_FOLLOWUP = {
    "en": (
        "I'll check in with you tomorrow to make sure everything is fine.",
        "Anything else I can do for you today?",
        "",
    ),
    "fr": (
        "Je reviens vers vous demain pour m'assurer que tout va bien.",
        "Puis-je faire autre chose pour vous ?",
        "",
    ),
}
ASK_DETAILS = {
    "en": (
        "I'm really sorry {name}, let's fix this now. Could you send me your order or account reference?",
        "That's not acceptable and I want to make it right, {name}. Can you share the reference so I can check?",
    ),
    "fr": (
        "Je suis sincèrement désolé(e) {name}, on règle ça tout de suite. Pouvez-vous m'envoyer votre référence ?",
        "Ce n'est pas normal et je veux arranger ça, {name}. Pouvez-vous me donner votre numéro de dossier ?",
    ),
}
SCRIPTED = {
    "en": (
        "We apologise for any inconvenience caused. Please DM us your details.",
        "Thank you for your feedback. Please refer to our FAQ at help.example.com.",
        "We're sorry to hear that. Please contact our customer service by phone.",
        "Your request has been forwarded to the relevant department.",
    ),
    "fr": (
        "Nous sommes désolés pour la gêne occasionnée. Merci de nous contacter en MP.",
        "Merci pour votre retour. Consultez notre FAQ sur aide.example.com.",
        "Nous sommes navrés. Merci de contacter notre service client par téléphone.",
        "Votre demande a été transmise au service concerné.",
    ),
}
OK_REPLY = {
    "en": (
        "Thanks for reaching out. Can you DM us your reference so we can check?",
        "Sorry about that. The team is aware and working on it.",
        "Thanks, we've logged it and you should hear back within 48 hours.",
    ),
    "fr": (
        "Merci de nous avoir contactés. Pouvez-vous nous envoyer votre référence en MP ?",
        "Désolé pour cela. L'équipe est au courant et travaille dessus.",
        "Merci, c'est noté, vous aurez un retour sous 48 h.",
    ),
}
ANSWERS = {
    "en": (
        "Yes! You can do that from your account under Settings > {service}.",
        "Good question: it usually takes 3 to 5 working days.",
        "Yes we do, and it's free over {amount}.",
        "Absolutely, here's how: open the app, tap Help, then 'My {order_word}'.",
    ),
    "fr": (
        "Oui ! C'est possible depuis votre espace, rubrique Paramètres > {service}.",
        "Bonne question : comptez 3 à 5 jours ouvrés en général.",
        "Oui, et c'est gratuit dès {amount}.",
        "Bien sûr : ouvrez l'appli, touchez Aide puis « Ma {order_word} ».",
    ),
}
THANKS_FOR_PRAISE = {
    "en": (
        "Thank you so much {name}, that made our day! I'll pass it on to the team 😊",
        "Wow, thanks {name}! We love hearing this.",
    ),
    "fr": (
        "Merci beaucoup {name}, ça nous fait très plaisir ! Je transmets à l'équipe 😊",
        "Merci {name} ! Ça fait chaud au cœur.",
    ),
}
DELIGHTED = {
    "en": (
        "Thank you so much, you saved my day!",
        "Wow, that was fast. Thank you {agent}, seriously impressed!",
        "It works!! Thank you, you've turned this around completely.",
        "Honestly didn't expect that. Thanks a million, I'm staying with {brand}.",
        "Update: {brand} sorted everything in 20 minutes. Changing my review to 5 stars.",
    ),
    "fr": (
        "Merci infiniment, au top !",
        "Wow, super rapide. Merci {agent}, vraiment impressionné !",
        "Ça marche !! Merci, vous avez complètement rattrapé le coup.",
        "Franchement je ne m'y attendais pas. Mille mercis, je reste chez {brand}.",
        "Mise à jour : {brand} a tout réglé en 20 minutes. Je passe à 5 étoiles.",
    ),
}
ANGRIER = {
    "en": (
        "Are you kidding me? I've ALREADY sent {days} DMs!!! I'm cancelling and posting this everywhere.",
        "A copy-paste answer, really? I'm reporting you to the ombudsman.",
        "That's it. Cancelling my contract today and telling everyone I know to avoid {brand}.",
        "Nobody reads anything here. I'll see you in small claims court.",
    ),
    "fr": (
        "Vous vous moquez de moi ? J'ai DÉJÀ envoyé {days} MP !!! Je résilie et je vais le dire partout.",
        "Une réponse copiée-collée, sérieusement ? Je saisis le médiateur.",
        "C'est fini. Je résilie aujourd'hui et je vais dire à tout le monde d'éviter {brand}.",
        "Personne ne lit rien ici. On se verra devant l'UFC-Que Choisir.",
    ),
}
STILL_WAITING = {
    "en": (
        "Still waiting for an answer...",
        "Day {days}, still nothing.",
        "Any news? Nobody got back to me.",
    ),
    "fr": (
        "Toujours en attente d'une réponse...",
        "Jour {days}, toujours rien.",
        "Des nouvelles ? Personne ne m'a recontacté.",
    ),
}
OK_THANKS = {
    "en": (
        "Ok thanks, I'll try that.",
        "Alright, thanks.",
        "Got it, cheers.",
        "Thanks for the quick answer.",
    ),
    "fr": (
        "D'accord merci, je vais essayer.",
        "Ok, merci.",
        "Bien reçu, merci.",
        "Merci pour la réponse rapide.",
    ),
}
CLOSING = {
    "en": ("You're welcome, have a great day!", "Glad we could help. Take care!"),
    "fr": ("Avec plaisir, belle journée !", "Ravi(e) d'avoir pu aider. À bientôt !"),
}


@dataclass
class Turn:
    role: str  # customer or agent
    text: str
    intensity: str = "low"


@dataclass
class Thread:
    channel: str
    language: str
    brand: Brand
    situation: str
    arc: str
    intensity: str
    turns: list[Turn] = field(default_factory=list)


class _Writer:
    """Fills templates for one thread: the customer's persona and the brand's slots."""

    def __init__(self, rng: random.Random, language: str, brand: Brand) -> None:
        self.rng = rng
        self.language = language
        self.brand = brand
        first, last = rng.choice(FIRST[language]), rng.choice(LAST[language])
        self.first, self.last = first, last
        self.agent = rng.choice(AGENTS)
        self.values = {
            "brand": brand.name,
            "name": first,
            "agent": self.agent,
            "city": rng.choice(CITIES[language]),
            "days": str(rng.choice((2, 3, 4, 5, 6, 8, 10, 12))),
            "amount": self._amount(),
            "order": self._order(),
            "email": self._email(),
            "phone": self._phone(),
            **{slot: rng.choice(choices) for slot, choices in brand.slots[language].items()},
        }

    def fill(self, template: str) -> str:
        return template.format(**self.values)

    def pick(self, choices: tuple[str, ...]) -> str:
        return self.fill(self.rng.choice(choices))

    def _amount(self) -> str:
        value = self.rng.choice((9.99, 14.5, 29.99, 39, 49.9, 59.99, 89, 120, 249, 32.4))
        if self.language == "fr":
            return f"{value:.2f} €".replace(".", ",").replace(",00", "")
        return f"${value:.2f}".replace(".00", "") if self.rng.random() < 0.5 else f"£{value:.2f}"

    def _order(self) -> str:
        n = self.rng.randrange(100_000, 999_999)
        if self.brand.care == "AereliaHelp":
            return "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
        return f"CMD-{n}" if self.language == "fr" else self.rng.choice((f"#{n}", f"ORD-{n}"))

    def _email(self) -> str:
        local = _ascii(f"{self.first}.{self.last}").lower().replace(" ", "")
        domain = self.rng.choice(("example.com", "example.org", "mail.example.net"))
        return f"{local}@{domain}"

    def _phone(self) -> str:
        digits = [self.rng.randrange(10, 100) for _ in range(4)]
        if self.language == "fr":
            lead = self.rng.choice(("06", "07"))
            if self.rng.random() < 0.4:
                return "+33 " + lead[1] + " " + " ".join(f"{d:02d}" for d in digits)
            return lead + " " + " ".join(f"{d:02d}" for d in digits)
        area = self.rng.choice((212, 415, 312, 617, 303))
        line = self.rng.randrange(100, 200)
        return self.rng.choice((f"({area}) 555-0{line}", f"+1 {area}-555-0{line}"))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _intensify(rng: random.Random, text: str, intensity: str) -> str:
    """CAPS, repeated punctuation and emoji, in proportion to the intensity."""
    if intensity == "high":
        if rng.random() < 0.25:
            text = text.upper()
        elif rng.random() < 0.5:
            words = text.split(" ")
            i = rng.randrange(len(words))
            words[i] = words[i].upper()
            text = " ".join(words)
        text = text.rstrip(".!?") + rng.choice(("!!!", "!!", "!!!!", " !!!", "?!"))
        if rng.random() < 0.6:
            text += " " + "".join(rng.choice(ANGRY_EMOJI) for _ in range(rng.randint(1, 3)))
    elif intensity == "medium" and rng.random() < 0.5:
        text = text.rstrip(".!?") + rng.choice(("!", "!!", "..."))
        if rng.random() < 0.2:
            text += " " + rng.choice(ANGRY_EMOJI)
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _after(opener: str, sentence: str) -> str:
    """The opener then the sentence, lower-casing its first letter after a comma ("Hi X, my...")."""
    if opener.endswith(",") and sentence[:2].istitle() and sentence[1:2].islower():
        sentence = sentence[0].lower() + sentence[1:]
    return _join(opener, sentence)


def _complaint(w: _Writer, situation: str, intensity: str, with_details: bool) -> str:
    rng, lang = w.rng, w.language
    problem = _sentence(w.pick(PROBLEMS[lang][situation]))
    text = _join(
        _after(w.pick(OPENERS[lang]), _intensify(rng, problem, intensity)),
        w.pick(EMOTION[lang][intensity]),
        w.pick(DETAILS[lang]) if with_details else "",
    )
    return text


def _agent(w: _Writer, text: str, channel: str) -> str:
    sign = {"twitter": f" ^{w.agent[0]}{w.rng.choice('ABCDLMRS')}", "chat": f" — {w.agent}"}.get(
        channel, ""
    )
    if channel in ("email", "ticket"):
        hello = "Bonjour" if w.language == "fr" else "Hello"
        regards = "Cordialement" if w.language == "fr" else "Kind regards"
        return f"{hello} {w.first},\n\n{text}\n\n{regards},\n{w.agent}, {w.brand.care}"
    return text + sign


def _compose(rng: random.Random, thread: Thread, w: _Writer) -> list[Turn]:
    lang, sit, intensity, ch = thread.language, thread.situation, thread.intensity, thread.channel
    C, A = "customer", "agent"
    arc = thread.arc
    turns: list[Turn] = []
    if arc == "praise":
        text = _after(w.pick(POLITE[lang]), _sentence(w.pick(PRAISE[lang])))
        if rng.random() < 0.5:
            text += " " + "".join(rng.choice(HAPPY_EMOJI) for _ in range(rng.randint(1, 2)))
        turns.append(Turn(C, text, intensity))
        if rng.random() < 0.7:
            turns.append(Turn(A, _agent(w, w.pick(THANKS_FOR_PRAISE[lang]), ch)))
    elif arc == "question":
        question = _sentence(w.pick(QUESTIONS_TEXT[lang][sit]))
        turns.append(Turn(C, _after(w.pick(POLITE[lang]), question), "low"))
        turns.append(Turn(A, _agent(w, w.pick(ANSWERS[lang]), ch)))
        if rng.random() < 0.5:
            turns.append(Turn(C, w.pick(OK_THANKS[lang]), "low"))
    elif arc == "recovery":
        turns.append(Turn(C, _complaint(w, sit, intensity, rng.random() < 0.3), intensity))
        if MAX_TURNS.get(ch, 6) > 3 and rng.random() < 0.5:  # asks first, then fixes
            turns.append(Turn(A, _agent(w, w.pick(ASK_DETAILS[lang]), ch)))
            turns.append(Turn(C, w.pick(DETAILS[lang]), "medium"))
        great = _join(
            w.pick(GREAT_EMPATHY[lang]),
            w.fill(GREAT_ACTION[lang][sit]),
            w.pick(GREAT_FOLLOWUP[lang]),
        )
        turns.append(Turn(A, _agent(w, great, ch)))
        thanks = w.pick(DELIGHTED[lang])
        if rng.random() < 0.6:
            thanks += " " + "".join(rng.choice(HAPPY_EMOJI) for _ in range(rng.randint(1, 3)))
        turns.append(Turn(C, thanks, "low"))
        if rng.random() < 0.4:
            turns.append(Turn(A, _agent(w, w.pick(CLOSING[lang]), ch)))
    elif arc == "escalation":
        turns.append(Turn(C, _complaint(w, sit, intensity, rng.random() < 0.3), intensity))
        turns.append(Turn(A, _agent(w, w.pick(SCRIPTED[lang]), ch)))
        turns.append(Turn(C, _intensify(rng, w.pick(ANGRIER[lang]), "high"), "high"))
        if rng.random() < 0.5:
            turns.append(Turn(A, _agent(w, w.pick(SCRIPTED[lang]), ch)))
            turns.append(Turn(C, _intensify(rng, w.pick(ANGRIER[lang]), "high"), "high"))
    elif arc == "unresolved":
        turns.append(Turn(C, _complaint(w, sit, intensity, rng.random() < 0.4), intensity))
        if rng.random() < 0.6:
            turns.append(Turn(A, _agent(w, w.pick(OK_REPLY[lang]), ch)))
            if rng.random() < 0.6:
                turns.append(
                    Turn(C, _intensify(rng, w.pick(STILL_WAITING[lang]), "medium"), "medium")
                )
    else:  # plain: a complaint handled correctly, without warmth or drama
        turns.append(Turn(C, _complaint(w, sit, intensity, rng.random() < 0.3), intensity))
        turns.append(Turn(A, _agent(w, w.pick(OK_REPLY[lang]), ch)))
        turns.append(Turn(C, w.pick(OK_THANKS[lang]), "low"))
        if rng.random() < 0.3:
            turns.append(Turn(A, _agent(w, w.pick(CLOSING[lang]), ch)))
    return turns[: MAX_TURNS.get(ch, 6)]


def _plan(rng: random.Random) -> Thread:
    channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    language = "fr" if rng.random() < FRENCH_SHARE else "en"
    brand = rng.choice(BRANDS)
    arc = rng.choices(ARCS, ARC_WEIGHTS)[0]
    if channel == "survey" and arc not in ("praise", "unresolved"):
        arc = rng.choice(("praise", "unresolved"))  # a survey answer is one comment, no reply
    if arc == "praise":
        situation, intensity = "praise", rng.choice(("low", "low", "medium"))
    elif arc == "question":
        situation, intensity = rng.choice(QUESTIONS), "low"
    else:
        situation = rng.choice(COMPLAINTS)
        if arc == "escalation" and rng.random() < 0.3:
            situation = "churn_threat"
        weights = {"recovery": (1, 3, 5), "escalation": (1, 4, 4)}.get(arc, (4, 4, 2))
        intensity = rng.choices(("low", "medium", "high"), weights)[0]
    return Thread(channel, language, brand, situation, arc, intensity)


def _handle(rng: random.Random, w: _Writer, channel: str) -> str:
    first, last = _ascii(w.first).lower(), _ascii(w.last).lower()
    if channel in ("review", "app_store", "survey"):
        return f"{w.first} {w.last[0]}."
    if channel in ("email", "ticket"):
        return w.values["email"]
    return rng.choice(
        (
            f"{first}_{last[0]}{rng.randrange(10, 99)}",
            f"{first}.{last}",
            f"{last}{first[0]}{rng.randrange(1, 9)}",
            f"the_{first}{rng.randrange(70, 99)}",
            f"{first}{last[:3]}",
        )
    )


_GAPS = {  # seconds between turns: (min, max)
    "chat": (40, 420),
    "twitter": (120, 6 * 3600),
    "facebook": (300, 10 * 3600),
    "ticket": (1800, 36 * 3600),
    "email": (3600, 48 * 3600),
    "review": (6 * 3600, 72 * 3600),
    "app_store": (6 * 3600, 72 * 3600),
    "survey": (0, 0),
}


def generate_threads(
    n_comments: int = 2000, seed: int = 7, start: datetime | None = None
) -> list[tuple[Thread, list[dict[str, object]]]]:
    """Threads with their comment rows (record fields), exactly `n_comments` comments in all."""
    rng = random.Random(seed)
    end = start or DEFAULT_START
    if end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    counters = dict.fromkeys(CHANNELS, 0)
    out: list[tuple[Thread, list[dict[str, object]]]] = []
    # (language, situation) -> complaint texts to copy-paste; keyed so a lookup stays cheap at scale
    complaints_seen: dict[tuple[str, str], list[str]] = {}
    total = 0
    while total < n_comments:
        thread = _plan(rng)
        w = _Writer(rng, thread.language, thread.brand)
        turns = _compose(rng, thread, w)
        first = turns[0]
        if first.role == "customer" and thread.arc not in ("praise", "question"):
            same = complaints_seen.get((thread.language, thread.situation), [])
            if same and thread.channel in SOCIAL and rng.random() < 0.08:
                # A copy-pasted complaint: same words, sometimes a prefix or a different ending.
                text = rng.choice(same)
                text = (
                    rng.choice(
                        ("", "+1 ", "Same here: ", "Pareil : " if thread.language == "fr" else "")
                    )
                    + text
                )
                if rng.random() < 0.3:
                    text = text.rstrip("!.") + "!!"
                first.text = text
            else:
                complaints_seen.setdefault((thread.language, thread.situation), []).append(
                    first.text
                )
        turns = turns[: n_comments - total]
        thread.turns = turns
        author = _handle(rng, w, thread.channel)
        low, high = _GAPS[thread.channel]
        gaps = [0] + [rng.randint(low, high) for _ in turns[1:]]
        # The whole thread ends before `end`: it starts at least its duration plus an hour earlier.
        earliest = sum(gaps) + 3600
        at = end - timedelta(seconds=rng.randrange(earliest, max(SPAN_DAYS * 86400, earliest + 1)))
        rows: list[dict[str, object]] = []
        for i, turn in enumerate(turns):
            at += timedelta(seconds=gaps[i])
            counters[thread.channel] += 1
            external_id = f"{PREFIX[thread.channel]}-{counters[thread.channel]:05d}"
            likes, shares = _engagement(rng, thread.channel, turn)
            rows.append(
                {
                    "external_id": external_id,
                    "thread_id": rows[0]["external_id"] if rows else external_id,
                    "parent_id": rows[-1]["external_id"] if rows else None,
                    "author": author if turn.role == "customer" else thread.brand.care,
                    "author_role": turn.role,
                    "channel": thread.channel,
                    "created_at": at.isoformat(timespec="seconds"),
                    "text": turn.text,
                    "language": thread.language,
                    "likes": likes,
                    "shares": shares,
                    "replies": 1 if i < len(turns) - 1 else 0,
                }
            )
        out.append((thread, rows))
        total += len(rows)
    return out


def _engagement(rng: random.Random, channel: str, turn: Turn) -> tuple[int, int]:
    """Likes and shares, on social channels only, heavier on intense posts."""
    if channel not in SOCIAL:
        return 0, 0
    scale = {"low": 2, "medium": 6, "high": 25}[turn.intensity]
    if turn.role == "agent":
        scale = 1
    likes = int(rng.paretovariate(1.6) * scale) - scale + rng.randint(0, 2)
    shares = int(likes * rng.uniform(0.05, 0.4)) if turn.intensity != "low" else 0
    return max(likes, 0), max(shares, 0)


def generate_demo(
    out_dir: Path, n_comments: int = 2000, seed: int = 7, start: datetime | None = None
) -> list[Path]:
    """Write one JSONL file per channel (and labels.csv) to `out_dir`; return the JSONL paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    threads = generate_threads(n_comments, seed, start)
    by_channel: dict[str, list[dict[str, object]]] = {c: [] for c in CHANNELS}
    for thread, rows in threads:
        by_channel[thread.channel].extend(rows)
    paths: list[Path] = []
    for channel, rows in by_channel.items():
        rows.sort(key=lambda r: (str(r["created_at"]), str(r["external_id"])))
        path = out_dir / f"{channel}.jsonl"
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        paths.append(path)
    with (out_dir / "labels.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "thread_id",
                "channel",
                "language",
                "brand",
                "situation",
                "arc",
                "intensity",
                "n_comments",
            ]
        )
        for thread, rows in threads:
            writer.writerow(
                [
                    rows[0]["external_id"],
                    thread.channel,
                    thread.language,
                    thread.brand.name,
                    thread.situation,
                    thread.arc,
                    thread.intensity,
                    len(rows),
                ]
            )
    return paths


def main(argv: list[str] | None = None) -> None:
    """Command line: python -m sources.demo OUT_DIR --n 2000 --seed 7 [--start ISO]."""
    parser = argparse.ArgumentParser(
        prog="python -m sources.demo", description=__doc__.splitlines()[0]
    )
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--n", type=int, default=2000, help="number of comments")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--start",
        type=datetime.fromisoformat,
        default=None,
        help="the newest moment (ISO-8601; default 2026-11-20T12:00Z)",
    )
    args = parser.parse_args(argv)
    paths = generate_demo(args.out_dir, args.n, args.seed, args.start)
    print(f"wrote {args.n} comments to {len(paths)} files in {args.out_dir}")


if __name__ == "__main__":
    main()
