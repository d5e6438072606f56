"""The HTTP side shared by the network connectors: secrets, retries, backoff and rate limits.

A connector asks `ApiClient` for a page; the client retries connection errors and 5xx answers
with bounded exponential backoff, waits out 429 answers as long as the API says (`Retry-After`
or `x-rate-limit-reset`), and turns the rest into one clear sentence. Sleeping and the clock are
injectable so tests never really wait.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from sources.base import Rejected, SourceError
from sources.parsing import BadValue, check_text, parse_datetime

DEFAULT_TIMEOUT = 30.0
MAX_RETRIES = 4  # 5xx or connection errors in a row before giving up
BACKOFF = 1.0  # seconds before the first retry, doubled each time
MAX_BACKOFF = 60.0
MAX_RATE_LIMIT_WAITS = 5  # 429 answers in a row before giving up
MAX_RATE_LIMIT_WAIT = 900.0  # never sleep longer than X's 15-minute window at once
USER_AGENT = "casebook-ingest/0.1"

log = logging.getLogger(__name__)


class NotFound(SourceError):
    """The API answered 404: the thing asked for is gone (a deleted ticket, post or page)."""


class SourceUnavailable(Exception):
    """The API kept failing (5xx, timeouts, rate limit): worth another try later, unlike SourceError."""


def secret(
    config: Mapping[str, Any], key: str, default_env: str, what: str, required: bool = True
) -> str | None:
    """The secret named by `config[key]` (an environment variable's name) or `default_env`.

    Config files never hold the secret itself, only the name of the variable holding it.
    """
    env_name = str(config.get(key) or default_env)
    value = os.environ.get(env_name, "").strip()
    if not value and required:
        raise SourceError(
            f"The {what} is missing: set the environment variable {env_name}"
            f" (or name another one with {key!r} in the source's settings)."
        )
    return value or None


def setting(config: Mapping[str, Any], key: str, kind: str) -> str:
    """A required, non-empty config value, or SourceError naming it."""
    value = config.get(key)
    if value is None or not str(value).strip():
        raise SourceError(f"A {kind} source needs {key!r} in its settings.")
    return str(value).strip()


class ApiClient:
    """An httpx client for one API: base URL, auth headers, timeout, retries and rate limits."""

    def __init__(
        self,
        base_url: str,
        name: str,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = MAX_RETRIES,
        backoff: float = BACKOFF,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.max_retries = max_retries
        self.backoff = backoff
        self.sleep = sleep
        self.clock = clock
        self._client = httpx.Client(
            base_url=self.base_url,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            auth=auth,
            timeout=timeout,
            follow_redirects=True,
            transport=transport,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """The JSON body of GET `url` (a path under the base URL, or a full next-page URL)."""
        response = self.get(url, params)
        try:
            return response.json()
        except ValueError:
            raise SourceUnavailable(
                f"The {self.name} API answered {_where(response)} with something that is not JSON."
            ) from None

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> httpx.Response:
        """GET `url`, retrying 5xx and connection errors and waiting out 429s; raises otherwise."""
        failures = 0
        rate_limited = 0
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        while True:
            try:
                response = self._client.get(url, params=clean or None)
            except httpx.TransportError as exc:
                failures += 1
                if failures > self.max_retries:
                    raise SourceUnavailable(
                        f"The {self.name} API at {self.base_url} could not be reached after "
                        f"{failures} tries ({type(exc).__name__}: {exc})."
                    ) from exc
                self._retry(f"could not be reached ({type(exc).__name__}: {exc})", url, failures)
                continue
            status = response.status_code
            if status == 429:
                rate_limited += 1
                if rate_limited > MAX_RATE_LIMIT_WAITS:
                    raise SourceUnavailable(
                        f"The {self.name} API kept answering 429 (rate limited) at "
                        f"{_where(response)}; try again later."
                    )
                wait = self._rate_limit_wait(response, rate_limited)
                log.warning(
                    "%s API rate limited (HTTP 429) at %s: waiting %.0f s (wait %d of %d)",
                    self.name,
                    _where(response),
                    wait,
                    rate_limited,
                    MAX_RATE_LIMIT_WAITS,
                    extra={"api": self.name, "wait_seconds": wait, "attempt": rate_limited},
                )
                self.sleep(wait)
                continue
            if status >= 500:
                failures += 1
                if failures > self.max_retries:
                    raise SourceUnavailable(
                        f"The {self.name} API answered {status} to {failures} tries in a row at "
                        f"{_where(response)}; try again later."
                    )
                self._retry(f"answered {status}", _where(response), failures)
                continue
            if status in (401, 403):
                raise SourceError(
                    f"The {self.name} API refused the credentials (HTTP {status}) at "
                    f"{_where(response)}: check the token and its permissions."
                )
            if status == 404:
                raise NotFound(f"The {self.name} API has nothing at {_where(response)} (HTTP 404).")
            if status >= 400:
                raise SourceError(
                    f"The {self.name} API answered {status} at {_where(response)}: "
                    f"{_excerpt(response)}"
                )
            return response

    def _retry(self, what: str, where: str, failures: int) -> None:
        """Log a failed try and sleep the backoff before the next one."""
        wait = self._backoff(failures)
        log.warning(
            "%s API %s at %s: retry %d of %d in %.0f s",
            self.name,
            what,
            where,
            failures,
            self.max_retries,
            wait,
            extra={"api": self.name, "wait_seconds": wait, "attempt": failures},
        )
        self.sleep(wait)

    def _backoff(self, failures: int) -> float:
        return min(self.backoff * 2 ** (failures - 1), MAX_BACKOFF)

    def _rate_limit_wait(self, response: httpx.Response, attempt: int) -> float:
        """Seconds to wait: Retry-After (seconds or a date), else x-rate-limit-reset (epoch)."""
        retry_after = response.headers.get("retry-after", "").strip()
        wait: float | None = None
        if retry_after:
            try:
                wait = float(retry_after)
            except ValueError:
                try:
                    wait = parsedate_to_datetime(retry_after).timestamp() - self.clock()
                except (TypeError, ValueError, IndexError):
                    wait = None
        if wait is None:
            reset = response.headers.get("x-rate-limit-reset", "").strip()
            try:
                wait = float(reset) - self.clock()
            except ValueError:
                wait = None
        if wait is None:  # no hint: back off as for a server error
            wait = self._backoff(attempt)
        return min(max(wait, 0.0), MAX_RATE_LIMIT_WAIT)


def parse_time(value: Any) -> datetime:
    """An aware datetime from an API's date (ISO-8601 text or epoch seconds); BadValue if unusable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise BadValue("missing date")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadValue(f"unparseable date {value!r}")
    return parse_datetime(str(value))


def text_of(value: Any) -> str:
    """An item's text, stripped, refused (BadValue) when missing, empty or too long."""
    if value is None:
        raise BadValue("missing text")
    if not isinstance(value, str):
        raise BadValue(f"text is not a string ({type(value).__name__})")
    return check_text(value.strip())


def item_id(value: Any) -> str:
    """An item's id as text; BadValue when it has none."""
    if isinstance(value, bool) or value is None:
        raise BadValue("missing id")
    text = str(value).strip()
    if not text:
        raise BadValue("missing id")
    return text


def reject(position: str, reason: str, item: Any) -> Rejected:
    """A quarantined item with its JSON, so it can be looked at and read again."""
    try:
        raw = json.dumps(item, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        raw = repr(item)
    return Rejected(position=position, reason=reason, raw=raw)


def _where(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url.copy_with(query=None)}"


def _excerpt(response: httpx.Response, limit: int = 200) -> str:
    text = " ".join(response.text.split())
    return text[:limit] + ("..." if len(text) > limit else "") if text else "(empty body)"


def network_kind(module: str, name: str) -> Callable[[Mapping[str, Any]], Any]:
    """A registry entry for a network connector: its `from_config`, imported when first used."""

    def make(config: Mapping[str, Any]) -> Any:
        import importlib

        return getattr(importlib.import_module(module), name).from_config(config)

    return make
