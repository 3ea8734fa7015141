"""The zygote's protocol: one JSON object per line over a Unix socket; who is at the other end."""

from __future__ import annotations

import json
import socket
import struct


def send(connection: socket.socket, message: dict) -> None:
    """Send ``message`` as one line."""
    connection.sendall(json.dumps(message).encode() + b"\n")


def receive(connection: socket.socket, timeout: float | None = None) -> dict:
    """The next line's message, waiting at most ``timeout`` seconds (None: for ever)."""
    connection.settimeout(timeout)
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(4096)
        if not chunk:
            raise EOFError("the zygote closed the connection")
        data += chunk
    return json.loads(data)


def peer_pid(connection: socket.socket) -> int:
    """This machine's id of the process at the other end of a Unix socket (the zygote)."""
    credentials = connection.getsockopt(
        socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")
    )
    return struct.unpack("3i", credentials)[0]
