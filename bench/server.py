"""The CRM server in its own process, so its CPU time and memory are its own and nobody else's.

The Web Connector and QuickBooks (qbsim) run in the benchmark's process; the CRM serves HTTP in a
child started with ``python -m bench.server FOLDER SETTLE_SECONDS``. The child prints its port, then answers each
``stats`` line on its standard input with one JSON line: its CPU seconds, its peak resident
memory, the SQL statements it sent to the CRM database and the requests it served. It stops when
its standard input closes.

With ``FINANCE_QB_BENCH_PROFILE=FOLDER`` in the environment, the child profiles the requests it
serves and leaves a cProfile file per process in ``FOLDER`` (read it with ``python -m pstats``):
finding where the server's time goes needs the server's own profile, not the benchmark's.
"""

from __future__ import annotations

import cProfile
import json
import logging
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from werkzeug.serving import make_server

from bench.crm import crm_app
from hostcrm.extensions import db

#: ru_maxrss is in kilobytes on Linux, in bytes on macOS.
MAXRSS_UNIT = 1 if sys.platform == 'darwin' else 1024
#: The environment variable naming a folder for the server's request profiles.
PROFILE_ENV = 'FINANCE_QB_BENCH_PROFILE'


@dataclass(frozen=True)
class ServerStats:
    """Cumulative figures of the server process at one moment."""

    cpu_s: float
    peak_rss_bytes: int
    queries: int
    requests: int

    def since(self, earlier: ServerStats) -> ServerStats:
        """The work done between ``earlier`` and this moment (the peak stays a peak)."""
        return ServerStats(cpu_s=self.cpu_s - earlier.cpu_s, peak_rss_bytes=self.peak_rss_bytes,
                           queries=self.queries - earlier.queries, requests=self.requests - earlier.requests)


class _Counters:
    def __init__(self) -> None:
        self.queries = 0
        self.requests = 0

    def count_query(self, *_args: Any) -> None:
        self.queries += 1

    def stats(self) -> dict[str, Any]:
        return {'cpu_s': time.process_time(), 'peak_rss_bytes': peak_rss_bytes(), 'queries': self.queries,
                'requests': self.requests}


def peak_rss_bytes() -> int:
    """This process's peak resident memory.

    Linux's ``VmHWM`` belongs to the process image, whereas ``ru_maxrss`` survives ``exec`` and so
    would report the benchmark's own peak at the moment it started the server.
    """
    status = Path('/proc/self/status')
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * MAXRSS_UNIT


def serve(folder: Path, settle_seconds: float) -> None:
    """Serve the CRM of ``folder`` on a free localhost port, one request at a time as QBWC sends them."""
    logging.getLogger('werkzeug').setLevel(logging.ERROR)
    app = crm_app(folder, settle_seconds)
    counters = _Counters()
    with app.app_context():
        sa.event.listen(db.engine, 'before_cursor_execute', counters.count_query)
    wsgi_app = app.wsgi_app

    profile_dir = os.environ.get(PROFILE_ENV)
    profiler = cProfile.Profile() if profile_dir else None

    def counting(environ: dict, start_response: Any) -> Any:
        counters.requests += 1
        if profiler is None:
            return wsgi_app(environ, start_response)
        return profiler.runcall(lambda: list(wsgi_app(environ, start_response)))

    app.wsgi_app = counting
    server = make_server('127.0.0.1', 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(json.dumps({'port': server.server_port}), flush=True)
    for line in sys.stdin:
        if line.strip() == 'stats':
            print(json.dumps(counters.stats()), flush=True)
    server.shutdown()
    thread.join()
    if profiler is not None:
        profiler.dump_stats(Path(profile_dir) / f'server-{time.time_ns()}-{os.getpid()}.prof')


class ServerProcess:
    """The benchmark's handle on the child process serving the CRM."""

    def __init__(self, folder: Path, settle_seconds: float) -> None:
        self._process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            [sys.executable, '-m', 'bench.server', str(folder), str(settle_seconds)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent)
        try:
            ready = self._read()
        except BaseException:
            self._process.kill()
            self.stop()
            raise
        self.base_url = f'http://localhost:{ready["port"]}'

    def stats(self) -> ServerStats:
        self._process.stdin.write('stats\n')
        self._process.stdin.flush()
        return ServerStats(**self._read())

    def stop(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        self._process.wait(timeout=60)
        if self._process.stdout:
            self._process.stdout.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _read(self) -> dict[str, Any]:
        line = self._process.stdout.readline() if self._process.stdout else ''
        if not line:
            raise RuntimeError(f'the CRM server process ended (exit code {self._process.poll()})')
        return json.loads(line)


if __name__ == '__main__':
    serve(Path(sys.argv[1]), float(sys.argv[2]))
