"""The faults a run can inject, parsed from `--fault` specs.

Messages are numbered from 1 in the order the service sends qbXML requests (the HCP queries the
web connector makes on its own do not count); calls are numbered from 1 over every SOAP call of
the run, serverVersion being call 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The status codes QuickBooks answers when a record or list is busy or could not be saved; a
#: resend normally succeeds (qbxml-semantics section 2).
TRANSIENT_CODES = frozenset({3170, 3175, 3176, 3180})

FAULT_HELP = (
    'lose-response:N (message N is committed, its response never reaches the service), '
    'hresult:N (message N gets an hresult instead of a response), '
    'open-fail (the company cannot be opened), '
    'transient:TYPE:CODE (first TYPE request answers CODE, one of 3170/3175/3176/3180, once), '
    'delay-ms:M (QuickBooks takes M ms per request), '
    'drop-connection:N (the HTTP connection drops during call N)'
)


class FaultSpecError(ValueError):
    """A --fault value that does not parse."""


@dataclass
class FaultPlan:
    """Every fault of one run."""

    lose_response: set[int] = field(default_factory=set)
    hresult: set[int] = field(default_factory=set)
    open_fail: bool = False
    transient: list[tuple[str, int]] = field(default_factory=list)
    delay_ms: int = 0
    drop_connection: set[int] = field(default_factory=set)


def _positive(text: str, spec: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise FaultSpecError(f'{spec!r}: {text!r} is not a number') from None
    if value < 1:
        raise FaultSpecError(f'{spec!r}: numbers start at 1')
    return value


def parse_faults(specs: list[str] | tuple[str, ...]) -> FaultPlan:
    """Turn `--fault` values into a FaultPlan; raise FaultSpecError naming the bad one."""
    plan = FaultPlan()
    for spec in specs:
        kind, _, rest = spec.partition(':')
        if kind == 'lose-response':
            plan.lose_response.add(_positive(rest, spec))
        elif kind == 'hresult':
            plan.hresult.add(_positive(rest, spec))
        elif kind == 'open-fail' and not rest:
            plan.open_fail = True
        elif kind == 'transient':
            request_type, _, code = rest.partition(':')
            if not request_type or not code.isdigit() or int(code) not in TRANSIENT_CODES:
                raise FaultSpecError(f'{spec!r}: expected transient:TYPE:CODE with CODE in {sorted(TRANSIENT_CODES)}')
            plan.transient.append((request_type.removesuffix('Rq'), int(code)))
        elif kind == 'delay-ms':
            if not rest.isdigit():
                raise FaultSpecError(f'{spec!r}: expected delay-ms:M with M a whole number of milliseconds')
            plan.delay_ms = int(rest)
        elif kind == 'drop-connection':
            plan.drop_connection.add(_positive(rest, spec))
        else:
            raise FaultSpecError(f'unknown fault {spec!r}; known: {FAULT_HELP}')
    return plan
