"""The live tab: a camera (WebRTC), a snapshot, an upload or a network camera, annotated with
pose skeletons or recognised faces and a HUD. Frames are processed in memory and dropped;
nothing from the camera is stored."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import streamlit as st

from app_pages.components.segments import segments
from app_pages.components.session import lang, num, qty, signed_in_fragment, tr
from app_pages.components.uploads import uploader
from app_pages.components.vision.common import MEDIA_MB, camera_help, safely
from core.accounts import Actor
from core.vision import gallery
from core.vision.catalogue import POSE_MODELS, pose_model
from core.vision.client import client
from core.vision.errors import VisionError
from core.vision.face import DETECTORS
from core.vision.live import TASKS, Annotated, LiveSettings, annotate, hud_lines
from core.vision.media import read_image, read_video
from core.vision.netcam import read_frame
from core.vision.overlay import FpsMeter, draw_hud

SOURCES = ("live", "snapshot", "upload", "network")
VIDEO_FRAMES = 30


def _settings(actor: Actor) -> LiveSettings:
    """Kept in the session and changed in place: the video thread holds the same object."""
    key = "vision_live_settings"
    if key not in st.session_state:
        st.session_state[key] = LiveSettings()
    settings: LiveSettings = st.session_state[key]
    task_names = {t: tr(f"vision.task.{t}") for t in TASKS}
    left, right = st.columns(2)
    settings.task = segments(
        tr("vision.task_label"), TASKS, task_names.__getitem__, "pose", "vision_task", left
    )
    if settings.task == "pose":
        ids = [m.id for m in POSE_MODELS]
        settings.backend = right.selectbox(
            tr("vision.model"), ids, index=ids.index("mediapipe-full"), key="vision_live_model"
        )
        _model_files(settings.backend)
    else:
        settings.detector = right.selectbox(
            tr("vision.detector"), DETECTORS, key="vision_live_detector"
        )
        settings.gallery = [(e.name, e.embedding) for e in safely(gallery.enrolled, actor) or []]
        settings.unknown = tr("vision.unknown")
        if not settings.gallery:
            st.info(tr("vision.live.empty_gallery"), icon=":material/person_add:")
    return settings


def _model_files(model_id: str) -> None:
    """Say before the camera starts what a model lacks: a MediaPipe file it cannot run
    without, or YOLO weights without which it runs untrained."""
    status = safely(client().call, "status")
    if status is None:
        return
    model = pose_model(model_id)
    if status.header["pose_models"][model.id]["present"]:
        return
    if model.family == "mediapipe":
        folder = status.header["models_dir"]
        st.error(tr("vision.error.missing_weights", file=model.weights_file, folder=folder))
    else:
        st.warning(tr("vision.untrained", model=model.id), icon=":material/warning:")


def _show(result: Annotated, settings: LiveSettings, caption: str) -> None:
    model = settings.backend if settings.task == "pose" else settings.detector
    lines = hud_lines(result, None, None, model, tr("vision.untrained_short"), lang())
    st.image(draw_hud(result.image, lines), caption=caption, width="stretch")
    if not result.trained:
        st.warning(tr("vision.untrained", model=model), icon=":material/warning:")


def _annotate(image: np.ndarray, settings: LiveSettings) -> Annotated | None:
    return safely(annotate, image, settings)


def _server_session() -> bool:
    """Live video needs a real Streamlit server session (AppTest and bare mode have none)."""
    from streamlit.runtime import Runtime

    return Runtime.exists() and type(Runtime.instance()) is Runtime


def _live(settings: LiveSettings) -> None:
    from streamlit_webrtc import WebRtcMode, webrtc_streamer

    if not _server_session():
        st.info(tr("vision.live.no_server"), icon=":material/videocam_off:")
        return

    meter = FpsMeter()
    language = lang()  # read here: the video thread has no session
    texts = {
        "untrained": tr("vision.untrained_short"),
        **{
            f"error.{code}": tr(f"vision.hud_error.{code}")
            for code in ("crashed", "memory", "other")
        },
    }

    def callback(frame: Any) -> Any:
        import av
        import psutil

        image = frame.to_ndarray(format="rgb24")
        try:
            result = annotate(image, settings)
        except VisionError as error:
            key = error.code if error.code in ("crashed", "memory") else "other"
            out = draw_hud(image, [texts[f"error.{key}"]])
            return av.VideoFrame.from_ndarray(out, format="rgb24")
        fps = meter.tick(time.perf_counter())
        settings.fps, settings.infer_ms, settings.people = fps, result.infer_ms, result.people
        model = settings.backend if settings.task == "pose" else settings.detector
        cpu = psutil.cpu_percent(interval=None)
        lines = hud_lines(result, fps, cpu, model, texts["untrained"], language)
        return av.VideoFrame.from_ndarray(draw_hud(result.image, lines), format="rgb24")

    translations = {
        k: tr(f"vision.webrtc.{k}")
        for k in ("start", "stop", "select_device", "media_api_not_available",
                  "device_ask_permission", "device_not_available", "device_access_denied")
    }  # fmt: skip
    with st.container(key="vision_live_view"):
        context = webrtc_streamer(
            key="vision-live",
            mode=WebRtcMode.SENDRECV,
            frontend_rtc_configuration={"iceServers": []},  # offline: host candidates only
            server_rtc_configuration={"iceServers": []},
            media_stream_constraints={"video": {"width": 640, "height": 480}, "audio": False},
            video_frame_callback=callback,
            async_processing=True,
            translations=translations,  # type: ignore[arg-type]
        )
    if context.state.playing:
        _live_numbers(settings)
    st.caption(tr("vision.live.privacy"))


@signed_in_fragment(run_every=1.0)
def _live_numbers(settings: LiveSettings) -> None:
    """What the video thread measured, as large numbers for the back of the room."""
    with st.container(key="vision_live_numbers"):
        cols = st.columns(3)
        cols[0].metric("FPS", num(settings.fps, 1))
        cols[1].metric(tr("vision.live.model_ms"), qty(settings.infer_ms, "ms", 0))
        cols[2].metric(tr("vision.live.people"), settings.people)


def _upload(settings: LiveSettings) -> None:
    file = uploader(
        tr("vision.upload_media"), ("jpg", "jpeg", "png", "mp4", "webm", "mov", "avi"),
        "vision_live_file", MEDIA_MB,
    )  # fmt: skip
    if file is None:
        return
    data = file.getvalue()
    if (file.type or "").startswith("image/"):
        image = safely(read_image, data)
        result = None if image is None else _annotate(image, settings)
        if result is not None:
            _show(result, settings, file.name)
        return
    frames = safely(read_video, data, VIDEO_FRAMES, 3)
    if not frames:
        return
    results = [r for r in (_annotate(f, settings) for f in frames) if r is not None]
    if not results:
        return
    mean_ms = float(np.mean([r.infer_ms for r in results]))
    speed = f"{num(1000 / mean_ms, 1)} FPS"
    st.metric(tr("vision.video_speed"), speed, help=tr("vision.video_speed_help"))
    picks = [results[0], results[len(results) // 2], results[-1]]
    for column, result in zip(st.columns(3), picks, strict=True):
        with column:
            _show(result, settings, f"{result.people} · {qty(result.infer_ms, 'ms', 0)}")


def _network(settings: LiveSettings) -> None:
    st.caption(tr("vision.network.intro"))
    url = st.text_input(
        tr("vision.network.url"),
        placeholder="http://192.168.4.1:81/stream",
        key="vision_netcam_url",
    )
    follow = st.toggle(tr("vision.network.follow"), key="vision_netcam_follow")
    if not url:
        return

    @signed_in_fragment(run_every=1.0 if follow else None)
    def grab() -> None:
        image = safely(read_frame, url)
        result = None if image is None else _annotate(image, settings)
        if result is not None:
            _show(result, settings, url)

    grab()


def render(actor: Actor) -> None:
    st.caption(tr("vision.live.intro"))
    names = {s: tr(f"vision.live.source.{s}") for s in SOURCES}
    source = segments(
        tr("vision.live.source_label"), SOURCES, names.__getitem__, "live", "vision_live_source"
    )
    settings = _settings(actor)
    if source in ("live", "snapshot"):
        camera_help()
    if source == "live":
        _live(settings)
    elif source == "snapshot":
        shot = st.camera_input(tr("vision.snapshot"), key="vision_live_snapshot")
        image = None if shot is None else safely(read_image, shot.getvalue())
        result = None if image is None else _annotate(image, settings)
        if result is not None:
            _show(result, settings, tr("vision.snapshot_caption", people=result.people))
    elif source == "upload":
        _upload(settings)
    else:
        _network(settings)
