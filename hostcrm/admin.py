"""Administrators' create/read/update/delete screens for every kind of record (Flask-Admin).

Only administrators get in (anonymous users are sent to the login page, other users get 403).
Forms are Flask-WTF forms, so they carry the same CSRF token the rest of the CRM checks.
Deleting is a soft delete: the row stays, flagged ``deleted`` with a new ``date_modified``, so
the deletion reaches synchronised systems through the change cursor; deleted rows are hidden.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, NamedTuple

from flask import Flask, abort, redirect, request, url_for
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.model.form import converts
from flask_admin.theme import Bootstrap4Theme
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField
from wtforms.validators import InputRequired

from hostcrm import models
from hostcrm.extensions import db
from hostcrm.i18n import gettext, lazy_gettext

#: Columns the database or the ORM maintains; never typed in a form.
MAINTAINED_COLUMNS = ('date_entered', 'date_modified', 'deleted', 'live_part_no')

#: How related records are looked up in forms: tables that grow large get a search box
#: (an AJAX lookup on these columns) instead of a dropdown listing every row.
LOOKUP_FIELDS: dict[type, tuple[str, ...]] = {
    models.Account: ('name',),
    models.Contact: ('first_name', 'last_name'),
    models.Product: ('name', 'manufacturer_part_no'),
    models.Assembly: ('name', 'manufacturer_part_no'),
    models.Quote: ('name',),
    models.Invoice: ('name',),
    models.CreditNote: ('name',),
    models.Bill: ('name',),
    models.Payment: ('customer_reference',),
    models.QuoteLineGroup: ('name',),
    models.InvoiceLineGroup: ('name',),
    models.CreditNoteLineGroup: ('name',),
    models.BillLineGroup: ('name',),
    models.QuoteLine: ('name',),
    models.InvoiceLine: ('name',),
    models.CreditNoteLine: ('name',),
    models.BillLine: ('name',),
}


class AdministratorsOnly:
    """Flask-Admin access rule: administrators in, anonymous users to the login page, others 403."""

    def is_accessible(self) -> bool:
        return bool(current_user.is_authenticated and current_user.is_admin)

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Response:
        if not current_user.is_authenticated:
            return redirect(url_for('auth.login', next=request.full_path))
        abort(403)


class HostModelConverter(AdminModelConverter):
    """Form fields for the CRM's portable column types."""

    @converts('ExactDecimal')
    def convert_exact_decimal(self, column: Any, field_args: Any, **extra: Any) -> Any:
        return self.handle_decimal_types(column, field_args, **extra)

    @converts('Enum')
    def convert_enum(self, column: Any, field_args: Any, **extra: Any) -> Any:
        """Flask-Admin compares an enum member by its name, but our choices are the members' values.

        Left alone, an edit form shows no option selected for, say, inventory tracking ``manual``,
        and saving it silently writes the first choice back.
        """
        field = super().convert_enum(column, field_args, **extra)
        field.kwargs['coerce'] = lambda value: value.value if isinstance(value, Enum) else str(value)
        return field


class AdminHomeView(AdministratorsOnly, AdminIndexView):
    """The administration home page."""

    @expose('/')
    def index(self) -> str:
        return self.render('admin/crm_index.html')


