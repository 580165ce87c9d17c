#!/usr/bin/env bash
# Runs the README's "Try it" examples (the block between <!-- examples:start --> and
# <!-- examples:end -->) against a real `portcullis serve`, with Debian's AWS CLI v2 and curl, and
# checks what they print. Needs the build output (mvn -DskipTests package) and /usr/bin/aws.
set -euo pipefail
cd "$(dirname "$0")/.."

AWS_BIN=${AWS_BIN:-/usr/bin/aws}
PORT=${PORTCULLIS_EXAMPLES_PORT:-4599}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

command -v "$AWS_BIN" >/dev/null || { echo "readme-examples: $AWS_BIN not found (apt-get install -y awscli)" >&2; exit 1; }
"$AWS_BIN" --version 2>&1 | grep -q '^aws-cli/2' || { echo "readme-examples: $AWS_BIN is not AWS CLI v2" >&2; exit 1; }

# A fixed account and root key, so the examples' output can be checked.
export PORTCULLIS_ACCOUNT_ID=111122223333
export PORTCULLIS_ROOT_ACCESS_KEY_ID=AKIAEXAMPLEROOT00001
export PORTCULLIS_ROOT_SECRET_ACCESS_KEY=exampleRootSecretKey0000000000000000000
bin/portcullis serve --port "$PORT" --data-dir "$work/data" --demo > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; echo "readme-examples: server did not start" >&2; exit 1; }
  sleep 0.5
done

export AWS_ACCESS_KEY_ID=$PORTCULLIS_ROOT_ACCESS_KEY_ID
export AWS_SECRET_ACCESS_KEY=$PORTCULLIS_ROOT_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export ENDPOINT="http://127.0.0.1:$PORT"

# The commands, exactly as the README shows them (with `aws` meaning $AWS_BIN).
mapfile -t commands < <(sed -n '/<!-- examples:start -->/,/<!-- examples:end -->/p' README.md \
  | grep -E '^(aws|curl) ' | sed "s#^aws #$AWS_BIN #")
[ "${#commands[@]}" -gt 0 ] || { echo "readme-examples: no examples found in README.md" >&2; exit 1; }

failures=0
for cmd in "${commands[@]}"; do
  echo "\$ $cmd"
  if ! out=$(bash -c "$cmd" 2>&1); then
    echo "$out"; echo "FAILED (exit status)"; failures=$((failures + 1)); continue
  fi
  echo "$out"
  case "$cmd" in
    *"sts get-caller-identity"*) grep -q '"Arn": "arn:aws:iam::111122223333:root"' <<<"$out" || { echo "FAILED: not the root ARN"; failures=$((failures + 1)); } ;;
    *"sts assume-role"*) grep -q 'assumed-role/platform-admin/' <<<"$out" || { echo "FAILED: no assumed-role ARN"; failures=$((failures + 1)); } ;;
    *"--aws-sigv4"*) grep -q '<Arn>arn:aws:iam::111122223333:root</Arn>' <<<"$out" || { echo "FAILED: curl answer"; failures=$((failures + 1)); } ;;
    *"iam create-user"*) grep -q '"UserName": "ci-bot"' <<<"$out" || { echo "FAILED: create-user"; failures=$((failures + 1)); } ;;
    *"iam list-roles"*) grep -q 'AutoNinjaRequirementsAnalystAgentRole-dev' <<<"$out" || { echo "FAILED: list-roles"; failures=$((failures + 1)); } ;;
    *"simulate-principal-policy"*) grep -q '"EvalDecision": "allowed"' <<<"$out" && grep -q '"EvalDecision": "implicitDeny"' <<<"$out" \
        || { echo "FAILED: simulation"; failures=$((failures + 1)); } ;;
  esac
done

# Unsigned requests are refused in AWS's words.
unsigned=$(curl -s -o /dev/null -w '%{http_code}' -d Action=GetCallerIdentity -d Version=2011-06-15 "$ENDPOINT/")
[ "$unsigned" = 403 ] || { echo "FAILED: unsigned request answered $unsigned"; failures=$((failures + 1)); }

if [ "$failures" -gt 0 ]; then
  echo "readme-examples: $failures example(s) failed; server log:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
echo "readme-examples: ${#commands[@]} README examples passed"
