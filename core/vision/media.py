"""Uploaded photos and videos turned into RGB frames, with a clear error for anything else.
Nothing is written to disk: frames live in memory for this request only."""

from __future__ import annotations

import io

import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from core.errors import CodedError

Image = npt.NDArray[np.uint8]
MAX_IMAGE_MB = 15
MAX_VIDEO_MB = 200
MAX_SIDE = 4096
MESSAGES = {
    "empty": "The file is empty.",
    "too_big": "The file is {size:.0f} MB; the lab accepts at most {limit} MB.",
    "not_image": "This is not a photo the lab can read; use a JPEG or PNG.",
    "huge_image": "The photo is {width}×{height} px; the lab accepts at most {limit} px a side.",
    "not_video": "This is not a video the lab can read; use MP4, WebM, MOV or AVI.",
    "no_frames": "The video has no picture frames.",
}


class MediaError(CodedError):
    MESSAGES = MESSAGES


def _check_size(data: bytes, limit_mb: int) -> None:
    if not data:
        raise MediaError("empty")
    size = len(data) / 1024**2
    if size > limit_mb:
        raise MediaError("too_big", size=size, limit=limit_mb)


def read_image(data: bytes) -> Image:
    _check_size(data, MAX_IMAGE_MB)
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            if max(image.size) > MAX_SIDE:
                raise MediaError(
                    "huge_image", width=image.width, height=image.height, limit=MAX_SIDE
                )
            return np.asarray(image.convert("RGB"))
    except (UnidentifiedImageError, OSError, PILImage.DecompressionBombError) as exc:
        raise MediaError("not_image") from exc


def read_video(data: bytes, max_frames: int = 90, every: int = 1) -> list[Image]:
    """Up to ``max_frames`` frames (every ``every``-th), decoded with FFmpeg through PyAV."""
    _check_size(data, MAX_VIDEO_MB)
    import av

    frames: list[Image] = []
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.video:
                raise MediaError("no_frames")
            for i, frame in enumerate(container.decode(video=0)):
                if i % every == 0:
                    frames.append(np.asarray(frame.to_ndarray(format="rgb24")))
                if len(frames) >= max_frames:
                    break
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        if isinstance(exc, MediaError):
            raise
        raise MediaError("not_video") from exc
    if not frames:
        raise MediaError("no_frames")
    return frames


def encode_video(frames: list[Image], fps: int = 10) -> bytes:
    """A short MP4 (H.264) of ``frames``, for tests and for the page to play results back."""
    import av

    out = io.BytesIO()
    height, width = frames[0].shape[:2]
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = width - width % 2, height - height % 2
        stream.pix_fmt = "yuv420p"
        for image in frames:
            frame = av.VideoFrame.from_ndarray(
                image[: stream.height, : stream.width], format="rgb24"
            )
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return out.getvalue()
