import re

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


def verified_user(**fields):
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def totp_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def last_link(path_fragment: str) -> str:
    body = mail.outbox[-1].body
    links = re.findall(r"https?://[^\s]+", body)
    return next(link for link in links if path_fragment in link)


def login(client, email: str, password: str = PASSWORD, data: dict | None = None, **headers):
    form = {"login": email, "password": password, **(data or {})}
    return client.post("/accounts/login/", form, follow=True, **headers)
