"""Network cameras on the local network (an ESP32-CAM, a phone camera app, a CCTV box), as in the
face-biometrics study: frames come over MJPEG/HTTP, a JPEG snapshot URL or RTSP, and are
processed here. Only addresses on this machine or the local network are accepted, so the lab
stays offline and no camera stream leaves the building."""

from __future__ import annotations

import io
import ipaddress
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlparse

import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from core.errors import CodedError

Image = npt.NDArray[np.uint8]
SCHEMES = ("http", "https", "rtsp")
MAX_FRAME_BYTES = 8 * 1024 * 1024
MESSAGES = {
    "bad_url": "'{url}' is not a camera address; use http://…, https://… or rtsp://…",
    "not_local": (
        "{host} is not on this machine or the local network; Zerde only reads cameras on the "
        "local network, so no video leaves the building."
    ),
    "unreachable": "The camera at {host} does not answer ({detail}).",
    "not_image": "The camera at {host} answered, but not with a JPEG image or MJPEG stream.",
}


class NetcamError(CodedError):
    MESSAGES = MESSAGES


def is_local(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_loopback or ip.is_private or ip.is_link_local


def check_url(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of a camera URL on this machine or the local network."""
    parsed = urlparse(url.strip())
    if parsed.scheme not in SCHEMES or not parsed.hostname:
        raise NetcamError("bad_url", url=url)
    host = parsed.hostname
    try:
        port = parsed.port
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port or 80)}
    except (OSError, ValueError) as exc:
        raise NetcamError("unreachable", host=host, detail=str(exc)) from exc
    if not addresses or not all(is_local(str(a).split("%")[0]) for a in addresses):
        raise NetcamError("not_local", host=host)
    return parsed.scheme, host, port


def read_frame(url: str, timeout: float = 5.0) -> Image:
    """The camera's current frame as RGB."""
    scheme, host, _ = check_url(url)
    if scheme == "rtsp":
        return _rtsp_frame(url, host, timeout)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    try:
        with opener.open(url.strip(), timeout=timeout) as response:
            kind = response.headers.get("Content-Type", "")
            data = _first_jpeg(response) if "multipart" in kind else response.read(MAX_FRAME_BYTES)
    except (urllib.error.URLError, OSError) as exc:
        raise NetcamError("unreachable", host=host, detail=str(exc)) from exc
    return decode_jpeg(data, host)


def _first_jpeg(stream: Any) -> bytes:
    """The first complete JPEG in an MJPEG stream: bytes from a start-of-image marker to the
    next end-of-image marker, whatever boundary and headers the camera uses."""
    buffer = b""
    while len(buffer) < MAX_FRAME_BYTES:
        chunk: bytes = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
        if not chunk:
            break
        buffer += chunk
        start = buffer.find(b"\xff\xd8")
        end = buffer.find(b"\xff\xd9", start + 2) if start >= 0 else -1
        if end >= 0:
            return buffer[start : end + 2]
    return b""


def decode_jpeg(data: bytes, host: str) -> Image:
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            return np.asarray(image.convert("RGB"))
    except (UnidentifiedImageError, OSError) as exc:
        raise NetcamError("not_image", host=host) from exc


def _rtsp_frame(url: str, host: str, timeout: float) -> Image:
    import av

    try:
        with av.open(
            url, options={"rtsp_transport": "tcp"}, timeout=(timeout, timeout)
        ) as container:
            for frame in container.decode(video=0):
                return np.asarray(frame.to_ndarray(format="rgb24"))
    except (av.error.FFmpegError, OSError) as exc:
        raise NetcamError("unreachable", host=host, detail=str(exc)) from exc
    raise NetcamError("not_image", host=host)
