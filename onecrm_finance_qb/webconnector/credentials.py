"""The sync credential: setting it, checking a sign-in, and locking out repeated failures.

QBWC signs in with a credential of its own, never a CRM user's password: it is stored in QBWC on
the Windows machine, so it must open nothing but this service. The password is kept as a
werkzeug scrypt hash and checked in constant time; an unknown user name costs the same hash
check, so timing does not reveal which names exist. Failures are counted per user name in the
database, so the lockout holds across workers, and are logged without the password.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from onecrm_finance_qb.models.credentials import LoginThrottle, SyncCredential

logger = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 12
#: Compared against when the user name is unknown, so that path costs a real hash check too.
_DUMMY_HASH = generate_password_hash('not a real password, only here to spend the same time')


class CredentialError(ValueError):
    """The proposed user name or password is not acceptable."""


@dataclass(frozen=True)
class LockoutPolicy:
    """After ``free_failures`` misses in a row the name is locked for ``base``.

    Each further miss doubles the delay, up to ``maximum``.
    """

    free_failures: int
    base: timedelta
    maximum: timedelta

    def delay(self, failures: int) -> timedelta | None:
        beyond = failures - self.free_failures
        if beyond < 0:
            return None
        return min(self.base * (2 ** min(beyond, 30)), self.maximum)


def current_credential(session: Session) -> SyncCredential | None:
    return session.scalars(sa.select(SyncCredential).order_by(SyncCredential.id.desc())).first()


def set_credential(session: Session, username: str, password: str) -> SyncCredential:
    """Replace the sync credential; tickets issued under the old one stop working."""
    username = username.strip()
    if not username or len(username) > 255:
        raise CredentialError('The user name must be 1 to 255 characters long.')
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CredentialError(f'The password must be at least {MIN_PASSWORD_LENGTH} characters long.')
    session.execute(sa.delete(SyncCredential))
    credential = SyncCredential(
        username=username, password_hash=generate_password_hash(password), generation=secrets.token_hex(16)
    )
    session.add(credential)
    session.flush()
    return credential


def locked_until(session: Session, username: str, now: datetime) -> datetime | None:
    """When the lockout of ``username`` ends, or None if it may try now."""
    throttle = session.get(LoginThrottle, _throttle_key(username))
    if throttle is None or throttle.locked_until is None or throttle.locked_until <= now:
        return None
    return throttle.locked_until


def check_sign_in(
    session: Session, username: str, password: str, policy: LockoutPolicy, now: datetime
) -> SyncCredential | None:
    """The credential when ``username``/``password`` match it and the name is not locked out; else None."""
    until = locked_until(session, username, now)
    if until is not None:
        logger.warning('Web Connector sign-in refused for %r: locked out until %s', username, until.isoformat())
        return None
    credential = current_credential(session)
    expected_name = credential.username if credential else ''
    name_ok = hmac.compare_digest(username.encode('utf-8'), expected_name.encode('utf-8')) and bool(credential)
    password_ok = check_password_hash(credential.password_hash if credential else _DUMMY_HASH, password)
    if name_ok and password_ok:
        _clear_failures(session, username)
        return credential
    _record_failure(session, username, policy, now)
    return None


def _throttle_key(username: str) -> str:
    return username.strip().lower()[:255]


def _record_failure(session: Session, username: str, policy: LockoutPolicy, now: datetime) -> None:
    key = _throttle_key(username)
    throttle = session.get(LoginThrottle, key)
    if throttle is None:
        throttle = LoginThrottle(username=key, failures=0)
        session.add(throttle)
    throttle.failures += 1
    throttle.last_failure_at = now
    delay = policy.delay(throttle.failures)
    throttle.locked_until = now + delay if delay else None
    session.flush()
    logger.warning(
        'Web Connector sign-in failed for %r (%d failures%s)',
        username,
        throttle.failures,
        f', locked out for {int(delay.total_seconds())} s' if delay else '',
    )


def _clear_failures(session: Session, username: str) -> None:
    throttle = session.get(LoginThrottle, _throttle_key(username))
    if throttle is not None:
        session.delete(throttle)
        session.flush()
