"""Uploaded photos and videos: what can be read, and a coded error for everything else."""

from __future__ import annotations

import io
import pickle

import numpy as np
import pytest
from PIL import Image as PILImage

from core.vision import media
from core.vision.media import MediaError


def _png(shape: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    PILImage.fromarray(np.full((*shape, 3), 120, np.uint8)).save(out, "PNG")
    return out.getvalue()


def test_a_photo_becomes_rgb() -> None:
    image = media.read_image(_png((30, 40)))
    assert image.shape == (30, 40, 3) and image.dtype == np.uint8


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty"), (b"GIF89a nonsense", "not_image"), (b"\x00" * 100, "not_image")],
)
def test_what_is_not_a_photo(data: bytes, code: str) -> None:
    with pytest.raises(MediaError) as refused:
        media.read_image(data)
    assert refused.value.code == code


def test_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(media, "MAX_SIDE", 20)
    with pytest.raises(MediaError) as huge:
        media.read_image(_png((30, 40)))
    assert huge.value.code == "huge_image" and huge.value.values["width"] == 40
    monkeypatch.setattr(media, "MAX_IMAGE_MB", 0)
    with pytest.raises(MediaError) as big:
        media.read_image(_png((10, 10)))
    assert big.value.code == "too_big"


def test_a_video_round_trip_and_frame_sampling() -> None:
    frames = [np.full((48, 64, 3), 10 * i, np.uint8) for i in range(12)]
    data = media.encode_video(frames, fps=10)
    every_other = media.read_video(data, max_frames=100, every=2)
    assert len(every_other) == 6 and every_other[0].shape == (48, 64, 3)
    assert len(media.read_video(data, max_frames=4)) == 4
    assert abs(int(every_other[1].mean()) - 20) <= 4


def test_a_broken_video_is_a_message_and_errors_pickle() -> None:
    with pytest.raises(MediaError) as broken:
        media.read_video(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500)
    assert broken.value.code in ("not_video", "no_frames")
    again = pickle.loads(pickle.dumps(broken.value))
    assert isinstance(again, MediaError) and again.code == broken.value.code
    assert str(again) == str(broken.value)
