"""Serving the CRM over HTTPS from a thread, so the demo can drive a sync and keep serving afterwards."""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server

from hostcrm.demo.tls import TlsFiles


@contextmanager
def serve_https(app: Flask, tls: TlsFiles, host: str, port: int) -> Iterator[str]:
    """Serve ``app`` on ``https://host:port`` (port 0 picks a free one) and yield its base URL."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(tls.certificate, tls.key)
    server = make_server(host, port, app, threaded=True, ssl_context=context)
    thread = threading.Thread(target=server.serve_forever, name='hostcrm-https', daemon=True)
    thread.start()
    try:
        yield f'https://{host}:{server.server_port}'
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@contextmanager
def quiet_request_log() -> Iterator[None]:
    """Hide werkzeug's line per request while the progress line is on screen."""
    logger = logging.getLogger('werkzeug')
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
