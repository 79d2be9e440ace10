"""The Finance (QB) tab: its blueprint, views and forms, for CRM administrators only."""
