"""API throttles: visitors by address (DRF's AnonRateThrottle, the "anon" rate) and learners by
account (`LearnerRateThrottle`, the "user" rate)."""

from typing import TYPE_CHECKING

from rest_framework.throttling import UserRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports this module through DEFAULT_THROTTLE_CLASSES
    from rest_framework.request import Request
    from rest_framework.views import APIView


class LearnerRateThrottle(UserRateThrottle):
    """The "user" rate, for signed-in requests only. DRF's UserRateThrottle also counts a visitor,
    under the same address key AnonRateThrottle uses: a second history read and write in the cache
    on every anonymous request, for a limit the visitor's own rate already sets."""

    def allow_request(self, request: "Request", view: "APIView") -> bool:
        if not request.user or not request.user.is_authenticated:
            return True
        return super().allow_request(request, view)
