"""The app ↔ worker link: the wire format, a worker that crashes or outgrows its memory, input
the worker cannot use, and models whose weights are missing."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import numpy as np
import pytest

from core.vision.client import WorkerClient, WorkerConfig, as_image
from core.vision.errors import VisionError
from core.vision.protocol import Message, ProtocolError, receive, send


def test_protocol_round_trip_keeps_dtype_shape_and_values() -> None:
    left, right = socket.socketpair()
    arrays = [np.arange(24, dtype=np.uint8).reshape(2, 4, 3), np.array([0.5, -1.0], np.float32)]
    send(left, Message({"op": "x", "n": 3}, arrays))
    got = receive(right)
    assert got.header == {"op": "x", "n": 3}
    for a, b in zip(arrays, got.arrays, strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)


def test_protocol_refuses_object_arrays_and_garbage() -> None:
    left, right = socket.socketpair()
    left.sendall(b"\x00\x00\x00\x05hello")
    with pytest.raises(ProtocolError):
        receive(right)
    left, right = socket.socketpair()
    header = b'{"_arrays": [{"dtype": "object", "shape": [1]}]}'
    left.sendall(len(header).to_bytes(4, "big") + header)
    with pytest.raises(ProtocolError, match="not allowed"):
        receive(right)


def test_as_image_accepts_grey_float_and_rgba() -> None:
    assert as_image(np.zeros((4, 5))).shape == (4, 5, 3)
    assert as_image(np.ones((4, 5, 3), np.float32)).max() == 255
    assert as_image(np.zeros((4, 5, 4), np.uint8)).shape == (4, 5, 3)
    with pytest.raises(ValueError):
        as_image(np.zeros((4, 5, 2)))


def test_crash_gives_a_message_and_the_next_request_works(worker: WorkerClient) -> None:
    before = worker.call("status").header["pid"]
    with pytest.raises(VisionError) as crash:
        worker.call("_crash")
    assert crash.value.code == "crashed" and crash.value.values["exit_code"] == 3
    after = worker.call("status").header["pid"]
    assert after != before


def test_a_crash_seen_by_two_requests_starts_one_new_worker(worker: WorkerClient) -> None:
    with pytest.raises(VisionError):
        worker.call("_crash")
    restarted, restarts = worker._process, worker.restarts
    worker._restart()  # what a second request that was in flight during the crash does
    assert worker._process is restarted and worker.restarts == restarts
    assert restarted is not None and restarted.poll() is None


def test_memory_blow_up_restarts_the_worker(worker: WorkerClient) -> None:
    before = worker.call("status").header["pid"]
    with pytest.raises(VisionError) as blow_up:
        worker.call("_hog", mb=int(worker.config.max_rss_mb) + 200, timeout=60)
    assert blow_up.value.code == "memory"
    assert blow_up.value.values["rss_mb"] > worker.config.max_rss_mb
    assert worker.call("status").header["pid"] != before


def test_threads_share_one_worker(worker: WorkerClient) -> None:
    pids: list[int] = []

    def ask() -> None:
        pids.append(worker.call("status").header["pid"])

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(pids)) == 1 and len(pids) == 4


def test_bad_input_is_a_coded_error_not_a_crash(worker: WorkerClient) -> None:
    with pytest.raises(VisionError) as bad:
        worker.call("pose", [np.zeros((4, 4), np.float32)], model="mediapipe")
    assert bad.value.code == "bad_request"
    with pytest.raises(VisionError) as unknown:
        worker.call("no_such_thing")
    assert unknown.value.code == "unknown_op"
    with pytest.raises(VisionError) as scene:
        worker.call("bench", model="mediapipe", scene="moon", resolution="480p")
    assert scene.value.code == "bad_request"


def test_missing_weights_name_the_file_and_folder(worker: WorkerClient) -> None:
    with pytest.raises(VisionError) as missing:
        worker.call("pose", [np.zeros((64, 64, 3), np.uint8)], model="mediapipe-heavy")
    assert missing.value.code == "missing_weights"
    assert missing.value.values["file"] == "pose_landmark_heavy.tflite"
    assert missing.value.values["folder"] == str(worker.config.models_dir)


def test_wrong_token_is_refused(worker: WorkerClient) -> None:
    worker.call("status")
    intruder = WorkerClient(WorkerConfig(remote=worker._address, token="wrong"))
    with pytest.raises(VisionError) as refused:
        intruder.call("status")
    assert refused.value.code == "unauthorised"


def test_missing_environment_is_explained() -> None:
    absent = WorkerClient(WorkerConfig(python=Path("/nowhere/bin/python")))
    with pytest.raises(VisionError) as unavailable:
        absent.call("status")
    assert unavailable.value.code == "unavailable"
