"""Settings for kimportal, read from environment variables only.

Every variable is documented in README.md ("Configuration"). Parsing is strict: a malformed value
stops the process at start-up instead of silently becoming a default. Development works with no
variables at all; with DEBUG off the process refuses to start without real secrets.
"""

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from environs import Env
from marshmallow.validate import Email, OneOf, Range

from kimportal.lib.csp import content_security_policy, media_sources, site_origins
from kimportal.lib.storage import PUBLIC_CACHE_CONTROL, s3_storages

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()

DEBUG = env.bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-kimportal-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")

PORTAL_DOMAIN = env.str("PORTAL_DOMAIN", "localhost").strip().lower().rstrip(".")
PORTAL_SCHEME = env.str("PORTAL_SCHEME", "http" if DEBUG else "https")
# Port used in links between hosts (portal, kelola., subsites); runserver listens on 8000.
PORTAL_PORT = env.int("PORTAL_PORT", 8000 if DEBUG else None)

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", [PORTAL_DOMAIN, f".{PORTAL_DOMAIN}"] if DEBUG else [], subcast=str
)

_database_url = env.str("DATABASE_URL", "")
# Broker and cache. Without it (development) tasks run in-process and the cache is local memory.
REDIS_URL = env.str("REDIS_URL", "")

if not DEBUG:
    problems = []
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append(
            "SECRET_KEY must be set to a random string of at least 50 characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(64))")'
        )
    if not ALLOWED_HOSTS:
        problems.append(
            f"ALLOWED_HOSTS must list the served hosts, e.g. {PORTAL_DOMAIN},.{PORTAL_DOMAIN}"
        )
    if not _database_url.startswith(("postgres://", "postgresql://")):
        problems.append(
            "DATABASE_URL must point at PostgreSQL (postgres://user:pass@host:5432/name)"
        )
    if not REDIS_URL.startswith(("redis://", "rediss://")):
        problems.append(
            "REDIS_URL must point at Redis (redis://host:6379/0): without it tasks would run "
            "inside web requests"
        )
    if PORTAL_DOMAIN == "localhost":
        problems.append("PORTAL_DOMAIN must be the public domain, e.g. kim.id")
    if problems:
        raise ImproperlyConfigured(
            "kimportal refuses to start with DEBUG off:\n  - " + "\n  - ".join(problems)
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "kimportal",
    "accounts",
    "regions",
    "communities",
    "posts",
    "siaran",
    "aspirations",
    "stats",
    "guides",
    "opendata",
    "audit",
    "axes",
    # Two-step sign-in (accounts.mfa): authenticator apps (TOTP) and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# Demo data (`make run`'s seed_demo) is a top-level app that the built package leaves out: a
# checkout (development, CI, the Docker image) has it, an installed wheel does not.
if (BASE_DIR / "demo" / "apps.py").is_file():
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    # First: an anonymous visitor's hit is answered before any other middleware runs; a miss
    # stores the response as every middleware below left it (security and CSP headers included).
    "kimportal.lib.page_cache.PageCacheMiddleware",
    # ETag on every GET response, and 304 to a matching If-None-Match.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before SiteMiddleware, so that the 404 of an unknown subsite carries the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kimportal.middleware.SiteMiddleware",
    # Before anything that reads the body (sessions do not; CSRF and views do).
    "kimportal.lib.upload_limit.UploadLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in session's row on the Akun page: last seen once a minute, ended elsewhere.
    "accounts.session_records.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # On kelola: a signed-in person who has not passed the second step is sent to it (or to set
    # one up) before any other page (accounts.mfa).
    "accounts.middleware.SecondStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a sign-in refused by accounts.throttle into the sign-in page with the reason.
    "axes.middleware.AxesMiddleware",
]

# The portal's URLconf is the fallback; SiteMiddleware picks one per kind of host.
ROOT_URLCONF = "kimportal.urls.portal"
WSGI_APPLICATION = "kimportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guides.context_processors.screen_guide",
            ],
            "builtins": ["kimportal.templatetags.hosts", "kimportal.templatetags.formats"],
        },
    }
]

