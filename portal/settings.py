"""Doorstep settings: one module, read from the environment, with defaults that run the demo.

With no environment at all the site runs on an embedded SQLite database under ``var/`` and a
Celery broker on the file system, so ``make demo`` needs no server. Set ``DATABASE_URL`` and
``REDIS_URL`` and the same code runs on PostgreSQL and Redis.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
# The demo relaxes two things only: staff need no second factor, and a banner says it is a demo.
DEMO = env.bool("DOORSTEP_DEMO", default=False)
# Behind TLS in production: secure cookies, HSTS and the redirect to HTTPS.
HTTPS = env.bool("HTTPS", default=False)


def _secret_key():
    key = env("SECRET_KEY", default="")
    if key:
        return key
    # No key given (a developer's machine or the demo): make one once and keep it under var/,
    # so sessions survive a restart and no key is ever committed.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_forms_gds",
    "portal",
    "repairs",
    "complaints",
    "engagement",
    "engagement.neighbourhoods",
    "engagement.plans",
    "engagement.asb",
    "engagement.news",
    "charter",
    "charter.satisfaction",
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
                "portal.context_processors.doorstep",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'doorstep.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's web server, worker and beat share one SQLite file: WAL lets readers run
    # beside a writer, and IMMEDIATE transactions take the write lock up front instead of
    # failing half way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Shared by the demo's processes, so sign-in rate limits hold across them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in (django-allauth): email and password, verified email, rate limited.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# Our words on allauth's forms (labels, hints, messages); the behaviour stays allauth's.
ACCOUNT_FORMS = {
    "login": "portal.account_forms.LoginForm",
    "signup": "portal.account_forms.SignupForm",
    "reset_password": "portal.account_forms.ResetPasswordForm",
    "reset_password_from_key": "portal.account_forms.ResetPasswordKeyForm",
    "change_password": "portal.account_forms.ChangePasswordForm",
    "set_password": "portal.account_forms.SetPasswordForm",
    "add_email": "portal.account_forms.AddEmailForm",
    "reauthenticate": "portal.account_forms.ReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The authenticator app shows the landlord's name (from the Landlord row) beside the code.
MFA_ADAPTER = "portal.adapters.MFAAdapter"
MFA_FORMS = {
    "authenticate": "portal.account_forms.AuthenticateForm",
    "reauthenticate": "portal.account_forms.MFAReauthenticateForm",
    "activate_totp": "portal.account_forms.ActivateTOTPForm",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Staff must use a second factor; the demo lets them in without one so anyone can try it.
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=not DEMO)

# Linking an account to a tenancy: a few wrong tries lock linking for a while.
TENANCY_LINK_MAX_FAILURES = 5
TENANCY_LINK_LOCKOUT = timedelta(minutes=30)
TENANCY_LINK_MAX_TRIES_PER_ADDRESS = env.int("TENANCY_LINK_MAX_TRIES_PER_ADDRESS", default=30)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
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
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Email through Django's mail backend; EMAIL_URL such as smtp+tls://user:pass@host:587.
vars().update(env.email("EMAIL_URL", default="consolemail://"))
# The site's public address, for links in emails, texts and letters.
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Doorstep <no-reply@doorstep.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages and letters: GOV.UK Notify when a key is set, the console otherwise.
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_SMS_TEMPLATE_ID = env("NOTIFY_SMS_TEMPLATE_ID", default="")
NOTIFY_LETTER_TEMPLATE_ID = env("NOTIFY_LETTER_TEMPLATE_ID", default="")
NOTIFY_SMS_SENDER_ID = env("NOTIFY_SMS_SENDER_ID", default="")
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)

# Celery: Redis when REDIS_URL is set, otherwise kombu's file-system transport under var/,
# which the demo's web server, worker and beat share without any server.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    _broker_dir = VAR_DIR / "celery" / "broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# One queue name per installation; the real-worker test gives its worker a queue of its own.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # A safety net under the outbox: anything queued but not delivered (a lost task message,
    # a retry whose time has come) is picked up here.
    "deliver-due-notifications": {
        "task": "portal.tasks.deliver_due_notifications",
        "schedule": 60.0,
    },
    "sweep-deadline-reminders": {
        "task": "portal.tasks.sweep_deadline_reminders",
        "schedule": 300.0,
    },
}

# Security. `manage.py check --deploy` is clean with DEBUG off, HTTPS on and a SECRET_KEY set.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Reminders before a deadline: call-backs a few office hours ahead, longer clocks a few working days.
REMINDER_LEAD_WORKING_HOURS = env.int("REMINDER_LEAD_WORKING_HOURS", default=2)
REMINDER_LEAD_WORKING_DAYS = env.int("REMINDER_LEAD_WORKING_DAYS", default=2)
# Clocks counted in hours rather than days (call-backs) get the lead in working hours.
SHORT_CLOCK_DEADLINES = ["callback"]
COMPLAINTS_MANAGER_DEADLINES = ["complaint_ack", "complaint_response"]
REMINDER_SWEEP_BATCH = 500

# Complaints under the Housing Ombudsman's Complaint Handling Code (the complaints app).
# Stage 1's extension limit (10 working days) is fixed by the Code; sources differ on stage 2's.
COMPLAINT_STAGE2_MAX_EXTENSION_DAYS = env.int("COMPLAINT_STAGE2_MAX_EXTENSION_DAYS", default=20)
# Told to residents with every extension, refusal and final response.
HOUSING_OMBUDSMAN = {
    "name": "Housing Ombudsman Service",
    "address": ["PO Box 152", "Liverpool", "L33 7WQ"],
    "phone": "0300 111 3000",
    "email": "info@housing-ombudsman.org.uk",
    "website": "https://www.housing-ombudsman.org.uk",
}
# Documents a resident sends with a complaint: PDF, JPEG, PNG or Word, checked by their content.
COMPLAINT_DOCUMENT_MAX_BYTES = env.int("COMPLAINT_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
COMPLAINT_DOCUMENT_MAX_FILES = 5

# Repairs (the repairs app). The National Gas Emergency Service's number, shown at once to anyone
# who reports a smell of gas.
GAS_EMERGENCY_PHONE = env("GAS_EMERGENCY_PHONE", default="0800 111 999")
REPAIRS_TEAM_NAME = env("REPAIRS_TEAM_NAME", default="Repairs")
BUILDING_SAFETY_TEAM_NAME = env("BUILDING_SAFETY_TEAM_NAME", default="Building safety")
# Building-safety concerns are acted on within this repair priority's target.
SAFETY_CONCERN_PRIORITY = env("SAFETY_CONCERN_PRIORITY", default="urgent")
# Photos with a repair report: how many, how big; anything else is refused.
REPAIR_PHOTO_MAX_COUNT = 5
REPAIR_PHOTO_MAX_BYTES = env.int("REPAIR_PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
REPAIR_PHOTO_MAX_PIXELS = 50_000_000
# Appointment windows, London time; Saturday slots are offered only where the landlord runs them.
REPAIRS_SLOT_WINDOWS = {
    "morning": ("08:00", "12:00"),
    "afternoon": ("12:00", "16:00"),
    "school_run": ("09:30", "14:30"),
    "evening": ("17:00", "20:00"),
}
REPAIRS_SATURDAY_APPOINTMENTS = env.bool("REPAIRS_SATURDAY_APPOINTMENTS", default=True)
# The reminder the day before an appointment goes from this hour (London), not in the night.
REPAIRS_APPOINTMENT_REMINDER_HOUR = env.int("REPAIRS_APPOINTMENT_REMINDER_HOUR", default=10)
# Awaab's Law: the Hazards in Social Housing regulations' clocks.
AWAAB_EMERGENCY_HOURS = 24
AWAAB_INVESTIGATION_WORKING_DAYS = 10
AWAAB_SUMMARY_WORKING_DAYS = 3
AWAAB_SAFETY_WORK_WORKING_DAYS = 5
AWAAB_FURTHER_WORK_WORKING_DAYS = 5
CELERY_BEAT_SCHEDULE.update(
    {
        "repairs-appointment-reminders": {
            "task": "repairs.tasks.send_appointment_reminders",
            "schedule": 900.0,
        },
        "repairs-forget-abandoned-photos": {
            "task": "repairs.tasks.delete_abandoned_photos",
            "schedule": 6 * 3600.0,
        },
    }
)

# -- engagement -----------------------------------------------------------------------------------------
# Panels, meetings, scrutiny and consultations (the engagement app). Members are reminded of a
# meeting this many hours before it starts, once each, in their preferred channel.
ENGAGEMENT_MEETING_REMINDER_HOURS = env.int("ENGAGEMENT_MEETING_REMINDER_HOURS", default=48)
# Meeting papers, minutes and scrutiny evidence uploaded by staff: checked by their content.
ENGAGEMENT_DOCUMENT_MAX_BYTES = env.int("ENGAGEMENT_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
CELERY_BEAT_SCHEDULE.update(
    {
        "engagement-meeting-reminders": {
            "task": "engagement.tasks.send_meeting_reminders",
            "schedule": 900.0,
        },
        "engagement-announce-consultations": {
            "task": "engagement.tasks.announce_open_consultations",
            "schedule": 900.0,
        },
    }
)

# -- neighbourhoods ----------------------------------------------------------------------------------------
# Where to find us, surgeries, walkabouts and estate inspections (engagement.neighbourhoods).
# Photos officers upload (their portrait, what an inspection found): JPEG, PNG or HEIC, checked
# by their content and re-saved without metadata.
NEIGHBOURHOODS_PHOTO_MAX_BYTES = env.int("NEIGHBOURHOODS_PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
NEIGHBOURHOODS_PHOTO_MAX_PIXELS = 50_000_000
# A score at or below this (1 very poor to 5 excellent) is a problem the inspection page offers
# to turn into a case.
NEIGHBOURHOODS_PROBLEM_SCORE = env.int("NEIGHBOURHOODS_PROBLEM_SCORE", default=2)
# Residents booked at a surgery or signed up for a walkabout are reminded the day before.
CELERY_BEAT_SCHEDULE.update(
    {
        "neighbourhoods-reminders": {
            "task": "engagement.neighbourhoods.tasks.send_reminders",
            "schedule": 3600.0,
        },
    }
)

# -- plans ------------------------------------------------------------------------------------------------
# Neighbourhood plans and the community fund (engagement.plans). Progress photos on funded projects:
# JPG or PNG, each smaller than this, at most this many per update, scaled down to this longest edge.
PLANS_PHOTO_MAX_BYTES = env.int("PLANS_PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
PLANS_PHOTO_MAX_FILES = 4
PLANS_PHOTO_MAX_PIXELS = 40_000_000
PLANS_PHOTO_MAX_EDGE = 1600
CELERY_BEAT_SCHEDULE.update(
    {
        # Residents are told when voting opens on their neighbourhood's plan.
        "plans-announce-voting": {"task": "engagement.plans.tasks.announce_open_plans", "schedule": 3600.0},
    }
)

# -- asb ---------------------------------------------------------------------------------------------------
# Anti-social behaviour (engagement.asb). The risk assessment's level sets how soon the officer must
# first contact each person who reports, and how often an open case is reviewed (working days).
ASB_FIRST_CONTACT_WORKING_DAYS = {
    "high": env.int("ASB_FIRST_CONTACT_HIGH", default=1),
    "medium": env.int("ASB_FIRST_CONTACT_MEDIUM", default=3),
    "standard": env.int("ASB_FIRST_CONTACT_STANDARD", default=5),
}
ASB_REVIEW_WORKING_DAYS = {
    "high": env.int("ASB_REVIEW_HIGH", default=5),
    "medium": env.int("ASB_REVIEW_MEDIUM", default=10),
    "standard": env.int("ASB_REVIEW_STANDARD", default=20),
}

# -- news --------------------------------------------------------------------------------------------------
# Newsletters and service notices (engagement.news). Sending goes in chunks of this many residents,
# each one transaction and one bulk insert into the outbox.
NEWS_SEND_CHUNK_SIZE = env.int("NEWS_SEND_CHUNK_SIZE", default=1000)
# Pictures in a newsletter: JPG or PNG, checked by their content.
NEWS_IMAGE_MAX_BYTES = env.int("NEWS_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
NEWS_IMAGE_MAX_PIXELS = 64_000_000
CELERY_BEAT_SCHEDULE.update(
    {
        # Carries on any newsletter or notice whose sending stopped (a lost task, a worker restart).
        "news-resume-unfinished-mailings": {
            "task": "engagement.news.tasks.resume_unfinished_mailings",
            "schedule": 300.0,
        },
    }
)

# -- charter -----------------------------------------------------------------------------------------------
# Telling residents a draft charter is out for consultation: this many residents a chunk, each one
# transaction; the sweep carries on any send a lost task left unfinished.
CHARTER_ANNOUNCE_CHUNK_SIZE = env.int("CHARTER_ANNOUNCE_CHUNK_SIZE", default=1000)
CELERY_BEAT_SCHEDULE.update(
    {
        "charter-resume-consultation-announcements": {
            "task": "charter.tasks.resume_consultation_announcements",
            "schedule": 10 * 60.0,
        },
    }
)

# -- satisfaction ------------------------------------------------------------------------------------------
# The tenant perception survey and the Tenant Satisfaction Measures (charter.satisfaction).
# Invited households who have not answered are reminded once a day's sweep finds them due (each
# survey sets its interval and the number of reminders). Uploaded CSV files are limited in size.
SATISFACTION_IMPORT_MAX_BYTES = env.int("SATISFACTION_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
CELERY_BEAT_SCHEDULE.update(
    {
        "satisfaction-survey-reminders": {
            "task": "charter.satisfaction.tasks.remind_non_respondents",
            "schedule": 6 * 3600.0,
        },
    }
)
