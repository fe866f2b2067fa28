"""A case's life after it closes: retention, purging to a tombstone, and redacting a stored field."""
