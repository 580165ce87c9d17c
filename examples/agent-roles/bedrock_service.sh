#!/usr/bin/env bash
# Plays the Bedrock service: calls STS AssumeRole for an agent's service role with the service principal's
# own key (curl --aws-sigv4), asserting the agent it acts for in the signed headers
# x-portcullis-source-arn / x-portcullis-source-account (they become aws:SourceArn / aws:SourceAccount).
# Prints the response body, then the HTTP status on the last line.
#
# Usage: bedrock_service.sh [--unsigned-source] ROLE_NAME SESSION_NAME SOURCE_ARN|- SOURCE_ACCOUNT|-
#   "-" asserts nothing; --unsigned-source sends the source headers without signing them (the signature,
#   made with `portcullis sign`, covers only host, x-amz-date and content-type).
# Needs: BEDROCK_ACCESS_KEY_ID, BEDROCK_SECRET_ACCESS_KEY, ENDPOINT, REGION, ACCOUNT_ID; PORTCULLIS for
# --unsigned-source.
set -euo pipefail
unsigned=no
if [ "$1" = "--unsigned-source" ]; then unsigned=yes; shift; fi
role=$1 session=$2 source_arn=$3 source_account=$4

source_headers=()
[ "$source_arn" = "-" ] || source_headers+=(-H "x-portcullis-source-arn: $source_arn")
[ "$source_account" = "-" ] || source_headers+=(-H "x-portcullis-source-account: $source_account")
body="Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A${ACCOUNT_ID}%3Arole%2F${role}&RoleSessionName=${session}"

if [ "$unsigned" = yes ]; then
  mapfile -t signature < <("$PORTCULLIS" sign --region "$REGION" --service sts -X POST --data "$body" \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    --access-key "$BEDROCK_ACCESS_KEY_ID" --secret-key "$BEDROCK_SECRET_ACCESS_KEY" "$ENDPOINT/")
  signed_headers=()
  for h in "${signature[@]}"; do signed_headers+=(-H "$h"); done
  exec curl -sS -w '\n%{http_code}\n' "${signed_headers[@]}" -H 'Content-Type: application/x-www-form-urlencoded' \
    "${source_headers[@]}" --data "$body" "$ENDPOINT/"
fi
exec curl -sS -w '\n%{http_code}\n' --aws-sigv4 "aws:amz:${REGION}:sts" \
  --user "${BEDROCK_ACCESS_KEY_ID}:${BEDROCK_SECRET_ACCESS_KEY}" \
  "${source_headers[@]}" -H 'Content-Type: application/x-www-form-urlencoded' --data "$body" "$ENDPOINT/"
