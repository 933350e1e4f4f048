"""Network cameras: a local MJPEG stream server (as an ESP32-CAM serves), a JPEG snapshot URL,
and the addresses and answers that must be refused. RTSP is read by FFmpeg (PyAV) and is not
tested here: nothing installable offline serves RTSP to a player (ffmpeg only receives it)."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from PIL import Image as PILImage

from core.vision import netcam

BOUNDARY = "frame"


def _jpeg(value: int) -> bytes:
    out = io.BytesIO()
    PILImage.fromarray(np.full((120, 160, 3), value, np.uint8)).save(out, "JPEG")
    return out.getvalue()


class Camera(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/stream":
            self.send_response(200)
            self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
            self.end_headers()
            try:
                for value in (40, 200, 90):
                    frame = _jpeg(value)
                    self.wfile.write(
                        f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                        f"Content-Length: {len(frame)}\r\n\r\n".encode()
                        + frame
                        + b"\r\n"
                    )
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                return
        elif self.path == "/capture":
            frame = _jpeg(150)
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(frame)))
            self.end_headers()
            self.wfile.write(frame)
        else:
            body = b"<html>not a camera</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


@pytest.fixture(scope="module")
def camera() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Camera)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_mjpeg_stream_gives_the_first_whole_frame(camera: str) -> None:
    frame = netcam.read_frame(f"{camera}/stream")
    assert frame.shape == (120, 160, 3)
    assert abs(int(frame.mean()) - 40) <= 3


def test_snapshot_url_gives_the_jpeg(camera: str) -> None:
    assert abs(int(netcam.read_frame(f"{camera}/capture").mean()) - 150) <= 3


def test_a_web_page_is_not_a_camera(camera: str) -> None:
    with pytest.raises(netcam.NetcamError) as refused:
        netcam.read_frame(f"{camera}/index.html")
    assert refused.value.code == "not_image"


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://127.0.0.1/cam", "bad_url"),
        ("not a url", "bad_url"),
        ("http://8.8.8.8/stream", "not_local"),
        ("rtsp://1.1.1.1:554/live", "not_local"),
        ("http://127.0.0.1:9/stream", "unreachable"),
    ],
)
def test_refused_addresses(url: str, code: str) -> None:
    with pytest.raises(netcam.NetcamError) as refused:
        netcam.read_frame(url, timeout=2)
    assert refused.value.code == code


def test_local_network_addresses_are_local() -> None:
    for address in ("127.0.0.1", "192.168.4.1", "10.0.0.7", "172.16.3.3", "169.254.1.1", "::1"):
        assert netcam.is_local(address)
    assert not netcam.is_local("8.8.8.8")
