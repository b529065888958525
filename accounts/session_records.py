"""A person's signed-in sessions: recorded at sign-in, listed on their Akun page, ended for real.

Sessions are `cached_db`: the database row is the record, the cache a copy. Ending one deletes
both (the cache once the transaction commits, so a request racing the deletion cannot copy the
row back into the cache). Each sign-in gets an AccountSession row holding the session's key and a
short device label; the session holds the row's id and when it was last seen, so that
SessionActivityMiddleware writes to the database at most once a minute per session and reads
nothing on the other requests.

A session whose row has gone (ended from another device, or by "sign out everywhere") is signed
out at its next minute check, even if its key had somehow escaped the deletion.
"""

import logging
import re
import time
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import logout
from django.core.cache import caches
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.models import AccountSession, User

log = logging.getLogger(__name__)

# Keys in the session itself.
ROW = "_kim_session_row"  # the AccountSession id of this session
SEEN = "_kim_session_seen"  # when the row's last_seen_at was written (Unix seconds)
SEEN_EVERY_SECONDS = 60

# --- Device labels -------------------------------------------------------------------------------

# First match wins: browsers that say "Chrome" or "Safari" for compatibility come before them.
_BROWSERS = (
    ("SamsungBrowser/", "Samsung Internet"),
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Opera", "Opera"),
    ("UCBrowser/", "UC Browser"),
    ("YaBrowser/", "Yandex"),
    ("FxiOS/", "Firefox"),
    ("Firefox/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Version/", "Safari"),  # Safari proper says Version/x Safari/y
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)
_BOT = re.compile(r"bot|crawl|spider|curl|wget|python|okhttp", re.IGNORECASE)


def device_label(user_agent: str) -> str:
    """ "Chrome di Android", "Safari di iPhone", … from a User-Agent; a rough label for a person
    to recognise their own devices by, never used to decide anything. Stored in Bahasa
    Indonesia, the portal's language (as audit texts are)."""
    agent = (user_agent or "")[:512]
    system = next((name for token, name in _SYSTEMS if token in agent), "")
    browser = next((name for token, name in _BROWSERS if token in agent), "")
    if not browser and _BOT.search(agent):
        browser = "Program"
    if browser and system:
        return f"{browser} di {system}"[:80]
    return (browser or (f"Peramban di {system}" if system else "Perangkat tak dikenal"))[:80]


# --- Recording -----------------------------------------------------------------------------------


def _now_seconds() -> int:
    return int(time.time())


def session_record_sign_in(*, request: HttpRequest, user: User) -> AccountSession:
    """A new row for the session a sign-in has just created (user_logged_in, accounts.apps).

    django.contrib.auth.login() has given the session a new key already; a row of an earlier
    sign-in in the same session (the same person signing in again) is replaced.
    """
    session = request.session
    if session.session_key is None:
        session.save()
    previous = session.get(ROW)
    if previous is not None:
        AccountSession.objects.filter(pk=previous, user=user).delete()
    row, _created = AccountSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "device": device_label(request.META.get("HTTP_USER_AGENT", "")),
            "created_at": timezone.now(),
            "last_seen_at": timezone.now(),
        },
    )
    session[ROW] = row.pk
    session[SEEN] = _now_seconds()
    request._kim_session_recorded = True
    return row


def session_forget_sign_out(*, request: HttpRequest) -> None:
    """The row of a session being signed out (user_logged_out): it disappears from the list."""
    session = getattr(request, "session", None)
    if session is None:
        return
    row_id, key = session.get(ROW), session.session_key
    if row_id is None and key is None:
        return
    AccountSession.objects.filter(Q(pk=row_id) | Q(session_key=key)).delete()


def session_follow_key(*, request: HttpRequest) -> None:
    """Write the session's current key into its row (after cycle_key(), e.g. a password change
    through update_session_auth_hash()), so that ending it later ends the right session."""
    session = request.session
    row_id, key = session.get(ROW), session.session_key
    user = getattr(request, "user", None)
    if row_id is None or key is None or user is None or not user.is_authenticated:
        return
    AccountSession.objects.filter(pk=row_id, user_id=user.pk).exclude(session_key=key).update(
        session_key=key
    )


# --- Reading -------------------------------------------------------------------------------------


