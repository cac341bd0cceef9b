"""Settings for the learning portal.

One file, every value from the environment (or a `<NAME>_FILE` path for secrets), with local
defaults that need no services: SQLite under `var/`, console email, local-memory cache and Celery
running tasks eagerly when `REDIS_URL` is unset. docs/operations.md lists every variable.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
# An optional, git-ignored .env file for local overrides; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env")


def secret(name: str, default: str | None = None) -> str | None:
    """Read a secret from `NAME`, or from the file named by `NAME_FILE` (Docker/K8s secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE), or DEBUG=1 for local use.")
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "portal",
    "curriculum",
    "quizzes",
    "progress",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.StaffTwoFactorMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
FORM_RENDERER = "portal.forms.SiteFormRenderer"

# django-allauth: email is the login; verification is mandatory outside DEBUG.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True  # sign-up and reset answer the same for known emails
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link scanner must not confirm an address
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Learning Portal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "portal.forms.LoginForm", "signup": "portal.forms.SignupForm"}
# Rate limits live in the cache (Redis when REDIS_URL is set, shared by every process).
# login_failed: 5 failures per account in 5 minutes lock that account's logins, whatever the IP.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("NUM_PROXIES", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Learning Portal"
# Staff must have two-factor before reaching /admin/ (not enforced when DEBUG, for the demo admin).
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=not DEBUG)
# allauth headless (/_allauth/): mobile apps log in as the "app" client and send the session
# token it returns as X-Session-Token (REST_FRAMEWORK below accepts it); "browser" is the same API
# over the session cookie. The server-rendered account pages stay, and email links point at them:
# an app user confirms an address or sets a new password on the website (no app needed), or an app
# that opens those links posts the key in them to /_allauth/app/v1/auth/email/verify or
# .../password/reset (docs/api.md, "Signing in from an app"). No HEADLESS_FRONTEND_URLS: they would
# move the links of web users too.
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app", "browser")
# allauth's OpenAPI description of /_allauth/ at /_allauth/openapi.yaml and .json; its own HTML page
# loads Redoc from a CDN, so portal/urls.py serves /_allauth/openapi.html with the local Swagger UI.
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_SPECIFICATION_TEMPLATE_NAME = None

# --- Internationalisation: stored in UTC, shown in each learner's own timezone ----------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Email ------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# Below the reminder lease, so a hanging mail server cannot outlive a claim (progress.reminders).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Learning Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security: secure by default outside DEBUG; behind a proxy, trust X-Forwarded-Proto -------
SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE)
# The container health check calls /healthz over plain HTTP on the app's own port, with no proxy
# in front to set X-Forwarded-Proto; a redirect to https would fail it (portal/healthcheck.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=SECURE)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=SECURE)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=SECURE)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=SECURE)
SESSION_COOKIE_HTTPONLY = True
# Sessions are kept in the database and read through the cache: a signed-in request finds its
# session in Redis instead of a query (the database is read when the cache misses, and every
# write goes to both), and ending a session deletes both copies (portal.services.sessions_end).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- REST API (conventions in portal/api.py) ---------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: its challenge makes a request without credentials a 401.
        "portal.authentication.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "portal.throttling.LearnerRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
    },
    "EXCEPTION_HANDLER": "portal.api.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "portal.schema.ProblemAutoSchema",
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Learning Portal API",
    "DESCRIPTION": (
        "The JSON API behind the portal's pages and its mobile apps. Errors are RFC 9457 "
        "problem details (`application/problem+json`).\n\n"
        "**Signing in from an app.** Accounts (sign-up, email verification, login, logout, "
        "password reset, two-factor) are django-allauth's headless API under `/_allauth/`, "
        "described in its own OpenAPI document: `/_allauth/openapi.yaml` (browse it at "
        "`/_allauth/openapi.html`); it keeps allauth's response format. An app logs in with "
        '`POST /_allauth/app/v1/auth/login` `{"email": ..., "password": ...}` and sends the '
        "`meta.session_token` of the answer as the `X-Session-Token` header on every "
        "`/api/v1/` request (no cookies, no CSRF token). `DELETE /_allauth/app/v1/auth/session` "
        "logs out and ends the token. The web pages use the session cookie instead, and their "
        "writes need the CSRF token."
    ),
    "EXTERNAL_DOCS": {
        "description": "Accounts API (allauth headless): sign-up, login, logout, password "
        "reset, two-factor",
        "url": "/_allauth/openapi.html",
    },
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("kind", "status") get their own schema names.
    "ENUM_NAME_OVERRIDES": {
        "QuestionKindEnum": "quizzes.models.QuestionKind.choices",
        "AttemptStatusEnum": "quizzes.models.AttemptStatus.choices",
        "ResourceKindEnum": "curriculum.models.Resource.Kind",
        "CertificationStatusEnum": "curriculum.models.Certification.Lifecycle",
        "QuestionReportStateEnum": "quizzes.models.QuestionReport.State",
        "QuestionReportReasonEnum": "quizzes.models.QuestionReport.Reason",
    },
}

# --- Celery: eager (in-process) when no broker is configured ----------------------------------
# The broker is Redis (REDIS_URL) unless CELERY_BROKER_URL names another.
_BROKER = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_BROKER_URL = _BROKER or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not _BROKER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # acks_late tasks: hold one message at a time
# Publishing never blocks a request for long: short connect timeouts, few quick retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Logging: to stdout, one line per record ---------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Browser tests ----------------------------------------------------------------------------
CHROMIUM_PATH = env.str("CHROMIUM_PATH", default="/usr/bin/chromium")
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# --- Link health (curriculum/linkcheck.py): the scheduled check of resource URLs ---------------
LINK_CHECK_TIMEOUT = env.int("LINK_CHECK_TIMEOUT", default=10)
LINK_CHECK_RETRIES = env.int("LINK_CHECK_RETRIES", default=2)
LINK_CHECK_CONCURRENCY = env.int("LINK_CHECK_CONCURRENCY", default=8)

# --- Content: importers `make run` and `manage.py load_content` run, in dependency order --------
CONTENT_IMPORT_COMMANDS = ["import_curriculum", "import_exams", "import_questions"]

# --- Benchmarks (bench/README.md): routes the ceiling view /bench/ceiling/; never in production --
BENCH_VIEWS = env.bool("BENCH_VIEWS", default=False)

# Study reminders (progress.reminders, docs/operations.md).
REMINDER_LEASE_SECONDS = env.int("REMINDER_LEASE_SECONDS", default=600)
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=1000)
REMINDER_SEND_CHUNK = env.int("REMINDER_SEND_CHUNK", default=100)
REMINDER_STALE_HOURS = env.int("REMINDER_STALE_HOURS", default=6)
REMINDER_MAX_RETRIES = env.int("REMINDER_MAX_RETRIES", default=5)
REMINDER_RETRY_BACKOFF_SECONDS = env.int("REMINDER_RETRY_BACKOFF_SECONDS", default=60)
