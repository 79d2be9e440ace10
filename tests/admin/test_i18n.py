"""The tab's pages speak the administrator's language."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from hostcrm.extensions import db
from hostcrm.models import User

from .conftest import ADMIN_ID, add_server


@pytest.mark.parametrize(
    ('locale', 'path', 'expected'),
    [
        ('fr_CA', '/finance-qb/sync/items', ['Synchro des articles', 'Enregistrer les modifications locales']),
        ('es', '/finance-qb/sync/entities', ['Sincronización de entidades', 'Registrar los cambios locales']),
        ('fr_CA', '/finance-qb/wizard/go_live', ['Mise en service', 'Importer les clients', 'Terminer']),
        ('es', '/finance-qb/runs/', ['Historial de ejecuciones']),
        ('fr_CA', '/finance-qb/conflicts', ['Aucun conflit', 'Conflits']),
    ],
)
def test_pages_in_french_and_spanish(app: Flask, client: FlaskClient, locale: str, path: str,
                                     expected: list[str]) -> None:
    add_server(app)
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == ADMIN_ID).values(locale=locale))
        db.session.commit()
    html = client.get(path).get_data(as_text=True)
    for text in expected:
        assert text in html
