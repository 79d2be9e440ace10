"""A simulated QuickBooks company file: open or create it, send it qbXML, read it back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from qbsim.clock import Clock
from qbsim.defaults import HOME_CURRENCIES, default_seed
from qbsim.kinds import ESTIMATES, INVENTORY, MULTICURRENCY, SALES_TAX
from qbsim.processor import parse_requests, run
from qbsim.requests.company_info import product_name
from qbsim.requests.context import Context
from qbsim.requests.names import sort_key
from qbsim.requests.refs import as_ref
from qbsim.schema.model import tables
from qbsim.schema.versions import NON_US_EDITIONS, supported_up_to, supported_versions
from qbsim.seed import check_seed_response, seed_messages
from qbsim.session import Session
from qbsim.status import TRANSIENT_MESSAGES
from qbsim.store import COMPANY_OBJECT_ID, Store

EDITIONS = ('US', *NON_US_EDITIONS)
DEFAULT_UTC_OFFSETS = {'US': -300, 'CA': -300, 'UK': 0, 'AU': 600}


class Company:
    """One company file. ``process`` is QuickBooks' request processor; the rest serves tests and tools."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._settings: dict = store.get_meta('settings')
        if not self._settings:
            raise ValueError(f'{store.path} is not a qbsim company file')
        self._tables = tables(self._settings['edition'])
        self.clock = Clock(self._settings['utc_offset_minutes'])

    @classmethod
    def open(cls, path: str | Path) -> Company:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f'no company file at {path}')
        return cls(Store(path))

    @classmethod
    def create(cls, path: str | Path, edition: str = 'US', qbxml_version: str = '13.0', multicurrency: bool = False,
               sales_tax: bool = True, estimates: bool = True, inventory: bool = True,
               company_name: str = 'Simulated Company', seed: dict | None = None,
               frozen_at: datetime | None = None, strict_encoding: bool = False) -> Company:
        """Create a new company file (refusing to overwrite one) with the defaults of a fresh QuickBooks file.

        ``qbxml_version`` is the highest version the company's QuickBooks speaks (plain, e.g. '13.0').
        Sales tax here means US sales tax; non-US editions always have their tax codes.
        ``frozen_at`` freezes the clock from the start, so even the default objects have known times.
        ``strict_encoding`` makes raw non-ASCII text fail the whole message (older QuickBooks).
        """
        path = Path(path)
        if edition not in EDITIONS:
            raise ValueError(f'edition must be one of {", ".join(EDITIONS)}')
        if qbxml_version not in supported_versions('US'):
            raise ValueError(f'unknown qbXML version {qbxml_version}')
        if not supported_up_to(edition, qbxml_version):
            raise ValueError(f'the {edition} edition has no qbXML version up to {qbxml_version}')
        if path.exists():
            raise FileExistsError(f'{path} exists already')
        store = Store(path)
        try:
            store.set_meta('settings', {
                'edition': edition, 'qbxml_version': qbxml_version, 'company_name': company_name,
                'utc_offset_minutes': DEFAULT_UTC_OFFSETS[edition], 'strict_encoding': strict_encoding,
                'features': {SALES_TAX: sales_tax and edition == 'US', ESTIMATES: estimates, INVENTORY: inventory,
                             MULTICURRENCY: multicurrency},
            })
            company = cls(store)
            if frozen_at is not None:
                company.clock.set(frozen_at)
            company.load_seed(default_seed(edition, sales_tax=sales_tax, inventory=inventory,
                                           multicurrency=multicurrency))
            company._remember_defaults()
            if seed:
                company.load_seed(seed)
        except BaseException:
            store.close()
            path.unlink(missing_ok=True)
            raise
        return company

    def close(self) -> None:
        self._store.close()

    # what the Web Connector and HostRet report

    @property
    def file_path(self) -> Path:
        return self._store.path.resolve()

    @property
    def edition(self) -> str:
        return self._settings['edition']

    @property
    def company_name(self) -> str:
        return self._settings['company_name']

    @property
    def qbxml_version(self) -> str:
        return self._settings['qbxml_version']

    @property
    def supported_qbxml_versions(self) -> list[str]:
        """Versions up to the company's own, plain for US and country-prefixed ('CA13.0') elsewhere."""
        return supported_up_to(self.edition, self.qbxml_version)

    @property
    def product_name(self) -> str:
        return product_name(self.edition)

    @property
    def features(self) -> dict[str, bool]:
        return dict(self._settings['features'])

    # sessions

    def begin_session(self) -> Session:
        return Session()

    def end_session(self, session: Session) -> None:
        session.end()

    # the request processor

    def process(self, qbxml_text: str, session: Session | None = None) -> str:
        """Run a whole request message and return the response message.

        Raises QBXMLParseError (hresult 0x80040400) when the message fails as a whole; then nothing
        in it was applied. Without a session, iterators live only for this one message.
        """
        parsed = parse_requests(qbxml_text, self._tables, self.edition, self.supported_qbxml_versions,
                                self._settings.get('strict_encoding', False))
        ctx = Context(self._store, self._tables, self.clock, self._settings, parsed.version, session or Session())
        with self._store.transaction():
            return run(ctx, parsed.messages, parsed.requests)

    # fault injection

    def inject_transient(self, request_type: str, status_code: int) -> None:
        """The next ``request_type`` request answers ``status_code`` once, applying nothing (kept in the file)."""
        if status_code not in TRANSIENT_MESSAGES:
            raise ValueError(f'transient status codes are {", ".join(map(str, TRANSIENT_MESSAGES))}')
        with self._store.transaction():
            self._store.add_fault(request_type, status_code)

    def limit_field(self, field: str, max_length: int) -> None:
        """From now on, answer 3070 to a value of element ``field`` longer than ``max_length`` (kept in the file).

        QuickBooks checks lengths per request against its own limits, which are not always the
        schema's (qbxml-semantics sections 2 and 4): this makes a QuickBooks whose limit for
        ``field`` is shorter, so a sender that fits every value to the schema still meets 3070.
        """
        if max_length < 0:
            raise ValueError('max_length must not be negative')
        with self._store.transaction():
            self._settings['field_limits'] = {**self._settings.get('field_limits', {}), field: max_length}
            self._store.set_meta('settings', self._settings)

    # reading back

    def query_objects(self, ret_type: str | None = None) -> list[dict]:
        """Live objects (of one Ret type, or all) as JSON-friendly documents with their ``_type``."""
        return [{'_type': obj.ret_type, **obj.doc} for obj in self._store.all_objects(ret_type)]

    def get(self, ret_type: str, list_id: str) -> dict | None:
        obj = self._store.get(list_id, (ret_type,))
        return obj.doc if obj else None

    def find(self, ret_type: str, full_name: str) -> dict | None:
        obj = self._store.find_by_sort_key((ret_type,), sort_key(full_name))
        return obj.doc if obj else None

    def company_data_ext(self, owner_id: str, name: str) -> str | None:
        """The company's value of a data extension (the Web Connector's FileID, for instance)."""
        return self._store.data_ext_value(owner_id, name, COMPANY_OBJECT_ID)

    def set_company_data_ext(self, owner_id: str, name: str, value: str) -> None:
        """Define (if needed) and set a company data extension, as the Web Connector does for FileID."""
        with self._store.transaction():
            if self._store.data_ext_def(owner_id, name) is None:
                number = int(self._store.get_meta('next_data_ext_id', 1))
                self._store.set_meta('next_data_ext_id', number + 1)
                self._store.add_data_ext_def(owner_id, name, {
                    'OwnerID': owner_id, 'DataExtID': str(number), 'DataExtName': name,
                    'DataExtType': 'STR255TYPE', 'AssignToObject': ['Company'], 'DataExtListRequire': 'false',
                    'DataExtTxnRequire': 'false', 'DataExtFormatString': ''})
            self._store.set_data_ext_value(owner_id, name, COMPANY_OBJECT_ID, value)

    # seeding

    def load_seed(self, seed: dict) -> None:
        """Add seed objects through ordinary Add requests; raises SeedError naming refused objects."""
        version = self.supported_qbxml_versions[-1]
        for message in seed_messages(seed, self._tables, version):
            check_seed_response(self.process(message))

    def _remember_defaults(self) -> None:
        """Record the refs preferences point at (home currency, default sales tax codes and item)."""
        def ref(ret_type: str, full_name: str) -> dict:
            obj = self._store.find_by_sort_key((ret_type,), sort_key(full_name))
            return as_ref(obj)

        with self._store.transaction():
            if self._settings['features'][MULTICURRENCY]:
                self._store.set_meta('home_currency', ref('CurrencyRet', HOME_CURRENCIES[self.edition][0]))
            if self._settings['features'][SALES_TAX]:
                self._store.set_meta('sales_tax_preferences', {
                    'DefaultItemSalesTaxRef': ref('ItemSalesTaxRet', 'Out of State'), 'PaySalesTax': 'Monthly',
                    'DefaultTaxableSalesTaxCodeRef': ref('SalesTaxCodeRet', 'Tax'),
                    'DefaultNonTaxableSalesTaxCodeRef': ref('SalesTaxCodeRet', 'Non')})