DATABASES = {
    "default": env.dj_db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in throttling (accounts/throttle.py, django-axes): failures per account and per client
# address, counted over the cool-off, each locking for the cool-off once reached.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", 10, validate=Range(min=1))
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", 30, validate=Range(min=1))
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", 15, validate=Range(min=1))
AUTHENTICATION_BACKENDS = [
    "accounts.throttle.SignInThrottleBackend",  # first: refuses a locked sign-in outright
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "accounts.throttle.SignInAttemptHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # separately; order read by the handler
AXES_FAILURE_LIMIT = "accounts.throttle.account_failure_limit"  # LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = "accounts.throttle.cool_off"  # LOGIN_COOLOFF_MINUTES
# Failures during a lockout do not extend it: the owner gets their account back on time.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False  # the handler resets the account's failures, not the address's
AXES_CLIENT_IP_CALLABLE = "kimportal.lib.client.throttle_address"
AXES_USERNAME_FORM_FIELD = "username"  # what both sign-in forms post (not USERNAME_FIELD)
AXES_USERNAME_CALLABLE = "accounts.throttle.sign_in_account"
AXES_LOCKOUT_CALLABLE = "accounts.views.sign_in_locked"
AXES_DISABLE_ACCESS_LOG = True  # keep failures only, not a record of every sign-in
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]  # masked in the failure records
# Two-step sign-in (accounts.mfa, django-otp). The app names the account "<issuer>:<email>".
OTP_TOTP_ISSUER = PORTAL_DOMAIN
# Wrong codes are throttled by axes like wrong passwords (a cool-off of LOGIN_COOLOFF_MINUTES).
# django-otp's own per-device delay doubles with every failure and outlives any cool-off: anyone
# who knows the password could lock the owner out of their own codes for days.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Password reset by email (accounts.password_reset): how long a link works, and requests per
# hour for one address and from one /24 or /64 network.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_LINK_HOURS", 1, validate=Range(min=1)) * 3600
PASSWORD_RESETS_PER_HOUR = env.int("PASSWORD_RESETS_PER_HOUR", 3, validate=Range(min=1))
PASSWORD_RESETS_PER_HOUR_NETWORK = env.int(
    "PASSWORD_RESETS_PER_HOUR_NETWORK", 20, validate=Range(min=1)
)
# Sign-up links by email (accounts.services.signup_request), per hour for one address and from
# one /24 or /64: each request emails whatever address was typed.
SIGNUPS_PER_HOUR = env.int("SIGNUPS_PER_HOUR", 3, validate=Range(min=1))
SIGNUPS_PER_HOUR_NETWORK = env.int("SIGNUPS_PER_HOUR_NETWORK", 20, validate=Range(min=1))

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# The language link (kimportal.views.switch_language) remembers the choice for a year, on every host
# of the domain (a host-only cookie where the domain has no dot, such as localhost).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_DOMAIN = PORTAL_DOMAIN if "." in PORTAL_DOMAIN else None
LANGUAGE_COOKIE_SECURE = not DEBUG
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", str(BASE_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
# The largest request body accepted (413 otherwise, before it is read). The biggest legitimate
# form is the post editor sending its 10 photos of up to 15 MB in one request.
MAX_UPLOAD_MB = env.int("MAX_UPLOAD_MB", 160, validate=lambda mb: mb > 0)
# Form fields without files (the longest post body is far below this); bigger is refused (400).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An uploaded file above this goes to a temporary file instead of memory: ten phone photos in
# one request must not hold 150 MB in a web worker's memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1_048_576

# A KIM needs at least this many members on its roster to be submitted for verification.
KIM_MIN_MEMBERS = env.int("KIM_MIN_MEMBERS", 10)

# Moderation of posts.
MODERATION_DEADLINE_HOURS = env.int("MODERATION_DEADLINE_HOURS", 48)  # then escalate to province
# Aspirations: days an open aspirasi may wait untouched before the province is told; sends per
# hour from one address and from one /24 or /64; the form's minimum fill time in seconds.
ASPIRATION_DEADLINE_DAYS = env.int("ASPIRATION_DEADLINE_DAYS", 7, validate=Range(min=1))
ASPIRATIONS_PER_HOUR = env.int("ASPIRATIONS_PER_HOUR", 3, validate=Range(min=1))
ASPIRATIONS_PER_HOUR_NETWORK = env.int("ASPIRATIONS_PER_HOUR_NETWORK", 10, validate=Range(min=1))
ASPIRATION_MIN_FILL_SECONDS = env.int("ASPIRATION_MIN_FILL_SECONDS", 5, validate=Range(min=0))
ASPIRATION_TRACK_FAILURES_PER_HOUR = env.int(
    "ASPIRATION_TRACK_FAILURES_PER_HOUR", 20, validate=Range(min=1)
)
# An SK (decree) older than this many years is flagged for the verifier.
SK_MAX_AGE_YEARS = env.int("SK_MAX_AGE_YEARS", 5, validate=Range(min=1))
# Personal data (UU 27/2022): whom people write to, and how long what is kept. /privasi/ shows
# these figures and kimportal.retention deletes by them (beat, daily; manage.py
# purge_personal_data). Server logs are kept by the servers' log rotation, which must match.
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", "privasi@kim.id", validate=Email())
RETENTION_REJECTED_SIGNUP_DAYS = env.int(
    "RETENTION_REJECTED_SIGNUP_DAYS", 90, validate=Range(min=1)
)
RETENTION_ASPIRATION_CONTACT_DAYS = env.int(
    "RETENTION_ASPIRATION_CONTACT_DAYS", 180, validate=Range(min=1)
)
RETENTION_INVITATION_DAYS = env.int("RETENTION_INVITATION_DAYS", 30, validate=Range(min=1))
RETENTION_SERVER_LOG_DAYS = env.int("RETENTION_SERVER_LOG_DAYS", 30, validate=Range(min=1))
# One date and time format per language (kimportal/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["kimportal.formats"]
REPORTS_TO_HIDE = env.int("REPORTS_TO_HIDE", 3)  # distinct visitors' reports that hide a post
REPORTS_PER_HOUR = env.int("REPORTS_PER_HOUR", 5)  # per visitor
# Per /24 or /64: one IPv6 subscriber holds a whole /64 and could otherwise report without end
# by changing address; generous, since many people can share an IPv4 /24 (carrier NAT).
REPORTS_PER_HOUR_NETWORK = env.int("REPORTS_PER_HOUR_NETWORK", 30, validate=Range(min=1))
POST_MAX_LINKS = env.int("POST_MAX_LINKS", 5)  # more links than this flags a post
POST_DUPLICATE_DAYS = 14  # a post repeating a recent one is flagged

# Media on an S3-compatible store (kimportal.lib.storage.s3_storages): public files under
# `public/` of S3_BUCKET, opened to anyone by the bucket policy deploy/s3_buckets.py sets, with a
# long Cache-Control; private files (originals, SK scans, withdrawn renditions) under `private/`
# of S3_PRIVATE_BUCKET, reached only through a signed URL of PRIVATE_MEDIA_URL_SECONDS.
S3_BUCKET = env.str("S3_BUCKET", "")
PRIVATE_MEDIA_URL_SECONDS = env.int(
    "PRIVATE_MEDIA_URL_SECONDS", 60, validate=Range(min=1, max=3600)
)
if S3_BUCKET:
    _s3_endpoint = env.str("S3_ENDPOINT_URL", "")
    _public_media, _private_media = s3_storages(
        public_bucket=S3_BUCKET,
        private_bucket=env.str("S3_PRIVATE_BUCKET", "") or S3_BUCKET,
        endpoint_url=_s3_endpoint,
        access_key=env.str("S3_ACCESS_KEY_ID", ""),
        secret_key=env.str("S3_SECRET_ACCESS_KEY", ""),
        region=env.str("S3_REGION", ""),
        # A store of our own (MinIO, moto) is addressed by path: bucket.<host> needs DNS.
        addressing_style=env.str(
            "S3_ADDRESSING_STYLE",
            "path" if _s3_endpoint else "auto",
            validate=OneOf(["auto", "path", "virtual"]),
        ),
        public_domain=env.str("S3_PUBLIC_DOMAIN", ""),
        public_cache_control=env.str("S3_PUBLIC_CACHE_CONTROL", PUBLIC_CACHE_CONTROL),
        private_url_seconds=PRIVATE_MEDIA_URL_SECONDS,
    )
else:
    _public_media = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _private_media = {
        # SK scans and photo originals: no URL at all, only permission-checked views read them.
        "BACKEND": "kimportal.lib.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    }

STORAGES = {
    "default": _public_media,
    "private": _private_media,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis, because it can ignore a Redis outage: a failing read is a miss (the
            # caller falls back to the database), a failing write is logged and skipped.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kim",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                # A dead Redis may cost each request a fraction of a second, never a hang.
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://localhost/"
    # No broker: tasks run in-process (services enqueue them on transaction commit).
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Publishing fails fast when Redis is down: tasks go through kimportal.outbox, whose drain is
# the retry, and a request must not wait on a dead broker.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2,
}  # fmt: skip
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    # Bounds a publish to a hung Redis; above the worker's 1 s BRPOP wait.
    "socket_timeout": 2,
    # Reconnecting before a publish: one quick retry, not kombu's default 2 s sleeps. (The
    # worker's own reconnection loop passes its own limits and is not affected.)
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Unsent outbox rows younger than this are left to the publish of their own commit.
OUTBOX_DRAIN_AFTER_SECONDS = env.int("OUTBOX_DRAIN_AFTER_SECONDS", 10)
# A submitted post whose automatic checks have not run after this long has them queued again.
POST_RECHECK_AFTER_MINUTES = env.int("POST_RECHECK_AFTER_MINUTES", 10)

# Public pages (kimportal.lib.page_cache): how long browsers (revalidating by ETag) and shared
# caches keep one, and how long the latter may serve it stale while fetching a fresh copy. The
# whole-page cache in Redis keeps a page until what it shows changes, and at most
# PAGE_CACHE_SECONDS.
PAGE_MAX_AGE = env.int("PAGE_MAX_AGE", 0, validate=Range(min=0))
PAGE_SHARED_MAX_AGE = env.int("PAGE_SHARED_MAX_AGE", 60, validate=Range(min=0))
PAGE_STALE_SECONDS = env.int("PAGE_STALE_SECONDS", 300, validate=Range(min=0))
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", 3600, validate=Range(min=0))
# Each process also keeps its PAGE_NEAR_ENTRIES hottest pages (0: none) of up to
# PAGE_NEAR_MAX_BYTES each in memory, dropped by the same changes (announced through Redis) and
# after PAGE_NEAR_SECONDS in any case.
PAGE_NEAR_ENTRIES = env.int("PAGE_NEAR_ENTRIES", 200, validate=Range(min=0))
PAGE_NEAR_SECONDS = env.int("PAGE_NEAR_SECONDS", 60, validate=Range(min=1))
PAGE_NEAR_MAX_BYTES = env.int("PAGE_NEAR_MAX_BYTES", 262144, validate=Range(min=0))
# How often beat recomputes the statistics summary tables (stats.tasks.refresh_summaries).
STATS_REFRESH_MINUTES = env.int("STATS_REFRESH_MINUTES", 30, validate=Range(min=1))
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-images": {"task": "posts.tasks.sweep_images", "schedule": 300.0},
    "publish-scheduled-posts": {"task": "posts.tasks.publish_due", "schedule": 60.0},
    "escalate-overdue-moderation": {"task": "posts.tasks.escalate_overdue", "schedule": 900.0},
    "drain-task-outbox": {"task": "kimportal.tasks.drain_outbox", "schedule": 60.0},
    "recheck-unchecked-posts": {"task": "posts.tasks.recheck_unchecked", "schedule": 300.0},
    "flush-post-visits": {"task": "stats.tasks.flush_visits", "schedule": 300.0},
    "refresh-stats-summaries": {
        "task": "stats.tasks.refresh_summaries",
        "schedule": STATS_REFRESH_MINUTES * 60.0,
    },
    "siaran-digests": {"task": "siaran.tasks.send_digests", "schedule": crontab(hour=7, minute=0)},
    "sweep-siaran-images": {"task": "siaran.tasks.sweep_images", "schedule": 300.0},
    "sweep-aspirasi-photos": {"task": "aspirations.tasks.sweep_photos", "schedule": 300.0},
    "sweep-account-sessions": {"task": "accounts.tasks.sweep_sessions", "schedule": 3600.0},
    "escalate-overdue-aspirations": {
        "task": "aspirations.tasks.escalate_overdue",
        "schedule": 3600.0,
    },
    "purge-personal-data": {
        "task": "kimportal.tasks.purge_personal_data",
        "schedule": crontab(hour=2, minute=30),
    },
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# cached_db: the database is the record, so sessions survive a Redis outage.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

_email = env.dj_email_url("EMAIL_URL", default="console://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# dj-email-url reads "file:///var/mail/kim" as "var/mail/kim"; the URL means an absolute path.
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH")
if EMAIL_FILE_PATH and not EMAIL_FILE_PATH.startswith("/"):
    EMAIL_FILE_PATH = "/" + EMAIL_FILE_PATH
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", f"kim.id <noreply@{PORTAL_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict in production, relaxed only where plain-HTTP development needs it.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env.bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours append to X-Forwarded-For (nginx alone: 1). 0 ignores the header:
# abuse limits then key on REMOTE_ADDR, which a client cannot choose (kimportal.lib.client).
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", 0, validate=Range(min=0))
# Content-Security-Policy (django-csp): no inline script or style on any host; see
# kimportal/lib/csp.py. Public media may come from the S3 bucket or its CDN domain.
CONTENT_SECURITY_POLICY = content_security_policy(
    form_targets=site_origins(scheme=PORTAL_SCHEME, domain=PORTAL_DOMAIN, port=PORTAL_PORT),
    media=media_sources(
        s3_bucket=S3_BUCKET,
        s3_public_domain=env.str("S3_PUBLIC_DOMAIN", ""),
        s3_endpoint_url=env.str("S3_ENDPOINT_URL", ""),
    ),
)
CSRF_TRUSTED_ORIGINS = [
    f"{PORTAL_SCHEME}://{PORTAL_DOMAIN}",
    f"{PORTAL_SCHEME}://*.{PORTAL_DOMAIN}",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.log_level("LOG_LEVEL", "INFO")},
}
# Cache errors that IGNORE_EXCEPTIONS swallows are still logged (logger "django_redis").
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

env.seal()
