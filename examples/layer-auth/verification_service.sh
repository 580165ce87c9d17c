#!/usr/bin/env bash
# The verification layer's call to the execution layer: assume a role with the AWS CLI (STS on the
# Portcullis node), then POST the payload to the gateway signed for execute-api with curl --aws-sigv4.
# Prints the response body, then the HTTP status on the last line.
#
# Usage: verification_service.sh ROLE_NAME|--unsigned INVOKE_URL PAYLOAD_FILE
# Needs: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (a key allowed to assume the role), STS_ENDPOINT, ACCOUNT_ID;
# the AWS CLI is $AWS_BIN when set, else aws on the PATH.
set -euo pipefail
role=$1 url=$2 payload=$3
if [ "$role" = "--unsigned" ]; then
  exec curl -sS -w '\n%{http_code}\n' -X POST -H 'Content-Type: application/json' \
    --data-binary "@$payload" "$url"
fi
creds=$("${AWS_BIN:-aws}" --endpoint-url "$STS_ENDPOINT" --region us-east-1 sts assume-role \
  --role-arn "arn:aws:iam::${ACCOUNT_ID}:role/${role}" --role-session-name verification-layer \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
read -r akid secret token <<<"$creds"
curl -sS -w '\n%{http_code}\n' -X POST \
  --aws-sigv4 "aws:amz:us-east-1:execute-api" --user "${akid}:${secret}" \
  -H "X-Amz-Security-Token: ${token}" -H 'Content-Type: application/json' \
  --data-binary "@$payload" "$url"
