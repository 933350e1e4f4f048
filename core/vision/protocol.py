"""The wire format between the app and the vision worker: a JSON header plus raw arrays.

Not pickle: the same protocol lets a district run the worker on a GPU machine, and unpickling
what arrives over a network runs arbitrary code. Frames travel as raw bytes with dtype and shape
in the header, so a 640×480 frame costs one copy, no encoding. Shared by both environments, so
only the standard library and numpy (1.26 on the worker side, 2.x in the app) are used."""

from __future__ import annotations

import json
import socket
import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

MAX_HEADER = 1 << 20
MAX_PAYLOAD = 1 << 30  # one request may carry a short clip, never more than 1 GB
ALLOWED_DTYPES = frozenset({"uint8", "float32", "float64", "int64", "int32", "bool"})
_LENGTH = struct.Struct("!I")


class ProtocolError(ConnectionError):
    """The peer sent something that is not a message of this protocol (or closed mid-message)."""


@dataclass
class Message:
    header: dict[str, Any]
    arrays: list[npt.NDArray[Any]] = field(default_factory=list)


def send(sock: socket.socket, message: Message) -> None:
    arrays = [np.ascontiguousarray(a) for a in message.arrays]
    specs = [{"dtype": str(a.dtype), "shape": list(a.shape)} for a in arrays]
    header = json.dumps({**message.header, "_arrays": specs}).encode()
    sock.sendall(_LENGTH.pack(len(header)) + header)
    for array in arrays:
        sock.sendall(memoryview(array).cast("B"))  # type: ignore[arg-type]


def receive(sock: socket.socket) -> Message:
    (length,) = _LENGTH.unpack(_read(sock, _LENGTH.size))
    if length > MAX_HEADER:
        raise ProtocolError(f"header of {length} bytes is too large")
    try:
        header = json.loads(_read(sock, length))
    except ValueError as exc:
        raise ProtocolError("header is not JSON") from exc
    if not isinstance(header, dict):
        raise ProtocolError("header is not a JSON object")
    specs = header.pop("_arrays", [])
    total = 0
    arrays: list[npt.NDArray[Any]] = []
    for spec in specs:
        dtype, shape = str(spec["dtype"]), tuple(int(n) for n in spec["shape"])
        if dtype not in ALLOWED_DTYPES or any(n < 0 for n in shape):
            raise ProtocolError(f"array of dtype {dtype} and shape {shape} is not allowed")
        size = int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
        total += size
        if total > MAX_PAYLOAD:
            raise ProtocolError("message is larger than 1 GB")
        arrays.append(np.frombuffer(_read(sock, size), dtype=dtype).reshape(shape))
    return Message(header, arrays)


def _read(sock: socket.socket, size: int) -> bytearray:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = sock.recv_into(view[got:], size - got)
        if n == 0:
            raise ProtocolError("connection closed")
        got += n
    return buffer
