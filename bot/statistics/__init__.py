"""The partnership's annual-report figures and review themes, computed from rows."""
