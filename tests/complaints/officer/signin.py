"""Signing a test client in as an officer."""


def sign_in(client, user):
    client.force_login(user)
    return client