class RecordView(AdministratorsOnly, ModelView):
    """List, view, create, edit and soft-delete one kind of record."""

    form_base_class = FlaskForm
    model_form_converter = HostModelConverter
    can_view_details = True
    can_export = False
    page_size = 50
    form_excluded_columns = MAINTAINED_COLUMNS
    column_exclude_list = ('date_entered', 'deleted', 'live_part_no')
    column_default_sort = ('date_modified', True)

    def __init__(self, model: type, **kwargs: Any) -> None:
        relations = model.__mapper__.relationships
        self.form_ajax_refs = {
            relation.key: {'fields': LOOKUP_FIELDS[relation.mapper.class_], 'page_size': 20}
            for relation in relations
            if relation.mapper.class_ in LOOKUP_FIELDS and not relation.uselist
        }
        # Children (an account's contacts, a document's lines) are edited from their own
        # screens: a multi-select listing every contact or line would not scale.
        children = tuple(relation.key for relation in relations if relation.direction.name == 'ONETOMANY')
        self.form_excluded_columns = (*self.form_excluded_columns, *children)
        super().__init__(model, db, **kwargs)

    def get_query(self) -> Any:
        return super().get_query().filter(self.model.deleted.is_(False))

    def get_count_query(self) -> Any:
        return super().get_count_query().filter(self.model.deleted.is_(False))

    def get_one(self, id: str) -> Any:
        record = super().get_one(id)
        return None if record is None or record.deleted else record

    def delete_model(self, model: Any) -> bool:
        """Soft delete: flag the record so the deletion can be synchronised."""
        self.on_model_delete(model)
        model.deleted = True
        db.session.commit()
        self.after_model_delete(model)
        return True


class UserView(RecordView):
    """Users: the password is typed in clear and stored hashed; the hash is never shown."""

    column_list = ('user_name', 'first_name', 'last_name', 'email', 'is_admin', 'is_active', 'locale')
    column_searchable_list = ('user_name', 'first_name', 'last_name', 'email')
    form_excluded_columns = (*MAINTAINED_COLUMNS, 'password_hash')
    column_details_exclude_list = ('password_hash',)
    form_extra_fields = {'new_password': PasswordField(lazy_gettext('New password'))}

    def create_form(self, obj: Any = None) -> Any:
        form = super().create_form(obj)
        form.new_password.validators = [InputRequired(gettext('A new user needs a password.'))]
        return form

    def on_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        if form.new_password.data:
            model.set_password(form.new_password.data)


class ViewSpec(NamedTuple):
    """One record kind's screens: its menu label and category, list columns and search columns."""

    model: type
    label: Any
    category: Any
    columns: tuple[str, ...] | None = None
    searchable: tuple[str, ...] = ()


SALES, PURCHASES, CATALOGUE = lazy_gettext('Sales'), lazy_gettext('Purchases'), lazy_gettext('Catalogue')
SETUP, LINES = lazy_gettext('Setup'), lazy_gettext('Document lines')
DOCUMENT_COLUMNS = ('prefix', 'number', 'name', 'account', 'issue_date', 'amount', 'status')

