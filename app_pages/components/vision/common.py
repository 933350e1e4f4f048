"""What every vision tab needs: translated messages for everything that can go wrong, the
shipped photos, and a picker for "which image" (shipped photo, camera snapshot or upload)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np
import streamlit as st

from app_pages.components.segments import segments
from app_pages.components.session import tr
from app_pages.components.uploads import uploader
from core.vision import face, face_experiments
from core.vision.errors import VisionError
from core.vision.face_experiments import ConditionResult
from core.vision.gallery import GalleryError
from core.vision.media import MAX_IMAGE_MB, MediaError, read_image
from core.vision.netcam import NetcamError
from core.vision.palm.errors import PalmInputError

T = TypeVar("T")
PHOTOS = ("astronaut", "grace_hopper", "zidane", "bus")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")


def explain(error: Exception) -> None:
    """A translated message for a known failure; anything else is shown as a generic one."""
    if isinstance(error, VisionError):
        icon = ":material/folder_open:" if error.code == "missing_weights" else ":material/error:"
        values = dict(error.values)
        if error.code == "no_face":
            values["which"] = tr(f"vision.face.{values['which']}")
        st.error(tr(f"vision.error.{error.code}", **values), icon=icon)
    elif isinstance(error, MediaError):
        st.error(tr(f"vision.media.{error.code}", **error.values), icon=":material/error:")
    elif isinstance(error, NetcamError):
        st.error(tr(f"vision.netcam.{error.code}", **error.values), icon=":material/error:")
    elif isinstance(error, GalleryError):
        st.error(tr(f"vision.gallery.{error.code}"), icon=":material/error:")
    elif isinstance(error, PalmInputError):
        st.error(tr(f"vision.palm_error.{error.code}", **error.values), icon=":material/error:")
    else:
        st.error(tr("vision.error.failed", detail=type(error).__name__), icon=":material/error:")


# What the page accepts for a clip (the video reader itself takes up to core's MAX_VIDEO_MB).
MEDIA_MB = 25
KNOWN = (VisionError, MediaError, NetcamError, GalleryError, PalmInputError, ValueError)


def safely(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run a core call; a known failure becomes a translated message and None, never a traceback."""
    try:
        return fn(*args, **kwargs)
    except KNOWN as error:
        explain(error)
        return None


# Worker answers are cached by image content: every tab runs on each rerun, and scanning the
# same photo again would cost half a second each time.
@st.cache_data(show_spinner=False, max_entries=64)
def scan(image: np.ndarray, detector: str) -> face.FaceScan:
    return face.scan(image, detector)


@st.cache_data(show_spinner=False, max_entries=16)
def preprocess_stages(image: np.ndarray, detector: str) -> list[tuple[str, np.ndarray]]:
    return face.preprocess_stages(image, ("clahe", "denoise", "align"), detector)


@st.cache_data(show_spinner=False, max_entries=16)
def condition_sweep(image: np.ndarray, condition: str, detector: str) -> ConditionResult:
    return face_experiments.condition_sweep(image, condition, detector)


@st.cache_data(show_spinner=False, max_entries=8)
def photo(name: str) -> np.ndarray:
    return face.photo(name)


def insecure_origin() -> bool:
    """Browsers allow cameras only on https or on this machine (localhost)."""
    url = urlparse(st.context.url or "")
    return url.scheme == "http" and (url.hostname or "localhost") not in LOCAL_HOSTS


def camera_help() -> None:
    if insecure_origin():
        st.warning(tr("vision.camera.insecure", host=urlparse(st.context.url).hostname or ""),
                   icon=":material/lock_open:")  # fmt: skip
    with st.expander(tr("vision.camera.trouble"), icon=":material/help:"):
        st.markdown(tr("vision.camera.trouble_body"))


def pick_image(key: str, default: str = "astronaut", label: str | None = None) -> np.ndarray | None:
    """One image from a shipped photo, a camera snapshot or an upload."""
    sources = ("photo", "snapshot", "upload")
    names = {s: tr(f"vision.source.{s}") for s in sources}
    source = segments(
        label or tr("vision.image_source"), sources, names.__getitem__, "photo", f"{key}_source"
    )
    if source == "snapshot":
        shot = st.camera_input(tr("vision.snapshot"), key=f"{key}_camera")
        return None if shot is None else safely(read_image, shot.getvalue())
    if source == "upload":
        file = uploader(
            tr("vision.upload_photo"), ("jpg", "jpeg", "png"), f"{key}_file", MAX_IMAGE_MB
        )
        return None if file is None else safely(read_image, file.getvalue())
    titles = {p: tr(f"vision.photo.{p}") for p in PHOTOS}
    name = st.selectbox(
        tr("vision.shipped_photo"), PHOTOS, index=PHOTOS.index(default),
        format_func=titles.__getitem__, key=f"{key}_photo",
    )  # fmt: skip
    return safely(photo, name)
