"""`reviewbot sandbox`: the bot, the Slack stand-in and the worker behind a small Slack-like web page.

:mod:`.serve` starts the pieces (the only module here that imports the bot, and only to start it, as the
harness does). Everything the page does goes through :mod:`.api`: a person's action becomes a correctly
signed Slack request to the bot's real endpoint (:mod:`bot.sandbox.signed_requests`), and what the page
shows is read back from the stand-in's recorded Web API state (:mod:`.screen`). :mod:`.people` gives
the people's labels, :mod:`.clock_control` moves the sandbox's clock and runs the worker as it goes.
The page itself is plain HTML, CSS and JavaScript in ``static/`` (no build step, nothing from outside
the machine).
"""
