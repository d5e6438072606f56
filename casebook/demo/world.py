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


def _brand(name: str, care: str, en: dict[str, str], fr: dict[str, str]) -> Brand:
    """A brand from '|'-separated words per slot and language: `product` (goods sold, that may
    break; none for a brand that sells none), `parcel` (what is shipped; its products when not
    given), `device` (what connects and restarts), `plan` (what one subscribes to and cancels),
    `service` (what goes down), `app` (where one signs in) and `order_word`.

    French products, parcels, devices and plans are masculine, services follow "votre" or "de",
    and order words are feminine, so the templates' articles agree.
    """
    slots = {}
    for lang, words in (("en", en), ("fr", fr)):
        words = {"parcel": words["product"], **words} if "product" in words else words
        slots[lang] = {slot: tuple(choices.split("|")) for slot, choices in words.items()}
    return Brand(name, care, slots)


# fmt: off
BRANDS = (
    _brand(
        "Nova Telecom", "NovaCare",
        {"product": "fibre box|Nova Max router|prepaid SIM|TV decoder|5G phone",
         "device": "Nova Max router|TV decoder|fibre box",
         "plan": "5G plan|fibre contract|TV package",
         "service": "internet|mobile data|landline|TV service|4G signal",
         "app": "Nova app|customer area",
         "order_word": "order|upgrade request|SIM order",
         "bill": "monthly bill|phone bill", "appointment": "technician visit|engineer appointment",
         "rival": "provider", "serve": "cover", "cart": "order",
         "repair": "A technician is booked for tomorrow 8-10am at your address"},
        {"product": "modem fibre|routeur Nova Max|boîtier TV|décodeur TV|téléphone 5G",
         "device": "routeur Nova Max|décodeur TV|modem fibre",
         "plan": "forfait 5G|abonnement fibre|bouquet TV",
         "service": "connexion internet|réseau mobile|ligne fixe|service TV|réseau 4G",
         "app": "appli Nova|espace client",
         "order_word": "commande|demande de changement d'offre|commande de SIM",
         "bill": "facture|facture mobile", "appointment": "rendez-vous technicien|passage du technicien",
         "rival": "opérateur", "serve": "couvrez", "cart": "commande",
         "repair": "Un technicien passe demain entre 8 h et 10 h chez vous"},
    ),
    _brand(
        "Aerelia Airlines", "AereliaHelp",
        # an airline sells no goods: its parcels are the bags it delivers late
        {"parcel": "checked bag|suitcase",
         "device": "in-flight Wi-Fi|seat screen",
         "plan": "frequent flyer membership|lounge pass|annual travel pass",
         "service": "online check-in|booking site|mobile boarding pass|app",
         "app": "app|booking site|online check-in",
         "order_word": "booking|reservation|refund request",
         "rival": "airline", "serve": "fly to",
         "repair": "Our IT team fixed the fault this morning"},
        {"parcel": "bagage en soute|sac de voyage",
         "device": "wifi à bord|divertissement à bord",
         "plan": "abonnement voyageur fréquent|accès salon|pass annuel",
         "service": "enregistrement en ligne|site de réservation|appli|espace voyageur",
         "app": "appli|site de réservation|espace voyageur",
         "order_word": "réservation|réservation de groupe|demande de remboursement",
         "rival": "compagnie", "serve": "desservez",
         "repair": "Notre équipe informatique a corrigé la panne ce matin"},
    ),
    _brand(
        "Boutique Lumen", "LumenService",
        {"product": "floor lamp|linen sofa|coffee table|desk chair|wool rug",
         "device": "smart lamp|lamp remote",
         "plan": "loyalty membership|home delivery pass",
         "service": "website|click & collect service|loyalty card|checkout",
         "app": "website|app|checkout",
         "order_word": "order|parcel|return",
         "appointment": "delivery slot", "rival": "shop", "serve": "deliver to", "cart": "order|basket",
         "repair": "Our web team fixed the fault this morning"},
        {"product": "lampadaire|canapé en lin|buffet en chêne|fauteuil de bureau|tapis",
         "device": "lampadaire connecté|variateur connecté",
         "plan": "abonnement fidélité|pass livraison",
         "service": "site|retrait en magasin|programme fidélité|paiement en ligne",
         "app": "site|appli|paiement en ligne",
         "order_word": "commande|livraison|demande de retour",
         "appointment": "créneau de livraison", "rival": "magasin", "serve": "livrez à", "cart": "commande",
         "repair": "Notre équipe web a corrigé la panne ce matin"},
    ),
    _brand(
        "Banque Solenne", "SolenneCare",
        {"product": "card reader|payment terminal",
         "parcel": "debit card|credit card|card reader",
         "device": "card reader|payment terminal",
         "plan": "current account|savings account|credit card|premium package",
         "service": "mobile banking app|online banking|card payment service|transfer service",
         "app": "mobile banking app|online banking",
         "order_word": "card order|transfer|loan application",
         "appointment": "branch appointment|adviser appointment", "rival": "bank", "serve": "have a branch in",
         "repair": "Our teams fixed the fault this morning"},
        {"product": "lecteur de carte|terminal de paiement",
         "parcel": "lecteur de carte|terminal de paiement",
         "device": "lecteur de carte|terminal de paiement",
         "plan": "compte courant|livret|forfait bancaire|contrat premium",
         "service": "appli bancaire|espace client|paiement par carte|service de virement",
         "app": "appli bancaire|espace client",
         "order_word": "commande de carte|demande de virement|demande de prêt",
         "appointment": "rendez-vous en agence|rendez-vous conseiller", "rival": "banque",
         "serve": "avez une agence à", "repair": "Nos équipes ont corrigé la panne ce matin"},
    ),
    _brand(
        "Voltéo Énergie", "VolteoCare",
        {"product": "smart meter|heat pump|EV charger",
         "device": "smart meter|heat pump|EV charger",
         "plan": "green energy plan|gas contract|electricity contract",
         "service": "electricity|gas supply|meter reading service",
         "app": "customer portal|app",
         "order_word": "installation|contract|meter appointment",
         "bill": "energy bill|monthly bill", "appointment": "meter appointment|technician visit",
         "rival": "supplier", "serve": "supply homes in",
         "repair": "A technician is booked for tomorrow 8-10am at your address"},
        {"product": "compteur connecté|thermostat connecté|chauffe-eau",
         "device": "compteur connecté|thermostat connecté",
         "plan": "contrat vert|contrat de gaz|contrat d'électricité",
         "service": "électricité|gaz|télérelevé",
         "app": "espace client|appli",
         "order_word": "installation|souscription|intervention",
         "bill": "facture|facture d'énergie", "appointment": "rendez-vous compteur|passage du technicien",
         "rival": "fournisseur", "serve": "intervenez à",
         "repair": "Un technicien passe demain entre 8 h et 10 h chez vous"},
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
