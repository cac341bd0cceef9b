from allauth.mfa.models import Authenticator

from .models import User


def user_has_two_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
