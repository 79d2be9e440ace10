"""The QuickBooks Web Connector half of qbsim: a QBWC 2.x client that drives any QBWC web service.

It reads a .qwc, talks SOAP 1.1 document/literal to the AppURL over real HTTP(S) and plays
QuickBooks with a qbsim company file, with injectable faults. `run_update` is the Python entry
point; `python -m qbsim webconnector` the command.
"""

from .errors import QBWCError
from .faults import FaultPlan, FaultSpecError, parse_faults
from .qwc import QwcFile, QwcUnsupportedError, load_qwc, parse_qwc
from .result import RunResult
from .update import CallEvent, run_update

__all__ = [
    'CallEvent',
    'FaultPlan',
    'FaultSpecError',
    'QBWCError',
    'QwcFile',
    'QwcUnsupportedError',
    'RunResult',
    'load_qwc',
    'parse_faults',
    'parse_qwc',
    'run_update',
]
