"""Two-factor sign-in: authenticator app enrolment, codes and backup codes (django-otp devices).

Every officer account has one confirmed TOTP device (an authenticator app) and a set of backup
codes, each usable once. A device being enrolled stays unconfirmed, and is never accepted for
sign-in, until a code from it has been entered.
"""

from __future__ import annotations

import time
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import segno
from django.conf import settings
from django.db import transaction
from django.utils.html import escape
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
APP_CODE_DIGITS = 6  # TOTPDevice's default


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or why none did."""

    device: Device | None = None
    # When the account's devices refuse to check any code yet (after repeated wrong codes).
    wait_until: datetime | None = None

    @property
    def accepted(self) -> bool:
        return self.device is not None

    @property
    def used_backup_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def normalise_code(code: str) -> str:
    """Codes are typed with spaces or dashes now and then (and backup codes in capitals)."""
    return "".join(code.split()).replace("-", "").lower()


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_for_enrolment(*, user) -> TOTPDevice:
    """The device the user is enrolling: the same one on every visit until it is confirmed, so
    the QR code they have already scanned stays valid if the page is reloaded."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirm an enrolment with a code from the app; on success it is the user's only app."""
    code = normalise_code(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, details = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(wait_until=(details or {}).get("locked_until"))
        if not code.isdigit() or not device.verify_token(code):
            return CodeCheck()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user_id).exclude(pk=device.pk).delete()
    return CodeCheck(device=device)


def code_verify(*, user, code: str, allow_backup: bool = True) -> CodeCheck:
    """Check a code from the user's authenticator app or, when allowed, one of their backup codes
    (which is then used up). Unconfirmed devices never accept a code."""
    code = normalise_code(code)
    if not code:
        return CodeCheck()
    # App codes are six digits; backup codes are eight letters and digits.
    if code.isdigit() and len(code) == APP_CODE_DIGITS:
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    elif allow_backup:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = []
    wait_until = None
    for device in devices:
        with transaction.atomic():
            device = type(device).objects.select_for_update().get(pk=device.pk)
            allowed, details = device.verify_is_allowed()
            if not allowed:
                wait_until = (details or {}).get("locked_until")
                continue
            if device.verify_token(code):
                return CodeCheck(device=device)
    return CodeCheck(wait_until=wait_until)


@transaction.atomic
def backup_codes_issue(*, user) -> list[str]:
    """A fresh set of backup codes, replacing any the user had. Shown once, never again."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < settings.OFFICER_BACKUP_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_remaining(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice, *, label: str) -> str:
    """The device's otpauth:// address as an inline SVG QR code, drawn here (no outside service)."""
    code = segno.make(device.config_url, error="m")
    svg = code.svg_inline(scale=5, border=4, dark="#0b0c0c", light="#ffffff", svgclass="app-qr-code", omitsize=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false" ', 1)


def totp_current_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the user's app shows now, or the next one when this one has already been used
    (a device accepts each step once, and also the next step)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    if totp.t() <= device.last_t:
        totp.drift += device.last_t + 1 - totp.t()
    return f"{totp.token():0{device.digits}d}"
