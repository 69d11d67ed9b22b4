"""System checks for how the site is deployed (`manage.py check --deploy` runs the deploy ones)."""

import ipaddress
import os

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_services_configured(app_configs, **kwargs):
    warnings = []
    if not os.environ.get("DATABASE_URL", "").strip():
        warnings.append(
            Warning(
                "DATABASE_URL is not set, so the site runs on the embedded SQLite file.",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/name for a deployment.",
                id="standards.W001",
            )
        )
    if not settings.REDIS_URL:
        warnings.append(
            Warning(
                "REDIS_URL is not set, so e-mails and other tasks run inside web requests and rate limits "
                "are counted per process.",
                hint="Set REDIS_URL=redis://host:6379/0 and run a Celery worker and beat.",
                id="standards.W002",
            )
        )
    return warnings


@register(Tags.security)
def check_debug_hosts(app_configs, **kwargs):
    if not settings.DEBUG or settings.ALLOW_DEBUG_ON_NETWORK:
        return []
    remote = [host for host in settings.ALLOWED_HOSTS if host != "testserver" and not _local_name(host)]
    if not remote:
        return []
    return [
        Warning(
            f"DEBUG is on and ALLOWED_HOSTS names hosts beyond this machine: {', '.join(remote)}.",
            hint="Debug error pages show settings and code. Turn DEBUG off, or set ALLOW_DEBUG_ON_NETWORK=1.",
            id="standards.W003",
        )
    ]


def _local_name(host: str) -> bool:
    host = host.lstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
