"""Free loopback ports for the processes a test stack, the demo or the benchmark starts."""

from __future__ import annotations

import socket

LOOPBACK = "127.0.0.1"
_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port nothing listens on, never one this process handed out before: a child told to use
    a port may not have bound it yet, and the kernel can offer the same free port twice."""
    while True:
        with socket.socket() as sock:
            sock.bind((LOOPBACK, 0))
            port = int(sock.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port