def _session_model():
    return import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()


def _live_session():
    return _session_model().objects.filter(
        session_key=OuterRef("session_key"), expire_date__gt=timezone.now()
    )


def sessions_of(user: User) -> list[AccountSession]:
    """The person's live sessions, most recently active first (one query)."""
    return list(
        AccountSession.objects.filter(user=user)
        .filter(Exists(_live_session()))
        .order_by("-last_seen_at", "-pk")
    )


# --- Ending --------------------------------------------------------------------------------------


def _end(rows) -> int:
    """End the sessions of these rows for real: their rows, their database sessions, and (after
    commit) their cached copies. Returns how many rows went."""
    rows = list(rows.values_list("pk", "session_key"))
    if not rows:
        return 0
    keys = [key for _pk, key in rows]
    AccountSession.objects.filter(pk__in=[pk for pk, _key in rows]).delete()
    _session_model().objects.filter(session_key__in=keys).delete()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if hasattr(store, "cache_key_prefix"):  # cached_db (and cache): drop the cached copies too
        cache_keys = [store(session_key=key).cache_key for key in keys]
        cache = caches[settings.SESSION_CACHE_ALIAS]
        transaction.on_commit(lambda: cache.delete_many(cache_keys))
    return len(rows)


@transaction.atomic
def session_end(*, actor: User, session_id: int) -> bool:
    """End one of the actor's own sessions. False when the actor has no session by that id (it
    is someone else's, already ended, or made up): the caller answers 404 for all three."""
    return _end(AccountSession.objects.filter(user=actor, pk=session_id)) > 0


def current_row_id(request: HttpRequest) -> int | None:
    """The AccountSession id of the request's own session (None before it is recorded)."""
    return request.session.get(ROW)


@transaction.atomic
def sessions_end_others(*, actor: User, keep_row: int | None, keep_key: str | None) -> int:
    """End every session of the actor but one: the row `keep_row`, or the session `keep_key`
    (the actor's current session, by its row and by its key, whichever it has)."""
    rows = AccountSession.objects.filter(user=actor)
    if keep_row is not None:
        rows = rows.exclude(pk=keep_row)
    if keep_key:
        rows = rows.exclude(session_key=keep_key)
    return _end(rows)


@transaction.atomic
def sessions_end_all(*, user: User) -> int:
    """End every recorded session of the user (a password reset, the account's deletion)."""
    return _end(AccountSession.objects.filter(user=user))


def sessions_sweep() -> int:
    """Delete the rows of sessions that ended without telling (expired, deleted by the session
    engine or the retention purge). Beat, hourly; the Akun page never lists them anyway."""
    swept = 0
    while True:
        pks = list(
            AccountSession.objects.filter(~Exists(_live_session())).values_list("pk", flat=True)[
                :500
            ]
        )
        if not pks:
            return swept
        swept += AccountSession.objects.filter(pk__in=pks).delete()[0]


# --- The middleware ------------------------------------------------------------------------------


class SessionActivityMiddleware:
    """Keeps each signed-in session's row current: last seen (at most once a minute), its key
    after a key change, and signs out a session whose row was deleted. Requests without a
    session cookie (every anonymous reader) are not looked at. Goes after
    AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not _signed_in(request):
            return self.get_response(request)
        key_before = request.session.session_key
        self._touch(request)
        response = self.get_response(request)
        if (
            request.session.session_key != key_before
            and not getattr(request, "_kim_session_recorded", False)
            and _signed_in(request)
        ):
            session_follow_key(request=request)
        return response

    @staticmethod
    def _touch(request: HttpRequest) -> None:
        session = request.session
        now = _now_seconds()
        seen = session.get(SEEN)
        if isinstance(seen, int) and 0 <= now - seen < SEEN_EVERY_SECONDS:
            return
        row_id = session.get(ROW)
        if row_id is None:
            # A session from before sessions were recorded: adopt it.
            session_record_sign_in(request=request, user=request.user)
            return
        updated = AccountSession.objects.filter(pk=row_id, user_id=request.user.pk).update(
            last_seen_at=timezone.now(), session_key=session.session_key
        )
        if not updated:
            log.info("session ended elsewhere; signing it out")
            logout(request)
            return
        session[SEEN] = now


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
