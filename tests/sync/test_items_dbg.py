import sqlalchemy as sa
from decimal import Decimal
from hostcrm.extensions import db
from onecrm_finance_qb.models.mappings import ListMapping
from onecrm_finance_qb.host import DiscountData, DiscountKind
from tests.sync.test_items import _prepare, _create

def test_dbg(us_bench):
    bench = us_bench
    _prepare(bench)
    _create(bench, 'discounts', DiscountData(name='Out of State', kind=DiscountKind.PERCENTAGE, value=Decimal(1)))
    bench.update()
    with bench.app.app_context():
        print([(r.kind, r.name, r.deleted) for r in db.session.scalars(sa.select(ListMapping))])
    print({k: (v.status, v.message) for k, v in bench.links().items()})
    assert 0
