"""The demo generator's pen: fills one thread's templates with its customer, agent and brand
(casebook/demo/generator.py writes the threads, casebook/demo/phrases.py holds the templates)."""

from __future__ import annotations

import random
import re
import unicodedata
from string import Formatter
from typing import Any

from casebook.demo.world import AGENTS, CITIES, FIRST, LAST, Brand

_ELISION = re.compile(r"\b([dDlLjJ]|[qQ]u)e (?=[aeiouyàâéèêëîïôûAEIOUYÀÂÉÈÊÎÔÛ])")
# The slots every thread fills whatever its brand (the customer, the agent, the amounts...).
PERSONA_SLOTS = frozenset(
    ("brand", "name", "agent", "city", "days", "amount", "order", "email", "phone")
)


def fillable(templates: tuple[str, ...], slots: Any) -> tuple[str, ...]:
    """The templates whose every slot is in `slots`."""
    return tuple(
        template
        for template in templates
        if all(name in slots for _, name, _, _ in Formatter().parse(template) if name)
    )


class Writer:
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
        text = template.format(**self.values)
        # "le problème de espace client" -> "d'espace client": French elides before a vowel
        return _ELISION.sub(r"\1'", text) if self.language == "fr" else text

    def pick(self, choices: tuple[str, ...]) -> str:
        """One of the templates this brand can fill (an airline has no goods to break)."""
        return self.fill(self.rng.choice(fillable(choices, self.values)))

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
        local = ascii_name(f"{self.first}.{self.last}").lower().replace(" ", "")
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


def ascii_name(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
