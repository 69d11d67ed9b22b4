"""Signing a test client in as an officer: a session verified with a code, as after two-factor sign-in.

The user gets a confirmed authenticator-app device (created if missing), the session records it
as the device that verified the user (django-otp's session key), and the password or a code
counts as just given, so `reauth_required` views let the request through.
"""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from complaints.middleware import LAST_SEEN
from complaints.views.officer.auth import AUTHENTICATED_AT


def authenticator(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)


def sign_in(client, user, *, authenticated_ago: float = 0):
    device = authenticator(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[AUTHENTICATED_AT] = time.time() - authenticated_ago
    session[LAST_SEEN] = time.time()
    session.save()
    return client
