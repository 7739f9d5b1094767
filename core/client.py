"""Who is asking: the one place rate limits and login lockouts read the client's address."""

from ipaddress import ip_address

from django.conf import settings

__all__ = ["client_address"]


def _valid(value: str) -> str:
    value = value.split(",")[0].strip()
    try:
        return str(ip_address(value))
    except ValueError:
        return ""


def client_address(request) -> str:
    """REMOTE_ADDR when gunicorn faces the clients; behind a proxy, the header that proxy sets
    (PORTAL_CLIENT_IP_HEADER, e.g. X-Real-IP), never one a client could send past it. An empty
    string when there is no address to be had."""
    header = settings.PORTAL_CLIENT_IP_META
    proxied = _valid(request.META.get(header, "")) if header else ""
    return proxied or _valid(request.META.get("REMOTE_ADDR", ""))
