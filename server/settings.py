"""Settings of the service: the one place the environment is read.

Every setting has a default, can be set in the environment (``TRIALGRAPH_*``) and is
overridden by the command line. Nothing else in the product reads the environment.

The rate limit is on by default and generous: 100 requests a second per client address, in
bursts of up to 200 (a browser page and its files take about ten). ``rate_limit=0`` turns it
off, as for a load test or behind a proxy that limits already. A reload (SIGHUP, or ``watch``
polling the inputs every ``watch_seconds``) builds the new graph beside the old one; SIGTERM
lets requests in flight finish for up to ``drain_seconds``.

``fetch`` and ``sync`` (and ``serve`` with ``sync_every`` hours, 0 for never) ask the registry
at ``registry_url`` (ClinicalTrials.gov API v2), at most ``registry_rate`` requests a second,
retrying ``registry_retries`` times after a backoff of ``registry_backoff_seconds`` (doubling),
no single wait longer than ``registry_max_wait_seconds``; through ``registry_proxy`` if set.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from schema.limits import Limits

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


class SettingsError(ValueError):
    """Raised when a setting has a value of the wrong kind or out of its range."""


@dataclass(frozen=True, slots=True)
class Settings:
    """How the service runs."""

    data: tuple[str, ...] = (str(SEEDS),)
    snapshot: str | None = None  # serve this snapshot instead of loading ``data``
    skip_invalid: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    cors_origins: tuple[str, ...] = ()
    graphiql: bool = True
    introspection: bool = True
    field_suggestions: bool = True
    rate_limit: float = 100.0  # requests a second per client address; 0 turns the limit off
    rate_burst: int = 200  # requests a client may send at once before the rate applies
    watch: bool = False  # reload when the input files (or the snapshot) change
    watch_seconds: float = 2.0  # how often ``watch`` looks at the inputs
    drain_seconds: int = 30  # how long SIGTERM waits for requests in flight
    sync_every: float = 0.0  # hours between syncs of the served file with the registry; 0: never
    registry_url: str = "https://clinicaltrials.gov/api/v2"  # ClinicalTrials.gov API v2, or a mirror
    registry_rate: float = 1.0  # requests a second to the registry at most; 0 for no limit
    registry_retries: int = 5  # tries again after 429, 5xx or a failed connection
    registry_backoff_seconds: float = 1.0  # the first wait without Retry-After; doubles each time
    registry_max_wait_seconds: float = 120.0  # the longest single wait, backoff or Retry-After
    registry_proxy: str | None = None  # an HTTP proxy for the registry (the environment's is not used)
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        if self.rate_limit < 0 or self.rate_burst < 1:
            raise SettingsError(
                f"rate_limit must be 0 (off) or more and rate_burst 1 or more; "
                f"got {self.rate_limit} and {self.rate_burst}"
            )
        if self.watch_seconds <= 0 or self.drain_seconds < 0:
            raise SettingsError(
                f"watch_seconds must be more than 0 and drain_seconds 0 or more; "
                f"got {self.watch_seconds} and {self.drain_seconds}"
            )
        if not self.registry_url.startswith(("http://", "https://")):
            raise SettingsError(
                f"registry_url must start with http:// or https://; got {self.registry_url!r}"
            )
        registry = (self.sync_every, self.registry_rate, self.registry_retries, self.registry_backoff_seconds)
        if min(*registry, self.registry_max_wait_seconds) < 0:
            raise SettingsError(
                "sync_every, registry_rate, registry_retries, registry_backoff_seconds and "
                f"registry_max_wait_seconds must be 0 or more; got {', '.join(map(str, registry))} "
                f"and {self.registry_max_wait_seconds}"
            )

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``TRIALGRAPH_*`` variables (``TRIALGRAPH_MAX_DEPTH=8``,
        ``TRIALGRAPH_CORS_ORIGINS=https://a.example,https://b.example``), then ``overrides``."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        limits: dict[str, Any] = {}
        for target, holder in ((values, cls), (limits, Limits)):
            for item in fields(holder):
                if item.name == "limits":
                    continue
                raw = environ.get(f"TRIALGRAPH_{item.name.upper()}")
                if raw is not None:
                    target[item.name] = _convert(item.name, raw, getattr(holder(), item.name))
        settings = replace(cls(**values), limits=replace(Limits(), **limits))
        return settings.overridden(**overrides)

    def overridden(self, **overrides: Any) -> Settings:
        """These settings with ``overrides`` (of settings or limits) that are not None."""
        overrides = {name: value for name, value in overrides.items() if value is not None}
        limit_overrides = {name: overrides.pop(name) for name in list(overrides) if hasattr(Limits, name)}
        return replace(self, limits=replace(self.limits, **limit_overrides), **overrides)

    def to_environment(self) -> dict[str, str]:
        """These settings as ``TRIALGRAPH_*`` variables, for the processes of ``--workers``."""
        found: dict[str, str] = {}
        for holder in (self, self.limits):
            for item in fields(holder):
                value = getattr(holder, item.name)
                if item.name == "limits" or value is None:
                    continue
                if isinstance(value, bool):
                    value = "true" if value else "false"
                elif isinstance(value, tuple):
                    value = ",".join(value)
                found[f"TRIALGRAPH_{item.name.upper()}"] = str(value)
        return found


def publish(settings: Settings) -> None:
    """Put ``settings`` in this process's environment, which worker processes inherit."""
    os.environ.update(settings.to_environment())


def _convert(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        if raw.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
            raise SettingsError(f"TRIALGRAPH_{name.upper()}={raw!r}: expected true or false")
        return raw.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"TRIALGRAPH_{name.upper()}={raw!r}: expected a whole number") from None
    if isinstance(default, float):
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0:
            raise SettingsError(f"TRIALGRAPH_{name.upper()}={raw!r}: expected a number of 0 or more")
        return value
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw
