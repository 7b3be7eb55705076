"""The client's address, told through trusted proxies only: for the sign-in and report limits."""

import ipaddress

import pytest
from django.test import RequestFactory

from publishing.clients import client_address

from .factories import RouteFactory

NGINX = "127.0.0.1"


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = [
        ipaddress.ip_network("127.0.0.1"),
        ipaddress.ip_network("10.0.0.0/8"),
    ]


def address(peer, forwarded=None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **headers))


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert address("198.51.100.7", "203.0.113.1") == "198.51.100.7"


def test_through_a_trusted_proxy_the_last_untrusted_hop_is_the_client(behind_nginx):
    assert address(NGINX, "198.51.100.7") == "198.51.100.7"
    # A client's own forged entries come first; the proxy appended what it saw.
    assert address(NGINX, "203.0.113.1, 198.51.100.7") == "198.51.100.7"
    # Through two trusted proxies.
    assert address(NGINX, "198.51.100.7, 10.1.2.3") == "198.51.100.7"
    assert address(NGINX, "2001:db8::7") == "2001:db8::7"


def test_a_forged_header_from_an_untrusted_peer_is_ignored(behind_nginx):
    assert address("198.51.100.7", "203.0.113.1") == "198.51.100.7"


def test_garbage_in_the_header_falls_back_to_the_peer(behind_nginx):
    assert address(NGINX, "not-an-address") == NGINX
    assert address(NGINX, "") == NGINX
    assert address(NGINX) == NGINX


@pytest.mark.django_db
def test_behind_a_proxy_one_clients_failed_sign_ins_lock_only_that_client(
    client, django_user_model, behind_nginx, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_user_model.objects.create_superuser("editor", "e@example.com", "right-password-1")

    def login(password, forwarded):
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": "editor", "password": password},
            REMOTE_ADDR=NGINX,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("wrong", "203.0.113.66")
    assert login("right-password-1", "203.0.113.66").status_code == 429
    assert login("right-password-1", "198.51.100.3").status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_report_limit_counts_each_client(client, behind_nginx, settings):
    settings.ERROR_REPORTS_PER_HOUR = 1
    url = f"{RouteFactory().get_absolute_url()}report/"
    report = {"message": "The fee on this page is out of date."}

    def send(forwarded):
        return client.post(url, report, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)

    assert send("198.51.100.1").status_code == 302
    assert send("203.0.113.9, 198.51.100.1").status_code == 429  # a forged first hop
    assert send("198.51.100.2").status_code == 302
