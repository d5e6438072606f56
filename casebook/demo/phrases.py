"""The demo's phrase tables, in English and French: what customers and agents say, by situation,
arc and turn. Slots in braces are filled by the generator (casebook/demo/generator.py).
"""

from __future__ import annotations

# Customer problems per situation; slots: {brand} {product} (goods sold, that may break) {parcel}
# (what is shipped) {device} (what connects and restarts) {plan} (what one subscribes to and
# cancels) {service} (what goes down) {app} (where one signs in) {bill} (what is billed each month)
# {appointment} (a visit or slot the customer waits in for) {rival} (a competitor's kind) {serve}
# (the verb of where it works: "fly to") {cart} (an order one adds to) {repair} (the agent's
# words for a service fixed) {order_word} {order} {amount} {city} {days}. A brand without one of
# these slots (an airline sells no goods, sends no bill) is never given a template that needs it.
PROBLEMS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "billing_payment": (
            "you charged me twice for my {plan}, that's {amount} gone from my account",
            "my {bill} went up by {amount} this month and nobody told me why",
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
            "my {parcel} was supposed to arrive {days} days ago, tracking hasn't moved",
            "the courier marked my {parcel} as delivered but there is NOTHING at my door in {city}",
            "my {parcel} arrived smashed, the box was open",
            "third missed {appointment} in a row, I took a day off for this",
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
            "your {app} says my password is wrong but I just reset it",
            "my account was blocked for 'suspicious activity', I can't do anything",
            "the verification code never comes, I've tried {days} times",
        ),
        "technical_support": (
            "your {app} crashes every time I open it since the update",
            "the {device} won't connect to anything, I followed every step in the guide",
            "error 503 on your {app} all day, cleared cache, reinstalled, nothing",
            "the {device} keeps rebooting on its own",
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
            "I'm done, I'm going to another {rival} unless someone actually helps me",
            "give me one reason not to cancel my {plan} right now",
        ),
    },
    "fr": {
        "billing_payment": (
            "vous m'avez prélevé deux fois pour mon {plan}, soit {amount} en moins sur mon compte",
            "ma {bill} a augmenté de {amount} ce mois-ci sans aucune explication",
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
            "mon {parcel} devait arriver il y a {days} jours, le suivi ne bouge plus",
            "le livreur a indiqué mon {parcel} comme livré mais il n'y a RIEN devant chez moi à {city}",
            "mon {parcel} est arrivé cassé, le carton était ouvert",
            "troisième {appointment} raté, j'ai posé une journée pour rien",
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
            "votre {app} me dit que mon mot de passe est faux alors que je viens de le changer",
            "mon compte a été bloqué pour « activité suspecte », je ne peux plus rien faire",
            "le code de vérification n'arrive jamais, j'ai essayé {days} fois",
        ),
        "technical_support": (
            "votre {app} plante à chaque ouverture depuis la mise à jour",
            "le {device} ne se connecte à rien, j'ai suivi toutes les étapes du guide",
            "erreur 503 sur votre {app} toute la journée, cache vidé, réinstallé, rien",
            "le {device} redémarre tout seul en boucle",
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
            "j'en ai assez, je change de {rival} si personne ne m'aide vraiment",
            "donnez-moi une seule raison de ne pas résilier mon {plan} maintenant",
        ),
    },
}

QUESTIONS_TEXT = {
    "en": {
        "information_request": (
            "do you {serve} {city}?",
            "what are your opening hours on Sunday?",
            "is the {device} compatible with older models?",
            "how long does a refund usually take?",
        ),
        "order_booking": (
            "can I still change my {order_word} {order}?",
            "how do I add a {product} to my {cart}?",
        ),
        "account_access": (
            "how do I change the email on my account?",
            "can I share my account with my partner?",
        ),
        "billing_payment": (
            "can I pay my {bill} in three instalments?",
            "where do I find my invoices for last year?",
        ),
    },
    "fr": {
        "information_request": (
            "vous {serve} {city} ?",
            "quels sont vos horaires le dimanche ?",
            "le {device} est-il compatible avec les anciens modèles ?",
            "combien de temps prend un remboursement en général ?",
        ),
        "order_booking": (
            "est-ce que je peux encore modifier ma {order_word} {order} ?",
            "comment ajouter un {product} à ma {cart} en cours ?",
        ),
        "account_access": (
            "comment changer l'adresse mail de mon compte ?",
            "est-ce que je peux partager mon compte avec mon conjoint ?",
        ),
        "billing_payment": (
            "est-il possible de payer ma {bill} en trois fois ?",
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
        "delivery_logistics": "I've found your {parcel}: it leaves by express courier today and will be with you tomorrow before noon.",
        "service_disruption": "{repair}, and I've credited your account for the days without {service}.",
        "product_quality": "A brand new {product} is on its way and a courier will collect the faulty one, free of charge.",
        "account_access": "I've unlocked your account and sent a new reset link, it's valid for 24 hours.",
        "technical_support": "I've pushed a fix to your {app}, could you restart it? I'll stay on the line until it works.",
        "support_experience": "I'm now your single contact until this is solved, here's my direct line so you never wait on hold again.",
        "churn_threat": "I've fixed the {service} issue and applied a loyalty discount of {amount} a month, with no commitment.",
    },
    "fr": {
        "billing_payment": "J'ai remboursé les {amount} en totalité, vous les verrez sous 3 jours, et je vous offre un mois pour le désagrément.",
        "order_booking": "J'ai restauré et confirmé votre {order_word} {order}, vous allez recevoir le mail dans quelques minutes.",
        "delivery_logistics": "J'ai retrouvé votre {parcel} : il part en express aujourd'hui et sera chez vous demain avant midi.",
        "service_disruption": "{repair}, et je vous ai crédité les jours sans {service}.",
        "product_quality": "Un {product} neuf part aujourd'hui et un transporteur récupère l'ancien, sans frais.",
        "account_access": "J'ai débloqué votre compte et envoyé un nouveau lien de réinitialisation, valable 24 h.",
        "technical_support": "J'ai appliqué un correctif sur votre {app}, pouvez-vous redémarrer ? Je reste avec vous jusqu'à ce que ça marche.",
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
