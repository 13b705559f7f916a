"""Settings for Yingshang, read from environment variables (see docs/deploy.md).

SQLite is the embedded default so that a fresh checkout runs with no database server;
set DATABASE_URL (e.g. postgres://user@host:5432/yingshang) for PostgreSQL.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from xstatic.pkg import bootstrap as xstatic_bootstrap

from yingshang.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only"  # noqa: S105 - only ever used with DEBUG on
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "treebeard",
    "auditlog",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "apps.core",
    "apps.org",
    "apps.enterprises",
    "apps.investment",
    "apps.landing",
    "apps.assessment",
    "apps.bizenv",
    "apps.appeals",
    "apps.supervision",
    "apps.policies",
    "apps.chains",
    "apps.api",
    "apps.cockpit",
    "yingshang",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.org.middleware.SessionLimitMiddleware",
    "apps.org.middleware.PasswordPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.core.audit.ClientAddressAuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yingshang.urls"
WSGI_APPLICATION = "yingshang.wsgi.application"
ASGI_APPLICATION = "yingshang.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yingshang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.navigation_menu",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's JIT compiles plans of large estimated cost, which costs a page's short queries hundreds of
    # milliseconds on millions of tickets and gains nothing (docs/performance.md §10)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL", ""):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("REDIS_URL", ""),
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Identity and sessions (等保 身份鉴别; defaults in docs/security.md).
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "apps.org.backends.RoleBackend",
]
LOGIN_URL = "org:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "org:login"
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 8)
PASSWORD_MIN_CHARACTER_CLASSES = env_int("PASSWORD_MIN_CHARACTER_CLASSES", 3)
PASSWORD_EXPIRY_DAYS = env_int("PASSWORD_EXPIRY_DAYS", 0)  # 0 turns expiry off
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "apps.org.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CHARACTER_CLASSES},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # every request pushes the idle deadline forward
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "org/lockout.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "apps.core.http.client_ip"

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_MASK_CALLABLE = "apps.core.masking.mask_phone"

# Chinese first: zh-hans is the default; msgids are Chinese, locale/en holds English.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [("bootstrap", xstatic_bootstrap.BASE_DIR)]
if (BASE_DIR / "vendor").is_dir():  # ECharts, copied there from package.json's pinned release by ./dev
    STATICFILES_DIRS.append(("vendor", BASE_DIR / "vendor"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

LIST_PAGE_SIZE = env_int("LIST_PAGE_SIZE", 20)

#: how long the cockpit keeps a viewer's figures (apps/cockpit/cache.py); 0 computes them on every request
COCKPIT_CACHE_SECONDS = env_int("COCKPIT_CACHE_SECONDS", 300)

#: the address people open the site by: links in e-mails and robot messages start with it (docs/notices.md)
SITE_URL = env_str("SITE_URL", "http://localhost:8000")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "yingshang@localhost")

# The data-sharing REST API (apps/api, docs/api.md): integration tokens first, the pages' session for the docs
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.api.authentication.IntegrationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "apps.api.permissions.OperationAllowed",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["apps.api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "apps.api.pagination.ApiPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "apps.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "apps.api.exceptions.api_exception_handler",
}
#: requests per token (or per person on the docs page): "600/min", "20000/day" …
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "600/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "营商 数据共享接口",
    "DESCRIPTION": "招商项目、企业、诉求工单与督查台账的数据共享接口（docs/api.md）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # several models call their choices "status" or "kind": each set gets its own name in the schema
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "apps.investment.models.Stage",
        "ProjectChannelEnum": "apps.investment.models.Channel",
        "AppealChannelEnum": "apps.appeals.models.appeals.Channel",
        "ProjectStatusEnum": "apps.investment.models.Project.Status",
        "ProjectKindEnum": "apps.investment.models.Project.Kind",
        "EnterpriseStatusEnum": "apps.enterprises.models.Enterprise.Status",
        "ProblemStatusEnum": "apps.supervision.models.Problem.Status",
        "ProblemKindEnum": "apps.supervision.models.Problem.Kind",
        "ProblemSourceEnum": "apps.supervision.models.Problem.Source",
        "CommitmentStatusEnum": "apps.supervision.models.InvestorCommitment.Status",
        "CommitmentKindEnum": "apps.supervision.models.InvestorCommitment.Kind",
        "CreditKindEnum": "apps.supervision.models.credit.CreditKind",
        "CreditSourceEnum": "apps.supervision.models.CreditEntry.Source",
    },
}

# The key of the anonymous evaluations' one-response tokens (apps/appeals/services/evaluations.py). Empty: one
# derived from SECRET_KEY. Keep it out of the database and its backups: whoever holds it and the database can
# tell which invited enterprises answered (never what they answered).
EVALUATION_TOKEN_SECRET = env_str("EVALUATION_TOKEN_SECRET", "")

# The provincial 好差评 system (apps/appeals/services/rating_push.py, docs/deploy.md). Empty URL: pushes are
# queued in the outbox but not sent.
PROVINCIAL_RATING_URL = env_str("PROVINCIAL_RATING_URL", "")
PROVINCIAL_RATING_TOKEN = env_str("PROVINCIAL_RATING_TOKEN", "")
PROVINCIAL_RATING_TIMEOUT = env_int("PROVINCIAL_RATING_TIMEOUT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
