"""Item 20.5: a tiny video with huge frames (a 90 KB clip of 4096×4096 frames took the server
from 0.5 to 3.5 GB) is refused from the container's header, before any frame is decoded; a
stream that lies in its header is stopped at its first big frame; reading stops at a budget."""

from __future__ import annotations

import io
from typing import Any

import av
import numpy as np
import pytest

from core.i18n import t
from core.vision import media
from core.vision.media import MediaError, read_video


def _video(width: int, height: int, frames: int = 2) -> bytes:
    """A small MPEG-4 Part 2 AVI of black frames (huge frames compress to almost nothing)."""
    out = io.BytesIO()
    with av.open(out, "w", format="avi") as container:
        stream = container.add_stream("mpeg4", rate=5)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        black = np.zeros((height, width, 3), np.uint8)
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(black, format="rgb24").reformat(format="yuv420p")
            frame.pts = i
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return out.getvalue()


@pytest.fixture(scope="module")
def huge() -> bytes:
    data = _video(4096, 4096)
    assert len(data) < 512 * 1024  # small on disk: only decoding would make it big
    return data


class _Watched:
    """av.open's container, counting decoded frames."""

    decoded = 0

    def __init__(self, container: Any) -> None:
        self._container = container

    def __enter__(self) -> _Watched:
        self._container.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._container.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._container, name)

    def decode(self, *args: Any, **kwargs: Any) -> Any:
        for frame in self._container.decode(*args, **kwargs):
            _Watched.decoded += 1
            yield frame


def test_huge_frames_are_refused_from_the_header_before_decoding(
    huge: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = av.open
    monkeypatch.setattr(av, "open", lambda *a, **k: _Watched(real_open(*a, **k)))
    _Watched.decoded = 0
    with pytest.raises(MediaError) as refused:
        read_video(huge, max_frames=30, every=3)
    assert refused.value.code == "huge_video"
    assert refused.value.values == {"width": 4096, "height": 4096}
    assert _Watched.decoded == 0, "frames were decoded before the refusal"
    for lang in ("kk", "ru", "en"):  # the page shows it translated (vision.media.<code>)
        text = t("vision.media.huge_video", lang, **refused.value.values)
        assert "4096" in text and "vision.media" not in text


def test_a_header_that_lies_is_caught_at_the_first_big_frame(
    huge: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the container's header under-reports the size, each decoded frame is checked before
    it is converted to RGB (the 48 MB copy) and before the next one is decoded."""
    monkeypatch.setattr(media, "_check_frame_size", _lenient_header_check())
    with pytest.raises(MediaError) as refused:
        read_video(huge, max_frames=30)
    assert refused.value.code == "huge_video"


def _lenient_header_check() -> Any:
    real = media._check_frame_size
    calls = {"n": 0}

    def check(width: int, height: int) -> None:
        calls["n"] += 1
        if calls["n"] > 1:  # the first call is the header's: pretend it said nothing
            real(width, height)

    return check


def test_full_hd_passes_and_reading_stops_at_the_memory_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _video(64, 48, frames=12)
    assert len(read_video(data, max_frames=100)) == 12
    frame_mb = 64 * 48 * 3 / 1024**2
    monkeypatch.setattr(media, "MAX_VIDEO_KEPT_MB", 5 * frame_mb)
    assert len(read_video(data, max_frames=100)) == 5
    monkeypatch.setattr(media, "MAX_VIDEO_KEPT_MB", 300)
    monkeypatch.setattr(media, "MAX_VIDEO_DECODED_FRAMES", 6)
    assert len(read_video(data, max_frames=100, every=2)) == 3
