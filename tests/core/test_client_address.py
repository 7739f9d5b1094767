"""Rate limits and login lockouts read the client's address in one place: REMOTE_ADDR, or behind
a proxy the header that proxy sets (PORTAL_CLIENT_IP_HEADER)."""

from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from core.client import client_address


def request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **meta)


def test_without_a_proxy_a_header_any_client_can_send_is_not_believed(settings):
    settings.PORTAL_CLIENT_IP_META = ""
    asked = request(HTTP_X_REAL_IP="203.0.113.9")
    assert client_address(asked) == "10.0.0.1"
    assert get_client_ip_address(asked) == "10.0.0.1"


def test_behind_a_proxy_its_header_names_the_client(settings):
    settings.PORTAL_CLIENT_IP_META = "HTTP_X_REAL_IP"
    asked = request(HTTP_X_REAL_IP="203.0.113.9")
    assert client_address(asked) == "203.0.113.9"
    assert get_client_ip_address(asked) == "203.0.113.9"  # the login lockouts count the same
    assert client_address(request()) == "10.0.0.1"  # a request that did not pass the proxy


def test_a_forwarded_list_counts_its_first_address(settings):
    settings.PORTAL_CLIENT_IP_META = "HTTP_X_FORWARDED_FOR"
    assert client_address(request(HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def test_a_header_that_is_no_address_is_passed_over(settings):
    settings.PORTAL_CLIENT_IP_META = "HTTP_X_REAL_IP"
    assert client_address(request(HTTP_X_REAL_IP="<script>")) == "10.0.0.1"
