#!/usr/bin/env bash
# Reference scenario 1: the verification layer calls the execution layer through the Portcullis
# gateway with IAM auth; the API's resource policy admits only the verification role.
# Checks: unsigned -> 403, another role -> 403, the verification role -> 202 and the execution
# service receives the identical payload with the caller's identity. Exits non-zero on any mismatch.
#
# Build first (this script builds nothing): mvn -q -DskipTests package
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ -f "$repo/cli/target/portcullis.jar" ] || { echo "build first: (cd $repo && mvn -q -DskipTests package)" >&2; exit 2; }
# Debian's AWS CLI v2 (package awscli), as the README's examples; set AWS_BIN for another.
export AWS_BIN=${AWS_BIN:-/usr/bin/aws}
[ -x "$AWS_BIN" ] || { echo "needs the AWS CLI at $AWS_BIN (apt-get install awscli, or set AWS_BIN)" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

export ACCOUNT_ID=111122223333
export AWS_ACCESS_KEY_ID=AKIALAYERAUTHEXAMPLE
export AWS_SECRET_ACCESS_KEY=layerAuthExampleRootSecret000000000000000
unset AWS_SESSION_TOKEN AWS_PROFILE || true
api_port=$(free_port)
exec_port=$(free_port)
export STS_ENDPOINT="http://127.0.0.1:$api_port"
invoke="http://127.0.0.1:$api_port/execapi01/prod/execute"

# The roles and the API, applied at start from a bootstrap file (the admin API can do the same at run time; see README).
cat >"$work/gateway.json" <<JSON
{"roles": [
   {"name": "SlackBotVerificationRole", "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::$ACCOUNT_ID:root"}, "Action": "sts:AssumeRole"}]}},
   {"name": "SlackBotReportingRole", "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::$ACCOUNT_ID:root"}, "Action": "sts:AssumeRole"}]}}],
 "apis": [{"apiId": "execapi01", "name": "execution-layer", "stages": ["prod"],
   "resourcePolicy": {"Version": "2012-10-17", "Statement": [{"Sid": "VerificationLayerOnly", "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::$ACCOUNT_ID:role/SlackBotVerificationRole"},
      "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:$ACCOUNT_ID:execapi01/*"}]},
   "routes": [{"routeKey": "POST /execute", "upstreamUrl": "http://127.0.0.1:$exec_port",
               "authorization": "IAM", "invocation": "async", "maxAttempts": 5}]}]}
JSON

mkdir -p "$work/received"
python3 "$here/execution_service.py" "$exec_port" "$work/received" 2>"$work/execution.log" &
pids+=($!)
PORTCULLIS_ACCOUNT_ID=$ACCOUNT_ID PORTCULLIS_ROOT_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID \
PORTCULLIS_ROOT_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY PORTCULLIS_GATEWAY_CONFIG="$work/gateway.json" \
  "$repo/bin/portcullis" serve --port "$api_port" --data-dir "$work/data" >"$work/portcullis.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$api_port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$api_port/healthz" >/dev/null || { echo "portcullis did not start:"; cat "$work/portcullis.log"; exit 1; }

printf '%s' '{"channel":"C0123ABCD","user":"U0456EFGH","text":"@bot summarise incident INC-2291","ts":"1732329000.000100","thread_ts":null,"emoji":"✓"}' >"$work/payload.json"
fail=0
check() { # name expected actual
  if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected $2, got $3"; fail=1; fi
}

out=$("$here/verification_service.sh" --unsigned "$invoke" "$work/payload.json")
check "unsigned request is refused" 403 "$(tail -n 1 <<<"$out")"
check "unsigned: API Gateway's message" '{"message":"Missing Authentication Token"}' "$(head -n 1 <<<"$out")"

out=$("$here/verification_service.sh" SlackBotReportingRole "$invoke" "$work/payload.json")
check "another role is refused" 403 "$(tail -n 1 <<<"$out")"
echo "     $(head -n 1 <<<"$out")"

out=$("$here/verification_service.sh" SlackBotVerificationRole "$invoke" "$work/payload.json")
check "verification role is accepted (async)" 202 "$(tail -n 1 <<<"$out")"
request_id=$(head -n 1 <<<"$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requestId"])')

for _ in $(seq 1 50); do [ -f "$work/received/request-001.body" ] && break; sleep 0.2; done
if [ -f "$work/received/request-001.body" ]; then
  check "execution service got the identical payload" yes "$(cmp -s "$work/payload.json" "$work/received/request-001.body" && echo yes || echo no)"
  hdr() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["headers"].get(sys.argv[2], ""))' "$work/received/request-001.json" "$1"; }
  check "caller identity forwarded" "arn:aws:sts::$ACCOUNT_ID:assumed-role/SlackBotVerificationRole/verification-layer" "$(hdr x-portcullis-principal-arn)"
  check "same request id" "$request_id" "$(hdr x-portcullis-request-id)"
  check "no credentials forwarded" "" "$(hdr authorization)$(hdr x-amz-security-token)"
else
  check "execution service got the request" yes no
fi
check "only the verification role's request reached the execution service" 1 "$(ls "$work/received" | grep -c '\.body$')"

[ $fail -eq 0 ] && echo "layer-auth: all checks passed" || { echo "layer-auth: FAILED (node log: below)"; tail -n 30 "$work/portcullis.log"; }
exit $fail
