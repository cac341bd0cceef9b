"""How /api/v1/ knows the learner: the apps' session token first, then the pages' session cookie.

The token class comes first because DRF challenges with the first class's `authenticate_header`:
with a challenge, a request without credentials answers 401 (sign in) rather than 403, on every
endpoint alike.
"""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from rest_framework.request import Request


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """allauth headless's `X-Session-Token` (from `POST /_allauth/app/v1/auth/login`)."""

    def authenticate_header(self, request: Request) -> str:
        return 'X-Session-Token realm="api"'