#: Every kind of record, in menu order; ``columns`` None shows Flask-Admin's default list.
VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec(
        models.Account,
        lazy_gettext('Accounts'),
        SALES,
        ('name', 'account_type', 'is_supplier', 'phone_office', 'email', 'billing_address_city', 'date_modified'),
        ('name', 'email'),
    ),
    ViewSpec(
        models.Contact,
        lazy_gettext('Contacts'),
        SALES,
        ('first_name', 'last_name', 'account', 'email', 'phone_work', 'date_modified'),
        ('first_name', 'last_name', 'email'),
    ),
    ViewSpec(models.Quote, lazy_gettext('Quotes'), SALES, DOCUMENT_COLUMNS, ('name',)),
    ViewSpec(models.Invoice, lazy_gettext('Invoices'), SALES, (*DOCUMENT_COLUMNS, 'amount_due'), ('name',)),
    ViewSpec(models.CreditNote, lazy_gettext('Credit notes'), SALES, DOCUMENT_COLUMNS, ('name',)),
    ViewSpec(
        models.Payment,
        lazy_gettext('Payments'),
        SALES,
        ('prefix', 'number', 'direction', 'refund', 'account', 'amount', 'payment_date'),
        ('customer_reference',),
    ),
    ViewSpec(models.PaymentAllocation, lazy_gettext('Payment allocations'), SALES),
    ViewSpec(models.Bill, lazy_gettext('Bills'), PURCHASES, (*DOCUMENT_COLUMNS, 'amount_due'), ('name',)),
    ViewSpec(
        models.Product,
        lazy_gettext('Products'),
        CATALOGUE,
        ('manufacturer_part_no', 'name', 'list_price', 'cost', 'track_inventory', 'in_stock', 'is_active'),
        ('manufacturer_part_no', 'name'),
    ),
    ViewSpec(models.ProductCategory, lazy_gettext('Product categories'), CATALOGUE, None, ('name',)),
    ViewSpec(models.ProductType, lazy_gettext('Product types'), CATALOGUE, None, ('name',)),
    ViewSpec(
        models.Assembly,
        lazy_gettext('Assemblies'),
        CATALOGUE,
        ('manufacturer_part_no', 'name', 'list_price', 'is_active'),
        ('manufacturer_part_no', 'name'),
    ),
    ViewSpec(models.AssemblyComponent, lazy_gettext('Assembly components'), CATALOGUE),
    ViewSpec(models.Discount, lazy_gettext('Discounts'), CATALOGUE, None, ('name',)),
    ViewSpec(models.Warehouse, lazy_gettext('Warehouses'), CATALOGUE, None, ('name',)),
    ViewSpec(models.Currency, lazy_gettext('Currencies'), SETUP, None, ('name', 'iso4217')),
    ViewSpec(models.TaxRate, lazy_gettext('Tax rates'), SETUP, None, ('name',)),
    ViewSpec(models.TaxCode, lazy_gettext('Tax codes'), SETUP, None, ('code', 'name')),
    ViewSpec(
        models.DropdownOption,
        lazy_gettext('Dropdown lists'),
        SETUP,
        ('list_name', 'value_key', 'label', 'position'),
        ('list_name', 'label'),
    ),
    ViewSpec(models.ShippingProvider, lazy_gettext('Shipping providers'), SETUP, None, ('name',)),
    ViewSpec(models.ExpenseCategory, lazy_gettext('Expense categories'), SETUP, None, ('name',)),
    ViewSpec(models.QuoteLineGroup, lazy_gettext('Quote line groups'), LINES),
    ViewSpec(models.QuoteLine, lazy_gettext('Quote lines'), LINES),
    ViewSpec(models.QuoteAdjustment, lazy_gettext('Quote adjustments'), LINES),
    ViewSpec(models.InvoiceLineGroup, lazy_gettext('Invoice line groups'), LINES),
    ViewSpec(models.InvoiceLine, lazy_gettext('Invoice lines'), LINES),
    ViewSpec(models.InvoiceAdjustment, lazy_gettext('Invoice adjustments'), LINES),
    ViewSpec(models.CreditNoteLineGroup, lazy_gettext('Credit note line groups'), LINES),
    ViewSpec(models.CreditNoteLine, lazy_gettext('Credit note lines'), LINES),
    ViewSpec(models.CreditNoteAdjustment, lazy_gettext('Credit note adjustments'), LINES),
    ViewSpec(models.BillLineGroup, lazy_gettext('Bill line groups'), LINES),
    ViewSpec(models.BillLine, lazy_gettext('Bill lines'), LINES),
    ViewSpec(models.BillAdjustment, lazy_gettext('Bill adjustments'), LINES),
)


def _record_view(spec: ViewSpec) -> RecordView:
    attributes: dict[str, Any] = {'column_searchable_list': spec.searchable}
    if spec.columns is not None:
        attributes['column_list'] = spec.columns
    if getattr(spec.model, 'STATUSES', ()):
        attributes['form_choices'] = {'status': [(status, status) for status in spec.model.STATUSES]}
    view_class = type(f'{spec.model.__name__}View', (RecordView,), attributes)
    return view_class(spec.model, name=spec.label, category=spec.category)


def init_app(app: Flask) -> None:
    """Mount the administration screens under ``/admin``."""
    admin = Admin(
        app,
        name=lazy_gettext('CRM administration'),
        index_view=AdminHomeView(name=lazy_gettext('Home')),
        theme=Bootstrap4Theme(base_template='admin/crm_master.html'),
    )
    admin.add_view(UserView(models.User, name=lazy_gettext('Users'), category=SETUP))
    for spec in VIEWS:
        admin.add_view(_record_view(spec))
