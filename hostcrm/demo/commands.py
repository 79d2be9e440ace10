"""Running the CRM's ``flask`` commands inside the demo's process, exactly as an administrator types them.

The commands run in-process against the demo's application (the one serving HTTPS), so the
demo takes the administrator's code path without paying a Python start-up per command.
"""

from __future__ import annotations

import contextlib
import io
import shlex
import sys
from collections.abc import Iterator

import click
from flask import Flask
from flask.cli import ScriptInfo


class CommandFailedError(Exception):
    """A command ended with an error message, as ``flask`` would print it."""


def step(message: str) -> None:
    print(f'==> {message}', flush=True)


def flask_command(app: Flask, *args: str, stdin: str | None = None, echo: bool = True, announce: bool = True) -> str:
    """Run ``flask --app hostcrm ARGS`` and return what it printed.

    ``announce`` shows the command line first, ``echo`` shows what the command printed.
    """
    shown = ' '.join(shlex.quote(arg) for arg in args)
    if announce:
        step(f'flask --app hostcrm {shown}' + (' < (password)' if stdin is not None else ''))
    output = io.StringIO()
    try:
        with app.app_context(), _standard_input(stdin), contextlib.redirect_stdout(output):
            app.cli.main(list(args), prog_name='flask', standalone_mode=False,
                         obj=ScriptInfo(create_app=lambda: app))
    except click.ClickException as exc:
        raise CommandFailedError(f'flask {shown}: {exc.format_message()}') from exc
    text = output.getvalue()
    if echo and text.strip():
        print('    ' + text.rstrip('\n').replace('\n', '\n    '), flush=True)
    return text


@contextlib.contextmanager
def _standard_input(text: str | None) -> Iterator[None]:
    """Feed ``text`` to a command that reads standard input (``--password-stdin``)."""
    if text is None:
        yield
        return
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved
