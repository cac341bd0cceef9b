from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import queries


class StaffTwoFactorMiddleware:
    """Outside DEBUG, a staff account must set up two-factor before it reaches the admin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_set_up_two_factor(request):
            messages.warning(request, "Set up two-factor authentication to use the admin.")
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up_two_factor(self, request: HttpRequest) -> bool:
        user = request.user
        return (
            settings.STAFF_REQUIRE_2FA
            and request.path.startswith(reverse("admin:index"))
            and user.is_authenticated
            and user.is_staff
            and not queries.user_has_two_factor(user)
        )
