"""Command line: ``python -m qbsim company new|show`` (and ``webconnector`` when that half is installed)."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from qbsim.company import EDITIONS, Company
from qbsim.schema.versions import US_VERSIONS
from qbsim.seed import SeedError

WEBCONNECTOR_CLI = 'qbsim.webconnector.cli'


def _company_new(args: argparse.Namespace) -> int:
    seed = json.loads(Path(args.seed).read_text(encoding='utf-8')) if args.seed else None
    try:
        company = Company.create(args.path, edition=args.edition, qbxml_version=args.qbxml_version,
                                 multicurrency=args.multicurrency, sales_tax=not args.no_sales_tax,
                                 estimates=not args.no_estimates, inventory=not args.no_inventory,
                                 company_name=args.company_name, seed=seed, strict_encoding=args.strict_encoding)
    except (FileExistsError, SeedError, ValueError) as exc:
        print(f'qbsim: {exc}', file=sys.stderr)
        return 1
    print(f'created {company.file_path} ({company.edition}, qbXML {company.qbxml_version}, '
          f'{len(company.query_objects())} objects)')
    company.close()
    return 0


def _company_show(args: argparse.Namespace) -> int:
    try:
        company = Company.open(args.path)
    except (FileNotFoundError, ValueError) as exc:
        print(f'qbsim: {exc}', file=sys.stderr)
        return 1
    objects = [obj for ret_type in args.type for obj in company.query_objects(ret_type)] if args.type \
        else company.query_objects()
    print(json.dumps(objects, indent=2))
    company.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='python -m qbsim', description='QuickBooks Desktop simulator.')
    commands = parser.add_subparsers(dest='command', required=True)
    company = commands.add_parser('company', help='create or inspect a simulated company file')
    actions = company.add_subparsers(dest='action', required=True)

    new = actions.add_parser('new', help='create a company file with the defaults of a fresh QuickBooks file')
    new.add_argument('path', help='company file to create (refuses to overwrite)')
    new.add_argument('--edition', choices=EDITIONS, default='US')
    new.add_argument('--qbxml-version', choices=US_VERSIONS, default='13.0',
                     help='highest qbXML version the company speaks (non-US files use it with their country prefix)')
    new.add_argument('--seed', metavar='FILE.json', help='objects to add, e.g. {"Customer": [{"Name": "Acme"}]}')
    new.add_argument('--multicurrency', action='store_true', help='turn multi-currency on')
    new.add_argument('--no-sales-tax', action='store_true', help='turn US sales tax off')
    new.add_argument('--no-estimates', action='store_true', help='turn estimates off')
    new.add_argument('--no-inventory', action='store_true', help='turn inventory off')
    new.add_argument('--company-name', default='Simulated Company')
    new.add_argument('--strict-encoding', action='store_true',
                     help='fail messages holding raw non-ASCII text, as older QuickBooks does (&#233; still works)')
    new.set_defaults(func=_company_new)

    show = actions.add_parser('show', help='print the objects of a company file as JSON')
    show.add_argument('path')
    show.add_argument('--type', action='append', metavar='RET_TYPE', help='e.g. CustomerRet (repeatable)')
    show.set_defaults(func=_company_show)

    try:
        webconnector_cli = importlib.import_module(WEBCONNECTOR_CLI)
    except ModuleNotFoundError as exc:
        if exc.name != WEBCONNECTOR_CLI:
            raise
    else:
        webconnector_cli.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == '__main__':
    sys.exit(main())
