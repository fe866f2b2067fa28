"""Board channel summaries: one message per case, edited in place, and the partnership summary.

Only case references, stage names, dates, counts and agency names reach a board channel.
"""
