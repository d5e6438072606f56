"""The demo's world: channels, situations, arcs, brands, places and people, with their weights."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

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
