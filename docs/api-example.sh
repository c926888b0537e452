#!/usr/bin/env bash
# Issue a badge through the REST API with nothing but curl: get a token, create an
# achievement, award it, download the baked badge. Register a client app first under
# Admin → Client apps and give it a role with view_admin, manage_achievements and award.
#
#   BADGE_ENGINE_URL=http://127.0.0.1:3000 CLIENT_ID=… CLIENT_SECRET=… ISSUER_ID=… \
#     docs/api-example.sh badge.png
#   badge-engine credential verify badge.png
set -euo pipefail
: "${BADGE_ENGINE_URL:?the deployment, e.g. http://127.0.0.1:3000}"
: "${CLIENT_ID:?the client id of the app}" "${CLIENT_SECRET:?its secret}" "${ISSUER_ID:?an issuer id}"
out="${1:-badge.png}"
api="$BADGE_ENGINE_URL/api/v1"

# The value of a top-level string field of a one-line JSON answer.
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

token=$(curl -sf -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials \
  "$BADGE_ENGINE_URL/oauth/token" | field access_token)
auth="Authorization: Bearer $token"

achievement=$(curl -sf -H "$auth" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: example-achievement-$ISSUER_ID" \
  -d "{\"issuer_id\":\"$ISSUER_ID\",\"name\":\"API explorer\",\"description\":\"Issued a badge through the API.\",\"criteria_narrative\":\"Run the example script.\"}" \
  "$api/achievements" | field id)
echo "achievement $achievement"

award=$(curl -sf -H "$auth" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: example-award-$achievement" \
  -d "{\"achievement_id\":\"$achievement\",\"recipient_name\":\"Ada Lovelace\",\"recipient_email\":\"ada@example.org\",\"notify\":false}" \
  "$api/awards" | field id)
echo "award $award"

curl -sf -H "$auth" -o "$out" "$api/credentials/$award/image.png"
echo "baked badge in $out"
