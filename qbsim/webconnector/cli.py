"""`python -m qbsim webconnector`: one "Update Selected" against a .qwc's AppURL, then a summary.

Exit status: 0 when the run completed, 1 when it ran but did not complete, 2 when it could not
start (a .qwc QBWC would refuse, a bad --fault, a missing company file).
"""

from __future__ import annotations

import argparse
import sys

from .errors import QBWCError
from .faults import FAULT_HELP, FaultSpecError, parse_faults
from .qwc import QwcUnsupportedError
from .update import DEFAULT_MAX_CALLS, DEFAULT_NOOP_PAUSE_S, DEFAULT_QBWC_VERSION, CallEvent, run_update

EXIT_COMPLETED = 0
EXIT_NOT_COMPLETED = 1
EXIT_NOT_STARTED = 2


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the `webconnector` sub-command on a `qbsim` argument parser."""
    parser = subparsers.add_parser(
        'webconnector',
        help='drive a QBWC web service through one "Update Selected", as QuickBooks Web Connector 2.x does',
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    configure_parser(parser)
    return parser


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the command's options to `parser` and make it run the command."""
    parser.add_argument('--qwc', required=True, metavar='FILE.qwc', help='the application file QBWC would load')
    parser.add_argument('--password', required=True, help='the password typed into QBWC for this application')
    parser.add_argument('--company', required=True, metavar='PATH', help='the qbsim company file open in QuickBooks')
    parser.add_argument('--record', metavar='DIR', help='write every qbXML request/response and the SOAP log to DIR')
    parser.add_argument('--fault', action='append', default=[], metavar='SPEC', help=f'inject a fault: {FAULT_HELP}')
    parser.add_argument('--cafile', metavar='CA.pem', help='trust this CA for an https AppURL (default: system store)')
    parser.add_argument('--qbwc-version', default=DEFAULT_QBWC_VERSION, help='version sent to clientVersion')
    parser.add_argument('--noop-pause', type=float, default=DEFAULT_NOOP_PAUSE_S, metavar='SECONDS',
                        help='pause after a NoOp from getLastError (QBWC: 5)')
    parser.add_argument('--interactive', choices=('reject', 'accept'), default='reject',
                        help='how the simulated user answers "Interactive mode"')
    parser.add_argument('--auto-run', action='store_true',
                        help='behave as a scheduled run: honour the postponement authenticate returns')
    parser.add_argument('--max-calls', type=int, default=DEFAULT_MAX_CALLS, help='stop a service that never finishes')
    parser.add_argument('--json', action='store_true', help='print the run result as JSON instead of the summary')
    parser.add_argument('--verbose', '-v', action='store_true', help='print every SOAP call on stderr as it happens')
    parser.set_defaults(func=run_command)


def _print_call(event: CallEvent) -> None:
    answer = event.answer if not isinstance(event.answer, str) or len(event.answer) < 100 else event.answer[:97] + '...'
    print(f'{event.number:5d} {event.operation} -> {answer!r}', file=sys.stderr)


def run_command(args: argparse.Namespace) -> int:
    """Run the update the parsed options describe, print the result, return the exit status."""
    try:
        faults = parse_faults(args.fault)
        result = run_update(
            args.qwc, args.password, args.company, faults=faults, cafile=args.cafile, qbwc_version=args.qbwc_version,
            record_dir=args.record, progress=_print_call if args.verbose else None, noop_pause_s=args.noop_pause,
            interactive=args.interactive, auto_run=args.auto_run, max_calls=args.max_calls,
        )
    except (QBWCError, QwcUnsupportedError, FaultSpecError, OSError) as exc:
        print(f'qbsim webconnector: {exc}', file=sys.stderr)
        return EXIT_NOT_STARTED
    print(result.to_json() if args.json else result.summary())
    return EXIT_COMPLETED if result.completed else EXIT_NOT_COMPLETED


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m qbsim.webconnector`."""
    parser = argparse.ArgumentParser(prog='python -m qbsim.webconnector', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    configure_parser(parser)
    args = parser.parse_args(argv)
    return args.func(args)
