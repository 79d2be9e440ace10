"""The plugin's qbXML layer: schema-ordered requests, batching, text rules, response reading, status codes.

The sync engine talks to QuickBooks only through these names; the schema knowledge behind them
comes from ``schema_facts.json``, derived from Intuit's schema by ``derive_facts``.
"""

from onecrm_finance_qb.qbxml.messages import Message, MessageBuilder, MessageSizeError, pack_messages, version_string
from onecrm_finance_qb.qbxml.requests import (
    Adjustment,
    BuiltRequest,
    FieldPairs,
    RequestBuildError,
    build_request,
    ref,
)
from onecrm_finance_qb.qbxml.responses import QBXMLResponseError, Record, Response, iter_responses, read_responses
from onecrm_finance_qb.qbxml.status import StatusClass, classify, describe
from onecrm_finance_qb.qbxml.text import (
    US,
    Charset,
    Edition,
    FittedText,
    NameProblem,
    NameProblemKind,
    TextChange,
    check_name,
    fit_text,
    name_limit,
)

__all__ = [
    'US',
    'Adjustment',
    'BuiltRequest',
    'Charset',
    'Edition',
    'FieldPairs',
    'FittedText',
    'Message',
    'MessageBuilder',
    'MessageSizeError',
    'NameProblem',
    'NameProblemKind',
    'QBXMLResponseError',
    'Record',
    'RequestBuildError',
    'Response',
    'StatusClass',
    'TextChange',
    'build_request',
    'check_name',
    'classify',
    'describe',
    'fit_text',
    'iter_responses',
    'name_limit',
    'pack_messages',
    'read_responses',
    'ref',
    'version_string',
]
