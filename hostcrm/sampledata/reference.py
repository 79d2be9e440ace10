"""Reference data every installation needs: the base currency, default dropdowns, the exempt tax code.

``install_reference_data`` only adds what is missing, so ``init-db`` can run again safely.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from babel.numbers import get_currency_name, get_currency_symbol
from sqlalchemy.orm import Session

from hostcrm.models import DEFAULT_OPTIONS, Currency, DropdownOption, TaxCode


def install_reference_data(session: Session, base_currency: str = 'USD') -> list[str]:
    """Create the missing reference records; returns a description of each one created."""
    created: list[str] = []
    base = session.scalar(sa.select(Currency).where(Currency.is_base.is_(True), Currency.deleted.is_(False)))
    if base is None:
        code = base_currency.upper()
        session.add(
            Currency(
                iso4217=code,
                name=get_currency_name(code, locale='en'),
                symbol=get_currency_symbol(code, locale='en_US'),
                conversion_rate=Decimal(1),
                is_base=True,
            )
        )
        created.append(f'base currency {code}')
    existing = {
        (row.list_name, row.value_key)
        for row in session.execute(sa.select(DropdownOption.list_name, DropdownOption.value_key))
    }
    for list_name, options in DEFAULT_OPTIONS:
        missing = [
            (position, key, label)
            for position, (key, label) in enumerate(options)
            if (list_name.value, key) not in existing
        ]
        session.add_all(
            DropdownOption(list_name=list_name.value, value_key=key, label=label, position=position)
            for position, key, label in missing
        )
        if missing:
            created.append(f'{len(missing)} {list_name.value} options')
    if session.scalar(sa.select(TaxCode.id).where(TaxCode.is_exempt.is_(True))) is None:
        session.add(TaxCode(code=TaxCode.EXEMPT_CODE, name='Tax Exempt', taxable=False, is_exempt=True))
        created.append('exempt tax code')
    session.commit()
    return created
