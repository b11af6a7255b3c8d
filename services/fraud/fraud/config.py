"""The fraud service's settings, from the environment, with defaults that work on a laptop."""

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from .errors import ConfigurationError
from .rules import ScreeningPolicy


def _env(name: str, fallback: str) -> str:
    value = os.environ.get(name, "")
    return value if value != "" else fallback


def _int(name: str, fallback: int) -> int:
    raw = _env(name, str(fallback))
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f'{name} must be a whole number, got "{raw}"') from None


def _bool(name: str, fallback: bool) -> bool:
    raw = _env(name, "true" if fallback else "false")
    if raw not in ("true", "false"):
        raise ConfigurationError(f'{name} must be true or false, got "{raw}"')
    return raw == "true"


def _duration_seconds(name: str, fallback: str) -> float:
    """A duration as the TypeScript services write it: "20s", "500ms", "2m", "1h", or plain milliseconds."""
    raw = _env(name, fallback).strip()
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    for unit in sorted(units, key=len, reverse=True):
        number = raw.removesuffix(unit).strip()
        if raw.endswith(unit) and number.replace(".", "", 1).isdigit():
            return float(number) * units[unit]
    if raw.isdigit():
        return int(raw) / 1000
    raise ConfigurationError(f'{name} must be a duration such as "20s" or "500ms", got "{raw}"')


def _countries(name: str) -> frozenset[str]:
    countries = frozenset(c.strip().upper() for c in _env(name, "").split(",") if c.strip())
    wrong = sorted(c for c in countries if len(c) != 2 or not c.isalpha())
    if wrong:
        raise ConfigurationError(f"{name} must list ISO country codes such as GB,FR, got {','.join(wrong)}")
    return countries


@dataclass(frozen=True)
class DatabaseSettings:
    """PostgreSQL at `url` when set, otherwise the SQLite file."""

    url: str | None
    sqlite_file: Path
    url_variable: str = "FRAUD_DATABASE_URL"


@dataclass(frozen=True)
class FraudConfig:
    database: DatabaseSettings
    policy: ScreeningPolicy
    screening_delay: timedelta
    shutdown_grace: timedelta
    health_port: int | None
    log_level: str


def load_config() -> FraudConfig:
    """Reads every setting once, at start, so a bad one stops the worker before it polls."""
    data_dir = Path(_env("DATA_DIR", "data")).resolve()
    health_port = os.environ.get("WORKER_HEALTH_PORT") or None
    log_level = _env("LOG_LEVEL", "info").upper()
    if log_level not in ("DEBUG", "INFO", "WARN", "WARNING", "ERROR"):
        raise ConfigurationError(f'LOG_LEVEL must be debug, info, warn or error, got "{log_level.lower()}"')
    return FraudConfig(
        database=DatabaseSettings(
            url=os.environ.get("FRAUD_DATABASE_URL") or None,
            sqlite_file=Path(_env("FRAUD_DB_PATH", str(data_dir / "fraud.db"))),
        ),
        policy=ScreeningPolicy(
            reject_above_cents=_int("FRAUD_REJECT_ABOVE_CENTS", 10_000_000),
            review_above_cents=_int("FRAUD_REVIEW_ABOVE_CENTS", 500_000),
            velocity_max_orders=_int("FRAUD_VELOCITY_MAX_ORDERS", 0),
            velocity_window=timedelta(seconds=_duration_seconds("FRAUD_VELOCITY_WINDOW", "1h")),
            review_country_mismatch=_bool("FRAUD_REVIEW_COUNTRY_MISMATCH", True),
            blocked_countries=_countries("FRAUD_BLOCKED_COUNTRIES"),
        ),
        screening_delay=timedelta(seconds=_int("FRAUD_SCREENING_DELAY_MS", 0) / 1000),
        shutdown_grace=timedelta(seconds=_duration_seconds("WORKER_SHUTDOWN_GRACE_TIME", "20s")),
        health_port=_int("WORKER_HEALTH_PORT", 0) if health_port else None,
        log_level="WARNING" if log_level == "WARN" else log_level,
    )
