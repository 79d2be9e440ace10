"""Finance (QB): keeps a CRM in sync with QuickBooks Desktop through the QuickBooks Web Connector.

The package imports nothing from any host CRM: the host hands it an object implementing
``onecrm_finance_qb.host.Host`` when it calls ``FinanceQB().init_app(app, host=...)``.
"""

__version__ = '0.1.0'
