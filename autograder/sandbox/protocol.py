"""Frames between judge and worker: a 4-byte big-endian length, then that many bytes of JSON.

Both sides cap what they accept, and the judge reads against a deadline, so a worker that writes
garbage, writes too much or never answers cannot stall or crash the judge.
"""

from __future__ import annotations

import json
import select
import socket
import struct
import time
from typing import Any

HEADER = struct.Struct(">I")
MAX_FRAME = 32 * 1024 * 1024


class ChannelClosed(Exception):
    """The other side closed the channel, or sent something that is not a well-formed frame."""


class ChannelTimeout(Exception):
    """No complete frame arrived before the deadline."""


def send_frame(sock: socket.socket, message: Any) -> None:
    """Send one JSON message as a frame (blocking)."""
    payload = json.dumps(message, separators=(",", ":")).encode("utf-8")
    if len(payload) > MAX_FRAME:
        raise ValueError(f"message of {len(payload)} bytes exceeds the frame limit")
    sock.sendall(HEADER.pack(len(payload)) + payload)


def _read_exactly(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        if deadline is not None:
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                raise ChannelTimeout()
            ready, _, _ = select.select([sock], [], [], timeout)
            if not ready:
                raise ChannelTimeout()
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            raise ChannelClosed("the channel closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def recv_frame(sock: socket.socket, deadline: float | None = None, limit: int = MAX_FRAME) -> Any:
    """Receive one frame and parse its JSON; ChannelClosed if it is malformed or too large."""
    (size,) = HEADER.unpack(_read_exactly(sock, HEADER.size, deadline))
    if size > limit:
        raise ChannelClosed(f"a frame of {size} bytes exceeds the limit of {limit}")
    payload = _read_exactly(sock, size, deadline)
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # ValueError: e.g. an integer of 5000 digits
        raise ChannelClosed(f"a garbled frame: {type(exc).__name__}") from None
