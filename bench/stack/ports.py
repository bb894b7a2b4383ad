"""Free TCP ports on 127.0.0.1 for the servers a run starts."""

from __future__ import annotations

import socket


def free_ports(count: int) -> list[int]:
    """Ports the kernel hands out as free now; held open together so they are distinct."""
    sockets = []
    try:
        for _ in range(count):
            probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            probe.bind(("127.0.0.1", 0))
            sockets.append(probe)
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()
