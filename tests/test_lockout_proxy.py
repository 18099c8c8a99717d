"""The admin login lockout behind Varnish and a TLS proxy (tpmsite/ops/client_ip.py).

The deployment in the README: TLS proxy (10.0.0.3) -> Varnish (10.0.0.2) -> gunicorn. The TLS
proxy appends the client's address to X-Forwarded-For, Varnish appends the TLS proxy's, and
gunicorn sees Varnish as REMOTE_ADDR. The lockout tests go through the real /admin/login/.
"""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from tpmsite.ops.client_ip import client_ip

from tests.test_production import manage

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
VARNISH, TLS_PROXY = "10.0.0.2", "10.0.0.3"
ALICE, BOB = "198.51.100.1", "198.51.100.2"  # two editors' machines on the internet
STRANGER = "203.0.113.5"  # someone connecting to gunicorn directly


@pytest.fixture
def proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/29"]


@pytest.fixture
def password(editor):
    editor.set_password("the-right-one")
    editor.save()
    return "the-right-one"


def via_proxy(client_address, sent_by_client=None):
    """What gunicorn receives when a client at ``client_address`` goes through both proxies;
    ``sent_by_client`` is an X-Forwarded-For the client itself sent, kept by the proxies."""
    hops = [sent_by_client] if sent_by_client else []
    return {
        "REMOTE_ADDR": VARNISH,
        "HTTP_X_FORWARDED_FOR": ", ".join([*hops, client_address, TLS_PROXY]),
    }


def direct(address, forged=None):
    extra = {"HTTP_X_FORWARDED_FOR": forged} if forged else {}
    return {"REMOTE_ADDR": address, **extra}


def attempt(client, username, password, **meta):
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


def is_login_form(response):
    return response.status_code == 200 and 'name="password"' in response.content.decode()


def lock_out(client, username, settings, meta_for_attempt):
    """Fail until the limit; every attempt but the last gets the form back, the last is refused."""
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        assert is_login_form(attempt(client, username, "wrong", **meta_for_attempt(i)))
    locked = attempt(client, username, "wrong", **meta_for_attempt(settings.AXES_FAILURE_LIMIT))
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()


def test_behind_a_trusted_proxy_each_client_is_locked_out_on_its_own(
    proxies, editor, password, settings
):
    alice, bob = Client(), Client()
    lock_out(alice, editor.username, settings, lambda i: via_proxy(ALICE))
    assert attempt(alice, editor.username, password, **via_proxy(ALICE)).status_code == 429

    # Bob, through the same proxies with the same username, is not locked out with Alice …
    assert is_login_form(attempt(bob, editor.username, "wrong", **via_proxy(BOB)))
    assert attempt(bob, editor.username, password, **via_proxy(BOB)).status_code == 302
    assert bob.get("/admin/", **via_proxy(BOB)).status_code == 200
    # … and his sign-in did not lift Alice's lockout either.
    assert attempt(alice, editor.username, password, **via_proxy(ALICE)).status_code == 429


def test_without_trusted_proxies_everyone_behind_the_proxy_shares_one_lockout(
    editor, password, settings
):
    """What TRUSTED_PROXIES fixes, and the default: X-Forwarded-For is not read at all."""
    assert settings.TRUSTED_PROXIES == []
    lock_out(Client(), editor.username, settings, lambda i: via_proxy(ALICE))
    assert attempt(Client(), editor.username, password, **via_proxy(BOB)).status_code == 429


def test_a_direct_client_cannot_escape_its_lockout_by_forging_x_forwarded_for(
    proxies, editor, password, settings
):
    # A new address each time, alone or made to look as if a trusted proxy had added it.
    def forged(i):
        return direct(STRANGER, f"192.0.2.{i}" if i % 2 else f"192.0.2.{i}, {TLS_PROXY}")

    stranger = Client()
    lock_out(stranger, editor.username, settings, forged)
    for i in range(10, 13):
        assert attempt(stranger, editor.username, password, **forged(i)).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {STRANGER}


def test_a_direct_client_cannot_lock_out_someone_else_by_forging_their_address(
    proxies, editor, password, settings
):
    forged = f"{ALICE}, {TLS_PROXY}"  # exactly what Alice's requests carry through the proxies
    lock_out(Client(), editor.username, settings, lambda i: direct(STRANGER, forged))
    # The stranger is locked out (the attempts counted), Alice is not: via the proxies or not.
    assert attempt(Client(), editor.username, password, **via_proxy(ALICE)).status_code == 302
    assert attempt(Client(), editor.username, password, **direct(ALICE)).status_code == 302


def test_a_forged_leftmost_entry_behind_the_proxy_does_not_change_the_address(
    proxies, editor, password, settings
):
    alice = Client()
    # Alice sends a different X-Forwarded-For of her own every time; the proxies append to it.
    lock_out(alice, editor.username, settings, lambda i: via_proxy(ALICE, f"192.0.2.{i}, {BOB}"))
    assert attempt(alice, editor.username, password, **via_proxy(ALICE)).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ALICE}
    # The addresses she named are untouched: Bob still signs in.
    assert attempt(Client(), editor.username, password, **via_proxy(BOB)).status_code == 302


@pytest.mark.parametrize(
    "meta, expected",
    [
        (direct(STRANGER, f"{ALICE}, {TLS_PROXY}"), STRANGER),
        (direct("::ffff:10.0.0.2", f"{ALICE}, {TLS_PROXY}"), ALICE),  # dual-stack socket
        ({"REMOTE_ADDR": VARNISH, "HTTP_X_FORWARDED_FOR": f" {ALICE} ,{TLS_PROXY} "}, ALICE),
        ({"REMOTE_ADDR": VARNISH}, VARNISH),  # a request from the proxy itself
        ({"REMOTE_ADDR": VARNISH, "HTTP_X_FORWARDED_FOR": f"{ALICE}, junk"}, VARNISH),
        ({"REMOTE_ADDR": VARNISH, "HTTP_X_FORWARDED_FOR": f"junk, {ALICE}, {TLS_PROXY}"}, ALICE),
        ({"REMOTE_ADDR": VARNISH, "HTTP_X_FORWARDED_FOR": "2001:db8::7"}, "2001:db8::7"),
    ],
    ids=["direct", "ipv4-mapped", "spaces", "no-header", "junk-hop", "junk-left", "ipv6"],
)
def test_the_address_rule(proxies, meta, expected):
    assert client_ip(RequestFactory().post(LOGIN, **meta)) == expected


def test_a_bad_trusted_proxies_entry_is_refused(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.300"]
    with pytest.raises(ImproperlyConfigured, match="10.0.0.300"):
        client_ip(RequestFactory().post(LOGIN, **via_proxy(ALICE)))
    # At start-up too, not only at the first sign-in.
    result = manage("check", TRUSTED_PROXIES="127.0.0.1, 10.0.0.300", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: '10.0.0.300' is not an IP address" in result.stderr
    assert (
        manage(
            "check", TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8", SECRET_KEY="x" * 50, HTTPS="false"
        ).returncode
        == 0
    )
