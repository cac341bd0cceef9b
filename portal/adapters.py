from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from . import services
from .forms import TIMEZONE_SESSION_KEY
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request: HttpRequest, user: User) -> None:
        guess = request.session.pop(TIMEZONE_SESSION_KEY, "")
        super().login(request, user)
        services.timezone_guess(user=user, name=guess)
