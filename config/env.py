"""Small helpers that read settings from the environment and raise on bad values."""

import os
import re
from datetime import date

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(name: str, default: str) -> str:
    raw = os.environ.get(name)
    return default if raw is None or raw.strip() == "" else raw.strip()


def env_colour(name: str, default: str) -> str:
    value = env_str(name, default)
    if not _COLOUR.match(value):
        raise ImproperlyConfigured(f"{name} must be a colour like #1d70b8; got {value!r}")
    return value.lower()


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


_DATABASE_ENGINES = ("django.db.backends.postgresql", "django.db.backends.sqlite3")


def env_database(name: str, default: str) -> dict:
    raw = env_str(name, default)
    try:
        config = env.db_url_config(raw)
    except Exception as exc:  # django-environ raises several types for bad URLs
        raise ImproperlyConfigured(f"{name} is not a usable database URL: {exc}") from None
    # django-environ passes an unknown scheme through as the engine name; say which variable is wrong.
    if config.get("ENGINE") not in _DATABASE_ENGINES:
        scheme = raw.split(":", 1)[0]
        raise ImproperlyConfigured(f"{name} must be a postgres:// or sqlite:/// URL; got scheme {scheme!r}")
    return config


def env_redis_url(name: str) -> str:
    raw = env_str(name, "")
    if raw and not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix://; got {raw!r}")
    return raw


def env_dates(name: str) -> list[str]:
    """Comma-separated ISO dates, validated; kept as strings so settings stay plain data."""
    values = env_list(name, [])
    for value in values:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be ISO dates like 2026-12-24, comma separated; got {value!r}"
            ) from None
    return values


def env_date(name: str, default: str) -> str:
    """One ISO date, validated; kept as a string so settings stay plain data."""
    value = env_str(name, default)
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an ISO date like 2026-11-21; got {value!r}") from None
    return value


_LOCKOUT_PARAMETERS = ("username", "ip_address", "user_agent")


def env_lockout_parameters(name: str, default: list[str]) -> list[str | list[str]]:
    """What sign-in failures are counted by: comma separated, each a parameter or several joined
    with '+' (counted together), e.g. "username,ip_address" or "username+ip_address"."""
    parameters: list[str | list[str]] = []
    for item in env_list(name, default):
        parts = [part.strip() for part in item.split("+")]
        for part in parts:
            if part not in _LOCKOUT_PARAMETERS:
                raise ImproperlyConfigured(
                    f"{name} must list {', '.join(_LOCKOUT_PARAMETERS)} (joined with '+' to count together); "
                    f"got {item!r}"
                )
        parameters.append(parts[0] if len(parts) == 1 else parts)
    if not parameters:
        raise ImproperlyConfigured(f"{name} must name at least one of {', '.join(_LOCKOUT_PARAMETERS)}")
    return parameters
