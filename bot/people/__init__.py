"""People managed in Slack: who uses ReviewBot in a partnership, their agency and roles, in the database.

The partnership file lists the people a partnership starts with; once imported (``reviewbot people
import``, or by itself on first start when a partnership has no people in the database yet) the
database is the store every access decision and every reminder reads, and the business manager
changes it with ``/review people``.
"""
