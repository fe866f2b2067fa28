#!/usr/bin/env sh
# Notify a serious incident through ReviewBot's webhook, dated today, so it works on any day.
# Usage: REVIEWBOT_URL=https://your.server REVIEWBOT_TOKEN=rbt_... sh docs/examples/webhook-notify.sh
# (the token comes from `reviewbot tokens create`; the data is synthetic: a pseudonym, never a name).
set -eu
today=$(date -u +%Y-%m-%dT00:00:00Z)   # midnight UTC today: never in the future, on any clock
curl -sS -X POST "${REVIEWBOT_URL:-http://127.0.0.1:3000}/api/v1/notifications" \
  -H "Authorization: Bearer ${REVIEWBOT_TOKEN:?set REVIEWBOT_TOKEN to a token from reviewbot tokens create}" \
  -H "Idempotency-Key: example-$today" -H "Content-Type: application/json" \
  -d '{"notification_type": "serious_harm", "la_aware_at": "'"$today"'",
       "children": [{"pseudonym": "Child A", "age_band": "1_4", "legal_status": "child_protection_plan"}],
       "agencies": ["la", "police"], "notification_sent_at": "'"$today"'"}'
