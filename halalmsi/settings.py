"""
halalmsi settings, driven by the environment.

With no environment at all this runs a development platform: SQLite file, Celery tasks executed eagerly
in-process, e-mail printed to the console, media in ./media. Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, ALLOWED_HOSTS, SITE_URL and the e-mail variables (see README.md).
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import database_from_env, envbool, envint, envlist, file_storage_from_env, site_url_from

# prometheus_client turns its multiprocess mode on when PROMETHEUS_MULTIPROC_DIR is merely present; an empty value
# would make every process write histogram_<pid>.db files into its working folder. Empty means "not set".
if "PROMETHEUS_MULTIPROC_DIR" in os.environ and not os.environ["PROMETHEUS_MULTIPROC_DIR"].strip():
    del os.environ["PROMETHEUS_MULTIPROC_DIR"]

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", "True")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed key is fine because DEBUG is on and nothing here is secret.
    SECRET_KEY = "dev-insecure-halalmsi-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# Links in e-mails, PDFs and QR codes: SITE_URL, else the development server's own port (PORT or runserver's).
SITE_URL = site_url_from(os.environ, sys.argv)
SITE_NAME = "halalmsi"

INSTALLED_APPS = [
    # The ground floor comes first: the custom user model lives there and every other migration depends on it.
    "core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    # Project apps, from the ground floor up (README.md, "Layout"): core (above) is the ground floor, reports the top.
    "fees",
    "applicants",
    "training",
    "certification",
    "reports",
]

MIDDLEWARE = [
    # First: a request id for every log line and answer, the request's duration for the metrics; then /healthz and
    # /metrics, answered before the host check (ALLOWED_HOSTS) and the SSL redirect, so a container healthcheck and an
    # internal scraper reach them by address.
    "core.ops.observability.RequestObservabilityMiddleware",
    "core.ops.observability.InternalEndpointsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.web.nul.RejectNulMiddleware",
    "core.api.jsonguard.JsonBodyGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.access.audit.StaffAuditMiddleware",
    "core.web.friendly.FriendlyNotFoundMiddleware",
    # Last: reads that may lag go to the replica when one is configured (core/routing.py).
    "core.routing.ReplicaRoutingMiddleware",
]

ROOT_URLCONF = "halalmsi.urls"
WSGI_APPLICATION = "halalmsi.wsgi.application"

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
                "django.template.context_processors.i18n",
                "core.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(os.environ, str(BASE_DIR / "db.sqlite3"))}
# Past one machine (README, "Going past one machine"): a streaming replica of PostgreSQL takes the reads that may lag
# a few seconds (public verification, the catalogue, the dashboard, reports, exports: REPLICA_READ_VIEWS and
# background jobs); a person's own reads stay on the primary for REPLICA_PIN_SECONDS after they wrote (core/routing.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database_from_env({**os.environ, "DATABASE_URL": DATABASE_REPLICA_URL}, "")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests read the one test database through both names
# PgBouncer in transaction mode in front (DATABASE_URL and DATABASE_REPLICA_URL point at it): a server connection is
# lent for one transaction, so `.iterator()`'s server-side cursors run inside one read transaction (core/routing.py)
# and the advisory locks of beat and migrate go straight to PostgreSQL (DATABASE_DIRECT_URL, core/ops/locks.py).
if envbool("DATABASE_TRANSACTION_POOLED", "False"):
    for _alias in DATABASES:
        DATABASES[_alias]["TRANSACTION_POOLED"] = True
DATABASE_ROUTERS = ["core.routing.PrimaryReplicaRouter"]
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", "15")
REPLICA_READ_VIEWS = frozenset(
    {
        "certification:verify",
        "certification:verify-lookup",
        "api-public-certificate",
        "certification:catalogue",
        "certification:catalogue-csv",
        "certification:catalogue-detail",
        "certification:sitemap",
        "api-public-catalogue",
        "dashboard:index",
        "dashboard:chart",
        "dashboard:permit-gaps",
        "dashboard:export-applications",
        "dashboard:export-programs",
        "dashboard:export-certificates",
        "dashboard:export-follow-ups",
    }
)
# The dashboard's covering indexes (INCLUDE columns) are a PostgreSQL feature; on the embedded SQLite they are plain
# indexes, which is all a demo needs, so its warning is silenced there only.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the login; owners sign up themselves and must verify their address.
ACCOUNT_ADAPTER = "core.access.accounts.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "core.access.accounts.SignupName"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[halalmsi] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
# Media is never served as a public folder: every file goes through a permission-checked view.
MEDIA_URL = "/media-not-public/"
STORAGES = {
    # Local files, or an S3-compatible bucket when STORAGE_S3_BUCKET is set (core/env.py, README "Production").
    "default": file_storage_from_env(os.environ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("STATIC_MANIFEST", "False" if DEBUG else "True")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", str(5 * 1024 * 1024))

# Two Redis roles. REDIS_URL is the Celery broker and result store: it must never drop a key (`noeviction`).
# CACHE_URL is the cache (pages, rate limits): a full cache drops its least used keys (`allkeys-lru`). Without
# CACHE_URL the cache shares REDIS_URL (one small server); without either, local memory and eager tasks.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_URL = os.environ.get("CACHE_URL", "").strip() or REDIS_URL
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: a real Redis broker when REDIS_URL is set; otherwise tasks run eagerly in the calling process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# `make run` without Redis: a real worker and beat on an embedded broker (kombu's filesystem transport in
# CELERY_DATA_DIR), so the scheduled jobs (follow-up reminders, the monthly report) run while the demo runs.
CELERY_EMBEDDED = envbool("CELERY_EMBEDDED", "False") and not REDIS_URL
CELERY_DATA_DIR = Path(os.environ.get("CELERY_DATA_DIR", "") or BASE_DIR / "var" / "celery")
if CELERY_EMBEDDED:
    for _folder in ("queue", "processed", "results", "control"):
        (CELERY_DATA_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        # Exchange tables (`<exchange>.exchange`); kombu's default is `./control`, a folder in the working tree.
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_DATA_DIR / 'results'}"
    CELERY_TASK_ALWAYS_EAGER = False
# Queues: e-mail and notifications, PDFs, reports, and everything else. One worker may serve them all (compose) or
# each its own (`celery worker -Q pdf`); a slow PDF batch then never delays an e-mail. Routes go by task name.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_IMPORTS = ("core.notifications.tasks",)
TASK_QUEUE_NAMES = ("default", "mail", "pdf", "reports", "dashboard")
CELERY_TASK_ROUTES = {
    "*.notify_*": {"queue": "mail"},
    "notifications.*": {"queue": "mail"},
    "training.send_followup_reminders": {"queue": "mail"},
    "training.send_facilitation_reminders": {"queue": "mail"},
    "applicants.send_permit_reminders": {"queue": "mail"},
    "certification.certificate_render_pdf": {"queue": "pdf"},
    "applicants.render_generated_document": {"queue": "pdf"},
    # The dashboard's figures computed again after a change: seconds each, never behind an hour-long export.
    "reports.refresh_figure": {"queue": "dashboard"},
    # The daily checkpoint of every hash chain's head: a batch job, kept off the default queue's clock tick.
    "core.chain_checkpoint": {"queue": "reports"},
    "reports.*": {"queue": "reports"},
}
# Every task may run this long: the soft limit raises SoftTimeLimitExceeded inside the task (it can clean up),
# the hard limit kills the process. Tasks that need longer say so in their decorator (PDFs, the monthly report).
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", "60")
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", "90")
# Logging stays ours (JSON, request ids) in the worker too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Jobs are never lost: a task's message is acknowledged only after it ran (acks_late), and one whose worker process
# died under it (killed, out of memory) goes back to the queue (reject_on_worker_lost). A worker killed outright
# (SIGKILL, a host lost) leaves its messages unacknowledged in Redis; they are delivered again once the visibility
# timeout has passed. That timeout must be longer than the longest task's hard time limit (the export, 3,660 s), or
# Redis hands a task still running to a second worker and it runs twice (tests/core/test_job_survival.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
BROKER_VISIBILITY_TIMEOUT = envint("CELERY_BROKER_VISIBILITY_TIMEOUT", "4200")
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# django-celery-beat's database scheduler, touching BEAT_HEARTBEAT_FILE on every tick (the beat healthcheck).
CELERY_BEAT_SCHEDULER = "core.ops.beat:HeartbeatScheduler"
BEAT_HEARTBEAT_FILE = os.environ.get("BEAT_HEARTBEAT_FILE", "")
CELERY_RESULT_EXPIRES = 3600

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", "587")
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "halalmsi <noreply@halalmsi.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous API call answers 401 with a WWW-Authenticate header. django-rest-knox:
        # tokens stored as SHA-512 digests (never in clear), with an expiry, revocable one by one or all at once.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.web.pagination.CachedCountPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "core.api.jsonguard.GuardedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("THROTTLE_TOKEN", "10/min"),
        "fee_quote": os.environ.get("THROTTLE_FEE_QUOTE", "120/min"),
        "public_verify": os.environ.get("THROTTLE_PUBLIC_VERIFY", "300/min"),
        "calendar": os.environ.get("THROTTLE_CALENDAR", "120/min"),
        "regions": os.environ.get("THROTTLE_REGIONS", "300/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "halalmsi API",
    "DESCRIPTION": "Halal certification for micro and small industries: businesses, fees, applications, "
    "certificates and trainings.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Two apps have a `kind` choice field (applicants' Document, training's FollowUp); name them apart.
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "applicants.models.Document.Kind",
        "FollowUpKindEnum": "training.models.FollowUp.Kind",
        # The application's state and the stage it was returned from share the workflow's states.
        "ApplicationStateEnum": "certification.models.ApplicationState",
        "FatwaBodyEnum": "certification.models.FatwaBody",
        "EvidenceKindEnum": "certification.models.EvidenceSnapshot.Kind",
        "ChecklistLineKindEnum": "certification.verification.services.LINE_KINDS",
    },
    # Every operation documents its error answers in the one shared shape (core/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_error_responses",
    ],
}

# Content Security Policy: everything from our own origin; no third party, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Behind our reverse proxy ---------------------------------------------------------------------------------------
# The networks (CIDR, comma-separated) of the proxies we run in front of the app (compose: its nginx's address).
# X-Forwarded-For is believed only from these peers; empty (the default) ignores the header: any client can write
# it. One rule for everyone who reads the client's address: DRF's throttles, allauth's login limits,
# django-ratelimit, /metrics and the audit trail (core/access/net.py).
TRUSTED_PROXIES = [item.strip() for item in os.environ.get("TRUSTED_PROXIES", "").split(",") if item.strip() != ""]
TRUSTED_PROXIES = [item for item in TRUSTED_PROXIES if item != "0"]  # the old "no proxy" value
if any(item.isdigit() for item in TRUSTED_PROXIES):
    raise ImproperlyConfigured(
        "TRUSTED_PROXIES lists the proxies' networks (CIDR such as 172.30.200.10/32), no longer their number."
    )
REST_FRAMEWORK["NUM_PROXIES"] = None  # DRF's own reading is replaced by core.access.throttling (client_ip)
RATELIMIT_IP_META_KEY = "core.access.net.client_ip"

# Backups (manage.py backup) are sealed with this key: 32 random bytes, URL-safe base64 (`manage.py backup
# --generate-key`). Keep it off the backup host's disks, with AUDIT_CHAIN_KEY; without it nothing is backed up.
BACKUP_KEY = os.environ.get("BACKUP_KEY", "")

# --- API tokens (django-rest-knox) -----------------------------------------------------------------------------------
# `Authorization: Token <token>` as before; a token lives API_TOKEN_DAYS days, a person holds at most
# API_TOKENS_PER_USER at once; POST /api/v1/auth/token/revoke/ ends the token used, .../revoke-all/ every one.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=envint("API_TOKEN_DAYS", "30")),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": envint("API_TOKENS_PER_USER", "20"),
    "AUTO_REFRESH": False,
}

# --- Request bodies ---------------------------------------------------------------------------------------------------
# JSON bodies of the API: at most this many bytes, this deep and this many values (core/api/jsonguard.py); a product's
# ingredient list at most API_MAX_NESTED_ITEMS long.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440))
API_JSON_MAX_DEPTH = envint("API_JSON_MAX_DEPTH", "20")
API_JSON_MAX_VALUES = envint("API_JSON_MAX_VALUES", "20000")
API_MAX_NESTED_ITEMS = envint("API_MAX_NESTED_ITEMS", "500")

# The key of the audit hash chains (core/ops/chain.py): workflow, certificate and staff-action logs. Set it once
# and keep it (backups restore with it); without it the SECRET_KEY is used, and rotating that would fail every chain.
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "") or SECRET_KEY

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # Behind a TLS-terminating proxy (nginx, a load balancer) that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # also answered before this middleware (core/ops/observability.py)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# --- Domain settings (admin-facing values that are facts of law live in the database instead) ---
# Sehati self-declare revenue cap: dated, cited rules in fees/data/self_declare_rules.json (Kepkaban 150/2022 as
# amended: Rp500 million; Kepkaban 146/2025 listed but unconfirmed, so not applied). The rule in force on the
# submission date applies. SEHATI_REVENUE_CAP (rupiah, 0 = none) overrides the rules' cap for a deployment;
# SELF_DECLARE_RULES_FILE points at a deployment's own copy of the rules once it has confirmed a newer decree.
SEHATI_REVENUE_CAP = envint("SEHATI_REVENUE_CAP", "0")
SELF_DECLARE_RULES_FILE = os.environ.get("SELF_DECLARE_RULES_FILE", "")
# The fee schedule charged to regular applications at verification (slug of fees.FeeSchedule).
CHARGED_FEE_SCHEDULE = os.environ.get("CHARGED_FEE_SCHEDULE", "bpjph-tariff-2021")
# Office service standards in working days (workflow.json version 2): shown to staff and owners as office standards,
# never counted in a case's legal total.
OFFICE_INTAKE_WORKING_DAYS = envint("OFFICE_INTAKE_WORKING_DAYS", "1")  # self-declare: assign an assistant
OWNER_RESPONSE_WORKING_DAYS = envint("OWNER_RESPONSE_WORKING_DAYS", "10")  # the owner answers a return
PAYMENT_WINDOW_WORKING_DAYS = envint("PAYMENT_WINDOW_WORKING_DAYS", "14")  # the owner pays the invoice
# Objections (keberatan) against a rejection, by the administrative-procedure law UU 30/2014 (in force since
# 17 October 2014): filed within 21 working days of the decision (Ps 77(1)), decided within 10 working days
# (Ps 77(4)); an appeal (banding) to the superior within 10 working days of the objection's decision (Ps 78(1)),
# decided within 10 working days (Ps 78(4)). Working days from the platform's calendar. Not checked against the
# primary text in this repository (shared/domain/regulations.json marks UU 30/2014 unconfirmed): settings, so an
# office corrects them without a release; no banding step is modelled yet.
APPEAL_WINDOW_WORKING_DAYS = envint("APPEAL_WINDOW_WORKING_DAYS", "21")
APPEAL_DECISION_WORKING_DAYS = envint("APPEAL_DECISION_WORKING_DAYS", "10")
# Evidence retention (issue 29): the documents a submitted case rests on are kept while the case is open and while its
# certificate is valid (UU 33/2014 Ps 42 as amended by UU 6/2023: valid as long as the composition and process do not
# change), then this many years after the certificate ended or the case was closed. Government records of the
# religious-affairs sector are kept per the archive retention guideline of Perka ANRI 4/2015 (under UU 43/2009 on
# archives and PP 28/2012); its row for halal certification files could not be read from a public text, so the
# default, 10 years (5 active + 5 inactive, the common term for licensing files), is the office's to confirm.
EVIDENCE_RETENTION_YEARS = envint("EVIDENCE_RETENTION_YEARS", "10")
# The yearly composition confirmation: the owner is asked on the certificate's anniversary, reminded after this many
# days, and listed as overdue (for a monitoring visit) after that many (calendar days).
COMPOSITION_CHECK_REMINDER_DAYS = envint("COMPOSITION_CHECK_REMINDER_DAYS", "14")
COMPOSITION_CHECK_OVERDUE_DAYS = envint("COMPOSITION_CHECK_OVERDUE_DAYS", "30")
# The staff dashboard keeps each figure this long at most; any change to what a figure reads invalidates it at once
# (core.generations, bumped from reports/apps.py), so this only bounds a change made outside the ORM.
DASHBOARD_CACHE_SECONDS = envint("DASHBOARD_CACHE_SECONDS", "900")
# A case page's "changed since the submission" (the live dossier against the snapshot) is kept this long at most; every
# write to the dossier moves its generation (applicants.dossier.generation), so this only bounds a change made
# outside the ORM (issue 34: rebuilding the dossier was most of the owner's case page).
LIVE_CHANGES_SECONDS = envint("LIVE_CHANGES_SECONDS", "3600")
# A regular case past its 3 working days at the MUI fatwa session passes to the Komite Fatwa Produk Halal, which
# decides within this many working days (UU 6/2023 Ps 33; the exact figure is to be verified, hence a setting).
KOMITE_FATWA_WORKING_DAYS = envint("KOMITE_FATWA_WORKING_DAYS", "2")
# Sehati: regional quotas until this day of the year (month-day), then a full region falls back to the national pool
# (30 June in 2026). A quota row's own `cutover` date wins over this.
SEHATI_CUTOVER_DAY = os.environ.get("SEHATI_CUTOVER_DAY", "06-30")
# Certificate numbers: prefix + province code + '11' + 9-digit sequence + MMYY (shared/domain/certificate.json).
CERTIFICATE_PREFIX = os.environ.get("CERTIFICATE_PREFIX", "ID")
# Who issues the halal certificate. Only BPJPH issues halal certificates (UU 33/2014 Ps 6 and 35), so the default is
# "bpjph": a facilitating office (a Department of Industry, a task force) records BPJPH's number, date and PDF at the
# issue step, and the platform's own PDF is a facilitation record naming BPJPH as the issuer. "platform" is only for
# a deployment run by the issuing authority itself; it then numbers and prints the certificate under the name,
# logo and signatory below.
CERTIFICATE_ISSUER = os.environ.get("CERTIFICATE_ISSUER", "bpjph")
if CERTIFICATE_ISSUER not in ("platform", "bpjph"):
    raise ImproperlyConfigured("CERTIFICATE_ISSUER must be 'platform' or 'bpjph'.")
# The issuer as the public reads it: BPJPH in the default mode, the deployment's authority in "platform" mode.
BPJPH_NAME = os.environ.get("BPJPH_NAME", "Badan Penyelenggara Jaminan Produk Halal (BPJPH)")
CERTIFICATE_AUTHORITY_NAME = os.environ.get("CERTIFICATE_AUTHORITY_NAME", BPJPH_NAME)
# A PNG or JPEG file (path on the server) printed at the top of a platform-issued certificate; empty: none.
CERTIFICATE_AUTHORITY_LOGO = os.environ.get("CERTIFICATE_AUTHORITY_LOGO", "")
# Who signs a platform-issued certificate: name and position, printed under the issuer's name.
CERTIFICATE_AUTHORITY_SIGNATORY = os.environ.get("CERTIFICATE_AUTHORITY_SIGNATORY", "")
CERTIFICATE_AUTHORITY_SIGNATORY_TITLE = os.environ.get("CERTIFICATE_AUTHORITY_SIGNATORY_TITLE", "")
# Extra recipients of step-3 follow-up escalations besides officers flagged as task-force leads.
TASKFORCE_LEAD_EMAILS = envlist("TASKFORCE_LEAD_EMAILS", "")

# Notifications (core/notifications/services.py). A channel without its settings is off, and the pages say so.
# WhatsApp: the Business Cloud API (https://graph.facebook.com/<version>/<phone-number id>/messages).
WHATSAPP_API_URL = os.environ.get("WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
WHATSAPP_TOKEN = os.environ.get("WHATSAPP_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
# The status webhook (delivered / read / failed): Meta's subscription token and the app secret that signs posts.
WHATSAPP_VERIFY_TOKEN = os.environ.get("WHATSAPP_VERIFY_TOKEN", "")
WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET", "")
# SMS: an HTTP gateway taking {"to", "text"} as JSON.
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
NOTIFY_HTTP_TIMEOUT = envint("NOTIFY_HTTP_TIMEOUT", "10")
# Retries on 5xx and timeouts: after base, 2x, 4x ... seconds (capped at an hour), then failed.
NOTIFY_RETRY_BASE_SECONDS = envint("NOTIFY_RETRY_BASE_SECONDS", "30")
NOTIFY_MAX_ATTEMPTS = envint("NOTIFY_MAX_ATTEMPTS", "5")
# certification: public verification pages, per client IP (django-ratelimit); the JSON API uses the
# "public_verify" DRF throttle scope above.
CERTIFICATE_VERIFY_RATE = os.environ.get("CERTIFICATE_VERIFY_RATE", "300/m")
# How long a web process answers a public certificate (JSON or page) from its own copy before asking Redis again
# (core.access.throttling.LocalAnswers): a revocation reaches every worker within this time; 0 turns it off.
PUBLIC_ANSWER_LOCAL_SECONDS = float(os.environ.get("PUBLIC_ANSWER_LOCAL_SECONDS", "1"))

# --- Observability ------------------------------------------------------------------------------------------------
# Logs: one JSON object per line in production (LOG_FORMAT=json, the default when DEBUG is off), readable text in
# development; every record carries the request id (X-Request-ID, passed on to Celery tasks).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOG_REQUESTS = envbool("LOG_REQUESTS", "False" if DEBUG else "True")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.ops.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {
            # ISO 8601 timestamps in UTC with their offset (core/ops/logformat.py; gunicorn's lines use it too).
            "()": "core.ops.logformat.ZonedJsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools narrate every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Error tracking: Sentry when SENTRY_DSN is set (nothing is loaded or sent otherwise).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    from core.ops.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Prometheus metrics at /metrics, answered only to these networks (CIDR, comma-separated). The client address is
# the one the trusted proxies vouch for (core/access/net.py), so a request through the public proxy is refused even
# though the proxy itself is on the private network; compose's nginx does not route /metrics publicly either.
METRICS_ALLOWED_NETWORKS = envlist("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
