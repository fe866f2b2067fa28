"""ReviewBot's benchmarks: ack latency against bolt's own floor, reminder delivery at Slack's rate
limit, scale of the board/digest summaries and case lists, and memory after load.

Run them with ``make bench`` (``python -m benchmarks``; ``--help`` lists the parts and sizes). They
print the machine they ran on and every figure beside its target with PASS/FAIL. Comparisons run
both sides in the same run on the same machine, because absolute times on shared machines drift.

This package is never collected by pytest (tests never assert on wall-clock time).
"""
