"""The portal's own middleware: unreadable input refused before anything reads it, the session
lifetime cap (Django renews the cookie on each request, the idle limit; this caps the total) and
the Chinese-first language choice."""

import re
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.utils import translation

from portal import errors

__all__ = [
    "ChineseFirstLocaleMiddleware",
    "SessionLifetimeMiddleware",
    "SESSION_RENEWED_KEY",
    "SESSION_STARTED_KEY",
    "UnreadableInputMiddleware",
    "chosen_language",
    "mark_session_start",
]

SESSION_STARTED_KEY = "portal_session_started"
SESSION_RENEWED_KEY = "portal_session_renewed"


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_MAX_LIFETIME:
                logout(request)
                return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        _renew(request.session)
        return response


def mark_session_start(sender, request, user, **kwargs) -> None:
    """At login, the session's start and first renewal, saved with the login itself, so the
    first page after it writes nothing more."""
    now = time.time()
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_RENEWED_KEY] = now


def _renew(session) -> None:
    """Move the idle limit on (save the session, send its cookie again) when the last renewal
    is SESSION_RENEW_AFTER seconds old; an empty session (a visitor) is never saved."""
    if session.is_empty():
        return
    renewed = session.get(SESSION_RENEWED_KEY, 0)
    if session.is_empty():  # an unknown or expired session key loads as an empty session
        return
    now = time.time()
    if session.modified or now - renewed >= settings.SESSION_RENEW_AFTER:
        session[SESSION_RENEWED_KEY] = now


def chosen_language(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user chose otherwise: the language cookie, never the browser's
    Accept-Language, decides (officials' browsers are often set to English)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import patch_vary_headers

        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


NUL = "\x00"  # PostgreSQL stores no NUL in text: a query holding one fails
# What Django makes of bytes that are not UTF-8 (so a U+FFFD typed as such is refused too: only
# text garbled elsewhere carries one).
UNDECODED = "\ufffd"


def _unreadable(text: str) -> bool:
    return NUL in text or UNDECODED in text


# Django re-escapes path bytes that are not UTF-8 rather than refusing them: %ff reaches it as
# "%FF". No path of the portal holds a literal percent sign.
REESCAPED = re.compile(r"%[89A-F][0-9A-F]")


def _path_unreadable(request) -> bool:
    return NUL in request.path_info or REESCAPED.search(request.path_info) is not None


class UnreadableInputMiddleware:
    """A NUL byte or bytes that are not UTF-8 in the path (404) or in the query or a form field
    (400), and a NUL byte in a header (400), are refused before any view, session or lockout
    lookup reads them, so no such request reaches the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        if refusal is None:
            return self.get_response(request)
        with translation.override(chosen_language(request)):
            return refusal(request)

    def _refusal(self, request):
        if _path_unreadable(request):
            return errors.page_not_found
        try:
            # Django keeps only the printable characters of an uploaded file's name.
            fields = [*request.GET.lists(), *request.POST.lists(), *request.FILES.lists()]
        except (MultiPartParserError, SuspiciousOperation):  # a malformed or oversized body
            return errors.bad_request
        texts = [name for name, _values in fields]
        texts += [value for _name, values in fields for value in values if isinstance(value, str)]
        if any(_unreadable(text) for text in texts):
            return errors.bad_request
        headers = (value for key, value in request.META.items() if key.startswith("HTTP_"))
        if any(NUL in value for value in headers if isinstance(value, str)):
            return errors.bad_request
        return None
