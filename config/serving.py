"""Refusing to serve the debug mode to the network.

With DEBUG on, an error page shows settings, code and request data to whoever caused it, so
the development server and gunicorn refuse to listen on anything but the loopback interface
unless ALLOW_DEBUG_ON_NETWORK=1 says that is really wanted (e.g. trying the site from a phone on
the same network). Both manage.py (runserver) and gunicorn.conf.py call refuse_debug_on_network.
"""

import ipaddress
import socket

from django.core.exceptions import ImproperlyConfigured


def is_loopback(host: str) -> bool:
    """Whether every address `host` stands for is a loopback address."""
    host = host.strip().strip("[]")
    if host in ("", "0"):
        return False  # Django and gunicorn read these as every interface
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        resolved = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(resolved) and all(ipaddress.ip_address(address.split("%")[0]).is_loopback for address in resolved)


def runserver_host(args: list[str]) -> str:
    """The host `manage.py runserver [options] [addrport]` will listen on."""
    positional = [arg for arg in args if not arg.startswith("-")]
    ipv6 = "-6" in args or "--ipv6" in args
    default = "::1" if ipv6 else "127.0.0.1"
    if not positional:
        return default
    addrport = positional[0]
    if addrport.isdigit():
        return default
    if addrport.startswith("["):
        return addrport[1 : addrport.index("]")]
    host = addrport.rpartition(":")[0]
    return host or default


def gunicorn_hosts(binds: list[str]) -> list[str]:
    """Hosts of gunicorn `--bind` values (unix sockets and fd:// are local, so they are left out)."""
    hosts = []
    for bind in binds:
        if bind.startswith(("unix:", "fd://")):
            continue
        if bind.startswith("["):
            hosts.append(bind[1 : bind.index("]")])
        else:
            hosts.append(bind.rpartition(":")[0] if ":" in bind else bind)
    return hosts


def refuse_debug_on_network(hosts: list[str], *, debug: bool, allowed: bool) -> None:
    exposed = [host or "0.0.0.0" for host in hosts if not is_loopback(host)]  # noqa: S104
    if debug and exposed and not allowed:
        raise ImproperlyConfigured(
            f"DEBUG is on and the server would listen on {', '.join(exposed)}, which other machines can "
            "reach; debug error pages show settings and code. Listen on 127.0.0.1 instead, turn DEBUG off, "
            "or set ALLOW_DEBUG_ON_NETWORK=1 if you really mean to serve the debug mode to the network."
        )
