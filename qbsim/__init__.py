"""qbsim: a strict QuickBooks Desktop simulator (company file and request processor) and Web Connector.

qbsim is an independent oracle: it imports nothing from the plugin or the host CRM.
"""

from qbsim.company import Company
from qbsim.errors import PARSE_HRESULT, QBXMLParseError
from qbsim.seed import SeedError
from qbsim.session import Session

__all__ = ['PARSE_HRESULT', 'Company', 'QBXMLParseError', 'SeedError', 'Session']
