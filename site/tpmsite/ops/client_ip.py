"""The client's address for django-axes' login lockout, behind our own proxies only.

Behind Varnish and a TLS proxy every request arrives from a proxy's address, so keying the
lockout on REMOTE_ADDR alone would let anyone lock any editor out. X-Forwarded-For carries the
real address, but a client can send any value in it, so it is read only when the connection
itself comes from a proxy listed in TRUSTED_PROXIES, and then from the right: each trusted
proxy appends the address it received the request from, so the first address from the right
that is not a trusted proxy is the client. Anything to the left of it is the client's own
words and is never used.

Why not django-axes' own AXES_IPWARE_* settings: django-axes 8.3.1 hands them to
django-ipware (7.0.1, and 8.0.0 with either algorithm) on python-ipware (3.0.0, 4.1.1), which
compares AXES_IPWARE_PROXY_TRUSTED_IPS or AXES_IPWARE_PROXY_COUNT with the rightmost entries of
the header only, never with REMOTE_ADDR. A client connecting directly from 203.0.113.9 and
sending ``X-Forwarded-For: 198.51.100.7, 10.0.0.1`` is taken for 198.51.100.7 when 10.0.0.1 is
the trusted proxy (tried with django-ipware 8.0.0, whose "legacy" algorithm is 7.x's code):
it escapes its own lockout, or locks out someone else. (django-ipware is not installed here
at all.) So base settings point AXES_CLIENT_IP_CALLABLE at client_ip below instead.
"""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@functools.cache
def parse_networks(entries):
    """TRUSTED_PROXIES as networks; base settings call it so a typo stops the start-up."""
    networks = []
    for entry in entries:
        try:
            # strict=False: "10.0.0.5/24" means the /24 it is in, as in most proxy configs.
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network "
                "(expected e.g. 127.0.0.1,10.0.0.0/8)"
            ) from error
    return tuple(networks)


def trusted_networks():
    # Read on every call (cached per value) so a changed setting, as in tests, takes effect.
    return parse_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _address(text):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d; it is the same client.
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address, networks):
    return any(address in network for network in networks)


def client_ip(request):
    """AXES_CLIENT_IP_CALLABLE: the address that failed logins are counted against."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks()
    current = _address(remote)
    if current is None or not _trusted(current, networks):
        # Not from one of our proxies: whatever X-Forwarded-For says is forged or irrelevant.
        return remote
    # Several X-Forwarded-For headers arrive joined by commas, in order, which is what we want.
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        previous = _address(hop)
        if previous is None:
            # Not an address where a trusted proxy should have written one: stop at the last
            # hop we can vouch for rather than read further left into what the client wrote.
            break
        current = previous
        if not _trusted(current, networks):
            break
    return str(current)
