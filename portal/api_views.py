"""The signed-in account: `GET`/`PATCH /api/v1/me/` and `POST /api/v1/me/delete/`.

The rules are the account pages' own: the input is checked by the pages' forms (ProfileForm,
AccountDeleteForm: allowed timezones, handle format and uniqueness, the password and the
confirmation) and saved by the same services (portal/services.py).
"""

from copy import copy

from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .api import PROBLEM_CONTENT_TYPE, form_validated, validated
from .forms import AccountDeleteForm, ProfileForm
from .schema import ProblemSerializer, problem_example

ME = {
    "id": 42,
    "username": "ada",
    "email": "ada@example.com",
    "display_name": "Ada",
    "handle": "ada-learns",
    "timezone": "Europe/Berlin",
}
ME_EXAMPLE = OpenApiExample("You", value=ME, response_only=True)
PROFILE_IN = OpenApiExample(
    "Change the name and timezone",
    value={"display_name": "Ada L.", "timezone": "America/New_York"},
    request_only=True,
)
PROFILE_BAD = OpenApiExample(
    "An unknown timezone",
    value=problem_example(
        400,
        field="timezone",
        message="Select a valid choice. Mars/Olympus is not one of the available choices.",
    ),
    response_only=True,
    status_codes=["400"],
    media_type=PROBLEM_CONTENT_TYPE,
)
DELETE_IN = OpenApiExample(
    "Delete my account", value={"password": "my password", "confirm": True}, request_only=True
)
DELETE_BAD = OpenApiExample(
    "A wrong password",
    value=problem_example(400, field="password", message="That password is not correct."),
    response_only=True,
    status_codes=["400"],
    media_type=PROBLEM_CONTENT_TYPE,
)


class Me(APIView):
    """The signed-in user: who they are, their profile and the timezone their days are counted
    in."""

    class MeOut(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        email = serializers.EmailField()
        display_name = serializers.CharField(help_text="Shown instead of the email; may be empty.")
        handle = serializers.CharField(
            allow_null=True, help_text="The public page's handle (`/u/<handle>/`), or null."
        )
        timezone = serializers.CharField(
            help_text="IANA name; every day (streaks, study log, reminders) is a day here."
        )

    class ProfileIn(serializers.Serializer):
        display_name = serializers.CharField(max_length=80, allow_blank=True, required=False)
        handle = serializers.CharField(
            max_length=30,
            allow_blank=True,
            allow_null=True,
            required=False,
            help_text="3-30 lowercase letters, digits or hyphens, unique; empty or null for none.",
        )
        timezone = serializers.CharField(
            max_length=64, required=False, help_text="An IANA timezone name, e.g. Europe/Berlin."
        )

    @extend_schema(
        summary="Who I am",
        description="The signed-in account: id, username, email, display name, public handle "
        "and timezone.",
        operation_id="me_retrieve",
        responses={200: MeOut},
        examples=[ME_EXAMPLE],
    )
    def get(self, request: Request) -> Response:
        return Response(self.MeOut(request.user).data)

    @extend_schema(
        summary="Change my profile",
        description="Any of `display_name` (at most 80 characters), `handle` (3-30 lowercase "
        "letters, digits or hyphens, not taken; empty or null removes it) and `timezone` (an "
        "IANA name from the profile page's list; it then counts as chosen, and the browser's "
        "guess at sign-in no longer changes it). The profile page's rules: a bad value is a 400 "
        "problem naming the field, and nothing is saved. Other fields (`email`, `username`) "
        "cannot be changed here and are ignored. Answers the updated account.",
        operation_id="me_update",
        request=ProfileIn,
        responses={200: MeOut, (400, PROBLEM_CONTENT_TYPE): ProblemSerializer},
        examples=[PROFILE_IN, ME_EXAMPLE, PROFILE_BAD],
    )
    def patch(self, request: Request) -> Response:
        data = validated(self.ProfileIn, request.data)
        user = request.user
        values = {
            "display_name": data.get("display_name", user.display_name),
            "handle": data.get("handle", user.handle) or "",
            "timezone": data.get("timezone", user.timezone),
        }
        cleaned = form_validated(ProfileForm(values, instance=copy(user)))
        if "timezone" not in data:
            cleaned["timezone"] = None  # unchanged, and not confirmed by this request
        try:
            services.profile_update(user=user, **cleaned)
        except ValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from error
        return Response(self.MeOut(user).data)


class MeDelete(APIView):
    class AccountDeleteIn(serializers.Serializer):
        password = serializers.CharField(
            trim_whitespace=False, help_text="The account's current password."
        )
        confirm = serializers.BooleanField(
            default=False,
            help_text="Must be true: the account, progress and quiz history are deleted for good.",
        )

    @extend_schema(
        summary="Delete my account",
        description="Deletes the account and everything it owns (progress, study log, notes, "
        "attempts, review data; problem reports are kept without the reporter), as the account "
        "deletion page does, and ends every session: the website's and each app's session "
        "token (which then answers 401). Needs the current `password` and `confirm: true`; "
        "otherwise a 400 problem names the field and nothing is deleted.",
        operation_id="me_delete",
        request=AccountDeleteIn,
        responses={
            204: OpenApiResponse(description="Deleted; every session and token has ended."),
            (400, PROBLEM_CONTENT_TYPE): ProblemSerializer,
        },
        examples=[DELETE_IN, DELETE_BAD],
    )
    def post(self, request: Request) -> Response:
        data = validated(self.AccountDeleteIn, request.data)
        user = request.user
        form_data = {"password": data["password"], "confirm": data["confirm"]}
        form_validated(AccountDeleteForm(form_data, user=user))
        logout(request._request)  # this browser's session, as the page does
        services.account_delete(user=user)
        return Response(status=204)
