"""Serving an app on a real localhost port in a thread, as the Web Connector and the browser need."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server


@contextmanager
def served(app: Flask, host: str = 'localhost') -> Iterator[str]:
    """Serve ``app`` on a free port of ``host`` until the block ends; yields ``http://host:port``."""
    server = make_server(host, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f'http://{host}:{server.server_port}'
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
