"""Command line of the demo: ``python -m hostcrm.demo [--once] [--instance DIR] [--port N]``."""

from __future__ import annotations

import argparse
import errno
import os
import subprocess
import sys
from pathlib import Path

from hostcrm.demo.commands import CommandFailedError, step
from hostcrm.demo.module import REPO
from hostcrm.demo.steps import DemoOptions, DemoStepError, run_demo
from hostcrm.modules.errors import ModuleError

DEFAULT_PORT = 5000
HOST = '127.0.0.1'


def parse_options(argv: list[str] | None = None) -> DemoOptions:
    parser = argparse.ArgumentParser(prog='python -m hostcrm.demo', description=__doc__)
    parser.add_argument('--instance', type=Path,
                        default=Path(os.environ.get('HOSTCRM_INSTANCE_PATH') or REPO / 'instance'),
                        help='folder for everything the demo creates (default: $HOSTCRM_INSTANCE_PATH or instance/)')
    parser.add_argument('--once', action='store_true', default=os.environ.get('ONCE') == '1',
                        help='stop after the sync, write demo-report.json, exit 0 only if the sync succeeded '
                             '(also ONCE=1)')
    parser.add_argument('--port', type=int, default=int(os.environ.get('PORT') or DEFAULT_PORT),
                        help=f'HTTPS port on {HOST}; 0 picks a free one (default: $PORT or {DEFAULT_PORT})')
    args = parser.parse_args(argv)
    return DemoOptions(instance=args.instance.resolve(), once=args.once, host=HOST, port=args.port)


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    try:
        return run_demo(options)
    except ModuleError as exc:
        step(f'The Module Loader refused the module: {exc}')
    except CommandFailedError as exc:
        step(f'A command failed: {exc}')
    except DemoStepError as exc:
        step(f'The demo could not go on: {exc}')
    except subprocess.CalledProcessError as exc:
        step(f'Building the module failed: {exc.stderr or exc}')
    except OSError as exc:
        hint = ' (another program uses the port: choose one with PORT=N)' if exc.errno == errno.EADDRINUSE else ''
        step(f'The demo could not go on: {exc}{hint}')
    return 1


if __name__ == '__main__':
    sys.exit(main())
