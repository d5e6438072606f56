"""One place for configuration: environment variables prefixed with CASEBOOK_."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from casebook_data import MODELS_DIR, TAXONOMY_FILE
from curation.notability import DEFAULT_WEIGHTS

_PLACEHOLDERS = {"", "changeme", "change-me", "secret", "please-change", "xxx"}
MIN_SECRET_KEY_LENGTH = 16


class MissingSecretKey(ValueError):
    """A shared store (PostgreSQL) without CASEBOOK_SECRET_KEY: each machine would make its own."""


class Settings(BaseSettings):
    """Casebook settings; every field can be set as CASEBOOK_<NAME> or in a .env file."""

    model_config = SettingsConfigDict(env_prefix="CASEBOOK_", env_file=".env", extra="ignore")

    var_dir: Path = Path("var")
    database_url: str | None = None
    # Keys the HMAC pseudonyms of customer handles; when unset, a random one is kept in var/.
    secret_key: str | None = None
    demo_mode: bool = False
    sources_file: Path = Path("sources.yaml")
    # The shipped taxonomy and classifiers (package data, wherever Casebook is installed).
    taxonomy_file: Path = TAXONOMY_FILE
    models_dir: Path = MODELS_DIR
    # A situation classifier from `casebook train situation` (e.g. trained on the coaches'
    # labels): enrichment takes situations from it instead of the taxonomy's keyword rules.
    situation_model: Path | None = None
    enrich_batch_size: int = 2000
    # Processes that enrichment analyses on: 1 = this process; 0 = one per core (at most 2);
    # N = N workers, each with its own classifiers (400-650 MB, 11-24 s to start), used only
    # when the backlog is large enough to pay for them (casebook.steps.enrich.POOL_MIN_PENDING).
    enrich_workers: int = 1
    # Processes that judge threads in a large curation (casebook.steps.curate_pool, from
    # POOL_MIN_THREADS changed threads on): 0 = one per core (at most 2); 1 = this process.
    curate_workers: int = 0
    curate_min_score: float = Field(default=0.35, ge=0, le=1)
    # The slow pass (casebook.steps.refine) after each curation: the customer comments of at
    # most this many cases, most notable first, that it has not read yet (0: off). About 20-50
    # comments a second on one core: 200 cases of a few customer turns take well under a minute.
    refine_max_cases: int = Field(default=200, ge=0)
    # Weights of the notability parts (arc, outcome, delicate, intensity, risk, engagement,
    # novelty, recency): curation.notability.DEFAULT_WEIGHTS.
    notability_weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    # "password": local accounts; "oidc": Streamlit's st.login with the company's identity provider
    # (configured in .streamlit/secrets.toml), mapped to the Casebook account of the same username.
    auth: Literal["password", "oidc"] = "password"
    # Behind a reverse proxy every browser seems to come from the proxy: take the client's address
    # from the first X-Forwarded-For address instead (only when the proxy sets it).
    trust_forwarded_for: bool = False
    # A CSV export's link under the dashboard's /media is dropped between this many seconds and
    # twice as many after the click (dashboard.downloads.csv_download).
    export_link_seconds: float = Field(default=10, gt=0, le=300)
    # A dashboard sign-in lasts this long (a signed cookie; a refresh keeps it); sign-out or
    # disabling the account ends it sooner (store.web_sessions).
    session_hours: float = Field(default=12, gt=0, le=24 * 30)
    dashboard_port: int = Field(default=8501, ge=1, le=65535)
    prefect_port: int = Field(default=4200, ge=1, le=65535)
    # Records of the product's loggers at this level and above go to stderr (casebook/logs.py):
    # WARNING shows rate-limit waits, retries, quarantined batches and failed sources; INFO adds
    # each step's summary. "json" writes one JSON object a line instead of text.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "WARNING"
    log_format: Literal["text", "json"] = "text"
    # xAPI (delivery/xapi.py, store/xapi.py): the IRI base of Casebook's activities, accounts and
    # extensions (set it once, before the first statement is sent: statement ids derive from it),
    # and the LRS that `casebook xapi send` posts the outbox to: its xAPI endpoint (the statements
    # resource is `{lrs_url}/statements`) and its Basic credentials, from the environment only.
    xapi_base_iri: str = "https://casebook.invalid/xapi"
    lrs_url: str | None = None
    lrs_key: SecretStr | None = None
    lrs_secret: SecretStr | None = None
    xapi_batch_size: int = Field(default=50, ge=1, le=1000)
    lrs_timeout: float = Field(default=20, gt=0)
    # A batch the LRS did not take waits this long, doubled at each failure up to the maximum.
    xapi_retry_seconds: float = Field(default=30, gt=0)
    xapi_retry_max_seconds: float = Field(default=3600, gt=0)

    @field_validator("secret_key")
    @classmethod
    def _refuse_placeholder(cls, value: str | None) -> str | None:
        if value is not None and value.strip().lower() in _PLACEHOLDERS:
            raise ValueError("CASEBOOK_SECRET_KEY is a placeholder: set a long random value")
        if value is not None and len(value.strip()) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(
                f"CASEBOOK_SECRET_KEY is too short: use at least {MIN_SECRET_KEY_LENGTH} random "
                "characters (e.g. python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        return value

    @field_validator("xapi_base_iri", "lrs_url")
    @classmethod
    def _http_iri(cls, value: str | None) -> str | None:
        if value is not None and not value.strip().startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) address")
        return value.strip().rstrip("/") if value is not None else None

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_capitals(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("enrich_workers", "curate_workers")
    @classmethod
    def _workers_not_negative(cls, value: int, info: ValidationInfo) -> int:
        if value < 0:
            raise ValueError(
                f"CASEBOOK_{str(info.field_name).upper()} is {value}: use 1 (in this process), "
                "0 (one worker per core, at most 2) or the number of worker processes"
            )
        return value

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL of the store (a SQLite file under var/ by default)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'casebook.db').resolve()}"

    @property
    def store_is_shared(self) -> bool:
        """True when the store is a database server (PostgreSQL) that several machines may use."""
        return not self.db_url.startswith("sqlite")

    def check_secret_key(self) -> None:
        """Raise MissingSecretKey if the store is shared and CASEBOOK_SECRET_KEY is not set.

        Without it each machine would create its own key in its var/: the same handle would get a
        different pseudonym on each worker, and erasure (which recomputes the pseudonym) would
        miss what the other workers stored.
        """
        if self.store_is_shared and not self.secret_key:
            raise MissingSecretKey(
                "CASEBOOK_SECRET_KEY is not set and the store is a shared database: every machine "
                "would make a key of its own, so pseudonyms would differ between workers and "
                "erasure would miss people. Set the same CASEBOOK_SECRET_KEY on every machine "
                "(python -c 'import secrets; print(secrets.token_hex(32))') and keep it safe."
            )

    def pseudonym_key(self) -> bytes:
        """The key of author pseudonyms: the setting, or (SQLite store only) a random key created
        once in var/ beside it. MissingSecretKey for a shared store without the setting."""
        if self.secret_key:
            return self.secret_key.strip().encode()
        self.check_secret_key()
        path = self.var_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip().encode()

    def session_key(self) -> bytes:
        """The key that signs dashboard session tokens: derived from the pseudonym key, so one
        secret (CASEBOOK_SECRET_KEY) serves both and neither can be computed from the other."""
        return hmac.new(
            self.pseudonym_key(), b"casebook dashboard session", hashlib.sha256
        ).digest()


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
