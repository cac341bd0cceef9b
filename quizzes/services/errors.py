"""The quiz engine's refusals, each with the HTTP status the API answers with."""


class AttemptError(Exception):
    """A request the engine refuses; `status` is the HTTP status the API answers with."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class AttemptNotFound(AttemptError):
    status = 404
    code = "not_found"


class AttemptRefused(AttemptError):
    """The bank cannot make the attempt asked for."""

    status = 409
    code = "bank_too_small"


class AttemptClosed(AttemptError):
    """The attempt is finished (submitted, or its time ran out): nothing more can change."""

    status = 409
    code = "attempt_closed"
