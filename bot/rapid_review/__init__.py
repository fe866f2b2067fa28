"""The rapid review: the checklist agency by agency, agency returns, the decision, partner sign-off and
the pack for the Panel (process-rules.md section 2).

The modules here are the domain (rows, rules, pure Block Kit); the Slack listeners live in
``bot.commands.checklist``, ``returns``, ``decision``, ``signoff`` and ``export``.
"""
