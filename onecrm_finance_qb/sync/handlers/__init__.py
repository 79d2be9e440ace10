"""One handler per object family: setup lists, items, customers, vendors (transactions come next)."""
