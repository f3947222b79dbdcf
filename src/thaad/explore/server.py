"""Run the explore app with uvicorn on a socket we bind ourselves (so ``--port 0`` works).

Binding first lets us report the real port before serving, refuse a busy port with a
field-named error, and open the browser only once the server accepts connections.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import webbrowser

import uvicorn

from thaad.errors import InputError


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (0: a free port); InputError naming --host/--port if not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise InputError("--host", f"cannot resolve {host!r}: {err.strerror}") from None
    family, _, _, _, addr = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
    except PermissionError:
        sock.close()
        raise InputError("--port", f"not allowed to listen on port {port} (ports below 1024 need privileges); "
                                   "try --port 0 for a free one") from None
    except OSError as err:
        sock.close()
        raise InputError("--port", f"cannot listen on {host}:{port}: {err.strerror}; try --port 0 for a free one") from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_for(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(app, sock: socket.socket, *, open_browser: bool, on_ready=None) -> None:
    """Serve until Ctrl-C (uvicorn handles SIGINT/SIGTERM and shuts down cleanly)."""
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    url = url_for(sock)

    def when_started():
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            if on_ready is not None:
                on_ready(url)
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=when_started, daemon=True).start()
    server.run(sockets=[sock])
