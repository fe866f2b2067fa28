"""A case's whole record for archiving: gathered from every feature's tables (gather) and written as
JSON, Markdown or Word (render). Used by `reviewbot cases export`."""
