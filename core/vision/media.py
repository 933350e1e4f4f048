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
# Videos are decoded in the web process. One 4096×4096 frame is 48 MB as RGB, and a 90 KB clip of
# such frames took the server from 0.5 to 3.5 GB: the frame size is checked from the container's
# header before any frame is decoded (and again on each frame, in case the header lied), and
# reading stops once the kept frames reach a memory budget.
MAX_VIDEO_PIXELS = 1920 * 1088  # Full HD (1080 lines are coded as 1088): ~6 MB per RGB frame
MAX_VIDEO_KEPT_MB = 300  # RGB frames one upload may hold (50 Full HD frames, 330 at 640×480)
MAX_VIDEO_DECODED_FRAMES = 900  # frames decoded for one upload, kept or skipped
MESSAGES = {
    "empty": "The file is empty.",
    "too_big": "The file is {size:.0f} MB; the lab accepts at most {limit} MB.",
    "not_image": "This is not a photo the lab can read; use a JPEG or PNG.",
    "huge_image": "The photo is {width}×{height} px; the lab accepts at most {limit} px a side.",
    "not_video": "This is not a video the lab can read; use MP4, WebM, MOV or AVI.",
    "no_frames": "The video has no picture frames.",
    "huge_video": (
        "The video's frames are {width}×{height} px; the lab accepts at most Full HD "
        "(1920×1080). Record or export it at 1080p or lower."
    ),
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


def _check_frame_size(width: int, height: int) -> None:
    if width * height > MAX_VIDEO_PIXELS:
        raise MediaError("huge_video", width=width, height=height)


def read_video(data: bytes, max_frames: int = 90, every: int = 1) -> list[Image]:
    """Up to ``max_frames`` frames (every ``every``-th), decoded with FFmpeg through PyAV, within
    the frame-size and memory limits above (a video over the budget gives fewer frames)."""
    _check_size(data, MAX_VIDEO_MB)
    import av

    frames: list[Image] = []
    kept_bytes, budget = 0, MAX_VIDEO_KEPT_MB * 1024**2
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.video:
                raise MediaError("no_frames")
            stream = container.streams.video[0]
            _check_frame_size(stream.codec_context.width, stream.codec_context.height)
            for i, frame in enumerate(container.decode(stream)):
                _check_frame_size(frame.width, frame.height)  # a stream may change size
                if i % every == 0:
                    frames.append(np.asarray(frame.to_ndarray(format="rgb24")))
                    kept_bytes += frames[-1].nbytes
                if len(frames) >= max_frames or kept_bytes >= budget:
                    break
                if i + 1 >= MAX_VIDEO_DECODED_FRAMES:
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
