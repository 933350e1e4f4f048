"""The worker's socket server: one thread per connection, models shared (see handlers).

A request that pushes the process past its memory limit is answered, then the worker exits so
whoever started it (the app, or systemd on a GPU machine) starts a fresh one. A leak or a huge
upload therefore costs one restart, never the app."""

from __future__ import annotations

import hmac
import logging
import os
import socket
import socketserver
from pathlib import Path

from core.vision.protocol import Message, ProtocolError, receive, send
from core.vision.worker.handlers import (
    HANDLERS,
    TEST_HANDLERS,
    refuse_external_network,
    rss_mb,
)
from core.vision.worker.pose_models import MissingWeights

READY = "ZERDE-VISION-WORKER READY"
MEMORY_EXIT = 75
log = logging.getLogger("zerde.vision.worker")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        token: str,
        models_dir: Path,
        max_rss_mb: float,
        test_hooks: bool = False,
    ) -> None:
        super().__init__(address, Connection)
        self.token = token
        self.models_dir = models_dir
        self.max_rss_mb = max_rss_mb
        self.handlers = {**HANDLERS, **(TEST_HANDLERS if test_hooks else {})}
        if test_hooks:
            refuse_external_network()


class Connection(socketserver.BaseRequestHandler):
    server: Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            hello = receive(sock)
            if not hmac.compare_digest(str(hello.header.get("token", "")), self.server.token):
                send(sock, Message({"error": "unauthorised"}))
                return
            send(sock, Message({"ok": True, "pid": os.getpid()}))
            while True:
                request = receive(sock)
                reply = self.answer(request)
                over = rss_mb() > self.server.max_rss_mb
                if over:
                    reply.header["exiting"] = "memory"
                    reply.header["rss_mb"] = rss_mb()
                send(sock, reply)
                if over:
                    log.error("worker exceeded %.0f MB, exiting", self.server.max_rss_mb)
                    os._exit(MEMORY_EXIT)
        except (ProtocolError, ConnectionError, OSError):
            return

    def answer(self, request: Message) -> Message:
        op = str(request.header.get("op", ""))
        handler = self.server.handlers.get(op)
        if handler is None:
            return Message({"error": "unknown_op", "detail": op})
        try:
            return handler(request.header.get("params", {}), request.arrays, self.server.models_dir)
        except MissingWeights as exc:
            return Message(
                {"error": "missing_weights", "file": exc.filename, "folder": str(exc.folder)}
            )
        except (ValueError, KeyError) as exc:
            return Message({"error": "bad_request", "detail": str(exc)})
        except Exception as exc:  # a model failing must not kill the other learners' requests
            log.exception("op %s failed", op)
            return Message({"error": "failed", "detail": f"{type(exc).__name__}: {exc}"})


def serve(server: Server) -> None:
    host, port = str(server.server_address[0]), int(server.server_address[1])
    print(f"{READY} host={host} port={port} pid={os.getpid()}", flush=True)
    server.serve_forever()
