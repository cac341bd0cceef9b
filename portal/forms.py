from allauth.account import forms as allauth_forms
from django import forms
from django.forms.renderers import TemplatesSetting

from . import services
from .models import User, iana_timezones, timezone_choices

TIMEZONE_SESSION_KEY = "portal_timezone_guess"


class SiteFormRenderer(TemplatesSetting):
    """Every form field renders through one template: label, widget, help and inline errors."""

    field_template_name = "components/field.html"


def _browser_timezone_field() -> forms.CharField:
    """A hidden field that static/js/timezone.js fills with the browser's IANA timezone."""
    return forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-tz": ""}))


class LoginForm(allauth_forms.LoginForm):
    timezone = _browser_timezone_field()

    def clean(self) -> dict:
        cleaned = super().clean()
        # Applied by the account adapter once the login completes (after two-factor, if any).
        guess = self.cleaned_data.get("timezone", "")
        if guess in iana_timezones():
            self.request.session[TIMEZONE_SESSION_KEY] = guess
        return cleaned


class SignupForm(allauth_forms.SignupForm):
    timezone = _browser_timezone_field()

    def save(self, request) -> User:
        user = super().save(request)
        services.timezone_guess(user=user, name=self.cleaned_data.get("timezone", ""))
        return user


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        help_text="Your days, streaks and reminders follow this timezone.",
    )

    class Meta:
        model = User
        fields = ("display_name", "handle", "timezone")
        help_texts = {
            "display_name": "Shown on your pages instead of your email.",
            "handle": "Optional. 3-30 lowercase letters, digits or hyphens, for a public "
            "progress page if you choose to have one.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        names = timezone_choices()
        if self.instance.timezone not in names:  # a valid legacy alias set through the API
            names = [self.instance.timezone, *names]
        self.fields["timezone"].choices = [(name, name) for name in names]

    def clean_handle(self) -> str | None:
        return self.cleaned_data["handle"] or None  # empty means "no public handle"


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Enter your password to confirm it is you.",
    )
    confirm = forms.BooleanField(
        label="I understand that my account, progress and quiz history are deleted for good.",
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not correct.", code="wrong_password")
        return password
