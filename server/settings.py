"""Settings of the service: the one place the environment is read.

Every setting has a default, can be set in the environment (``TRIALGRAPH_*``) and is
overridden by the command line. Nothing else in the product reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from schema.limits import Limits

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


class SettingsError(ValueError):
    """Raised when a setting in the environment has a value of the wrong kind."""


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
    limits: Limits = field(default_factory=Limits)

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
        overrides = {name: value for name, value in overrides.items() if value is not None}
        limit_overrides = {name: overrides.pop(name) for name in list(overrides) if hasattr(Limits, name)}
        return replace(settings, limits=replace(settings.limits, **limit_overrides), **overrides)

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
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw
