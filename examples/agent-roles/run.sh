#!/usr/bin/env bash
# Reference scenario 2: service roles for the five AutoNinja Bedrock agents (shared/seeds/003). Each role
# trusts bedrock.amazonaws.com only for agents of this account (aws:SourceAccount, aws:SourceArn: the
# confused-deputy conditions), its inline policy allows InvokeModel on foundation models and reads of the
# artifacts bucket's schemas/ in this account only, and each agent's Lambda function admits only that agent.
# Checks, with the AWS CLI v2 and curl --aws-sigv4 against a real node:
#   a) the roles and inline policies are created with `aws iam create-role` / `put-role-policy`;
#   b) the policy simulator allows each action and denies other paths, other accounts and other actions;
#   c) the registered service principal bedrock.amazonaws.com assumes an agent role for an agent of this
#      account, and is refused for another account's or region's agent, with no source, or with an unsigned
#      one; an IAM user and the account root of the same account are refused too;
#   d) `portcullis policy simulate`: a Lambda resource policy scoped by SourceArn admits the right agent
#      only, and the trust policy refuses another account's principal.
# Exits non-zero on any mismatch.
#
# Build first (this script builds nothing): mvn -q -DskipTests package
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export PORTCULLIS="$repo/bin/portcullis"
# A run of under a minute spends most of the JVM's time starting up and compiling: the client compiler only
# and the serial collector halve that (for the node too; a long-running node is better off with the defaults).
cli_java_opts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
AWS_BIN=${AWS_BIN:-/usr/bin/aws}
[ -f "$repo/cli/target/portcullis.jar" ] || { echo "build first: (cd $repo && mvn -q -DskipTests package)" >&2; exit 2; }
"$AWS_BIN" --version 2>&1 | grep -q '^aws-cli/2' || { echo "needs the AWS CLI v2 at $AWS_BIN (AWS_BIN=…)" >&2; exit 2; }
command -v curl >/dev/null && command -v python3 >/dev/null || { echo "needs curl and python3" >&2; exit 2; }
started=$EPOCHREALTIME

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

export ACCOUNT_ID=111122223333 REGION=us-east-2
OTHER_ACCOUNT=444455556666
BUCKET=autoninja-artifacts-$ACCOUNT_ID
export AWS_ACCESS_KEY_ID=AKIAAGENTROLESROOT01
export AWS_SECRET_ACCESS_KEY=agentRolesExampleRootSecret0000000000000
export AWS_DEFAULT_REGION=$REGION AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_SESSION_TOKEN AWS_PROFILE || true
port=$(free_port)
export ENDPOINT="http://127.0.0.1:$port"
aws() { "$AWS_BIN" --endpoint-url "$ENDPOINT" "$@"; }

# The five agents of the seed, with their Bedrock agent ids (10 characters, as Bedrock assigns them).
AGENTS=(RequirementsAnalyst CodeGenerator SolutionArchitect QualityValidator DeploymentManager)
declare -A AGENT_ID=([RequirementsAnalyst]=RQANLST7K2 [CodeGenerator]=CDGEN4M8QX [SolutionArchitect]=SLARCH9P3V
                     [QualityValidator]=QLVAL2H6ZT [DeploymentManager]=DPLMGR5W1N)
role_name() { echo "AutoNinja${1}AgentRole-dev"; }
agent_arn() { echo "arn:aws:bedrock:$REGION:$ACCOUNT_ID:agent/${AGENT_ID[$1]}"; }
function_arn() { # RequirementsAnalyst -> …:function:autoninja-requirements-analyst-dev
  echo "arn:aws:lambda:$REGION:$ACCOUNT_ID:function:autoninja-$(sed -E 's/([a-z])([A-Z])/\1-\2/g' <<<"$1" | tr A-Z a-z)-dev"
}

# The policy files use CloudFormation's ${…} names, as in the seed's template; this is the !Sub.
render() { # FILE [extra sed expressions…] -> $work/FILE
  local file=$1; shift
  sed -e "s/\${AWS::AccountId}/$ACCOUNT_ID/g" -e "s/\${AWS::Region}/$REGION/g" \
      -e "s#\${ArtifactsBucket.Arn}#arn:aws:s3:::$BUCKET#g" "$@" "$here/policies/$file" >"$work/$file"
}

PORTCULLIS_ACCOUNT_ID=$ACCOUNT_ID PORTCULLIS_ROOT_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID \
PORTCULLIS_ROOT_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY PORTCULLIS_JAVA_OPTS=$cli_java_opts \
  "$PORTCULLIS" serve --port "$port" --region "$REGION" --data-dir "$work/data" >"$work/portcullis.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do
  curl -sf "$ENDPOINT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "$ENDPOINT/healthz" >/dev/null || { echo "portcullis did not start:"; cat "$work/portcullis.log"; exit 1; }

since() { local t=$(( (${EPOCHREALTIME//[.,]/} - ${started//[.,]/}) / 100000 )); echo "$((t / 10)).$((t % 10))"; }
section() { echo "== [$(since)s] $*"; }
fail=0
check() { # name expected actual
  if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected $2, got $3"; fail=1; fi
}
# The first <TAG>value</TAG> of an XML answer (Portcullis, like AWS, writes one element per line).
xml() { sed -n "s:.*<$1>\([^<]*\)</$1>.*:\1:p" | head -n 1; }
sequence_of() { sed -n 's/.*"[Ss]equence" *: *\([0-9]*\).*/\1/p' | tail -n 1; } # /healthz and `create` print it

section "a) roles and inline policies (aws iam create-role / put-role-policy)"
render trust-policy.json
render bedrock-agent-permissions.json
creating=()
for agent in "${AGENTS[@]}"; do # the five roles at the same time
  (
    role=$(role_name "$agent")
    aws iam create-role --role-name "$role" --description "Service role for $agent Bedrock Agent" \
      --assume-role-policy-document "file://$work/trust-policy.json" \
      --tags Key=Environment,Value=dev Key=Application,Value=AutoNinja --query Role.Arn --output text >"$work/$agent.arn"
    aws iam put-role-policy --role-name "$role" --policy-name BedrockAgentPermissions \
      --policy-document "file://$work/bedrock-agent-permissions.json"
  ) >"$work/$agent.create.log" 2>&1 &
  creating+=($!)
done
for p in "${creating[@]}"; do wait "$p" || true; done
for agent in "${AGENTS[@]}"; do
  check "create-role $(role_name "$agent")" "arn:aws:iam::$ACCOUNT_ID:role/$(role_name "$agent")" \
    "$(cat "$work/$agent.arn" 2>/dev/null || cat "$work/$agent.create.log")"
done
check "list-roles shows the five agent roles" 5 \
  "$(aws iam list-roles --query "length(Roles[?starts_with(RoleName, 'AutoNinja')])" --output text)"
stored=$(aws iam get-role-policy --role-name "$(role_name RequirementsAnalyst)" --policy-name BedrockAgentPermissions \
  --query PolicyDocument --output json | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))')
check "get-role-policy returns the document as put" \
  "$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True))' "$work/bedrock-agent-permissions.json")" \
  "$stored"

section "b) the policy simulator (the seed's \"Test 2\", per role, with aws:ResourceAccount)"
MODELS="arn:aws:bedrock:$REGION::foundation-model/*"
SCHEMA="arn:aws:s3:::$BUCKET/schemas/requirements-analyst-schema.yaml"
OUTSIDE="arn:aws:s3:::$BUCKET/deployments/stack-outputs.json"
BUCKET_ARN="arn:aws:s3:::$BUCKET"
decisions=(--query 'EvaluationResults[].[EvalActionName,EvalResourceName,EvalDecision]' --output text)
expected_matrix() { # the one allowed (action, resource) pairs; everything else implicitDeny
  for a in bedrock:InvokeModel s3:GetObject s3:ListBucket s3:PutObject; do
    for r in "$MODELS" "$SCHEMA" "$OUTSIDE" "$BUCKET_ARN"; do
      case "$a $r" in
        "bedrock:InvokeModel $MODELS" | "s3:GetObject $SCHEMA" | "s3:ListBucket $BUCKET_ARN") echo "$a $r allowed" ;;
        *) echo "$a $r implicitDeny" ;;
      esac
    done
  done
}
own_account=(--context-entries "ContextKeyName=aws:ResourceAccount,ContextKeyValues=$ACCOUNT_ID,ContextKeyType=string")
# The seven simulations run at the same time; their answers are checked in order below.
simulating=()
for agent in "${AGENTS[@]}"; do # one per role
  aws iam simulate-principal-policy --policy-source-arn "arn:aws:iam::$ACCOUNT_ID:role/$(role_name "$agent")" \
    --action-names bedrock:InvokeModel s3:GetObject s3:ListBucket s3:PutObject \
    --resource-arns "$MODELS" "$SCHEMA" "$OUTSIDE" "$BUCKET_ARN" "${own_account[@]}" "${decisions[@]}" \
    >"$work/$agent.simulation" 2>&1 &
  simulating+=($!)
done
aws iam simulate-principal-policy --policy-source-arn "arn:aws:iam::$ACCOUNT_ID:role/$(role_name CodeGenerator)" \
  --action-names s3:GetObject s3:ListBucket --resource-arns "$SCHEMA" "$BUCKET_ARN" \
  --context-entries "ContextKeyName=aws:ResourceAccount,ContextKeyValues=$OTHER_ACCOUNT,ContextKeyType=string" \
  "${decisions[@]}" >"$work/other-account.simulation" 2>&1 &
simulating+=($!)
# The seed's Test 2 itself. Its `--policy-input-list file://…` would send each character of the file as a
# policy (the CLI treats a list parameter's file content as a list), so the document is passed as a string.
aws iam simulate-custom-policy --policy-input-list "$(cat "$work/bedrock-agent-permissions.json")" \
  --action-names bedrock:InvokeModel s3:GetObject s3:ListBucket \
  --resource-arns "$MODELS" "$SCHEMA" "$BUCKET_ARN" "${own_account[@]}" "${decisions[@]}" >"$work/test2.simulation" 2>&1 &
simulating+=($!)
for p in "${simulating[@]}"; do wait "$p" || true; done
for agent in "${AGENTS[@]}"; do
  got=$(tr '\t' ' ' <"$work/$agent.simulation")
  check "$(role_name "$agent"): InvokeModel, schemas/ GetObject, ListBucket allowed; other paths and actions denied" \
    "$(expected_matrix)" "$got"
  [ "$agent" = RequirementsAnalyst ] && grep allowed <<<"$got" | sed 's/^/       /'
done
check "aws:ResourceAccount of another account: every S3 request denied" "4 implicitDeny" \
  "$(awk '{print $3}' "$work/other-account.simulation" | sort | uniq -c | xargs)"
got=$(grep -c 'allowed$' "$work/test2.simulation" || true)
check "simulate-custom-policy (seed Test 2): each action allowed on its own resource" 3 "$got"

section "c) bedrock.amazonaws.com assumes the agent roles (STS, x-portcullis-source-* signed)"
PORTCULLIS_JAVA_OPTS=$cli_java_opts "$PORTCULLIS" service-principal create bedrock.amazonaws.com --account "$ACCOUNT_ID" --may-assert-source \
  --data-dir "$work/data" >"$work/bedrock-key.json" 2>"$work/service-principal.log" \
  || { echo "FAIL service-principal create:"; cat "$work/service-principal.log"; exit 1; }
read -r name may_assert BEDROCK_ACCESS_KEY_ID BEDROCK_SECRET_ACCESS_KEY < <(python3 -c 'import json,sys
p=json.load(sys.stdin)["ServicePrincipal"]; print(p["ServiceName"], p["MayAssertSource"], p["AccessKeyId"], p["SecretAccessKey"])' \
  <"$work/bedrock-key.json")
export BEDROCK_ACCESS_KEY_ID BEDROCK_SECRET_ACCESS_KEY
check "service-principal create printed a key for bedrock.amazonaws.com" "bedrock.amazonaws.com True AKIA" \
  "$name $may_assert ${BEDROCK_ACCESS_KEY_ID:0:4}"
# The node applies what the command appended when it next reads the log (within a second on SQLite).
sequence=$(sequence_of <"$work/bedrock-key.json")
created_at=$EPOCHREALTIME
for _ in $(seq 1 150); do
  [ "$(curl -s "$ENDPOINT/healthz" | sequence_of)" -ge "$sequence" ] && break
  sleep 0.1
done
check "the running node caught up with the new service principal" yes \
  "$([ "$(curl -s "$ENDPOINT/healthz" | sequence_of)" -ge "$sequence" ] && echo yes || echo no)"
echo "     /healthz showed sequence $sequence $(( (${EPOCHREALTIME//[.,]/} - ${created_at//[.,]/}) / 1000 )) ms after the command returned"

for agent in "${AGENTS[@]}"; do
  out=$("$here/bedrock_service.sh" "$(role_name "$agent")" "${AGENT_ID[$agent]}" "$(agent_arn "$agent")" "$ACCOUNT_ID")
  check "bedrock for agent/${AGENT_ID[$agent]} assumes $(role_name "$agent")" \
    "200 arn:aws:sts::$ACCOUNT_ID:assumed-role/$(role_name "$agent")/${AGENT_ID[$agent]}" \
    "$(tail -n 1 <<<"$out") $(sed '$d' <<<"$out" | xml Arn)"
  [ "$agent" = RequirementsAnalyst ] && session=$(sed '$d' <<<"$out")
done
identity=$(AWS_ACCESS_KEY_ID=$(xml AccessKeyId <<<"$session") AWS_SECRET_ACCESS_KEY=$(xml SecretAccessKey <<<"$session") \
  AWS_SESSION_TOKEN=$(xml SessionToken <<<"$session") aws sts get-caller-identity --query Arn --output text)
check "sts get-caller-identity with the agent's session credentials" \
  "arn:aws:sts::$ACCOUNT_ID:assumed-role/$(role_name RequirementsAnalyst)/${AGENT_ID[RequirementsAnalyst]}" "$identity"

role=$(role_name RequirementsAnalyst)
refused() { # name, then bedrock_service.sh arguments
  local name=$1; shift
  local out; out=$(PORTCULLIS_JAVA_OPTS=$cli_java_opts "$here/bedrock_service.sh" "$@")
  check "$name" "403 AccessDenied" "$(tail -n 1 <<<"$out") $(sed '$d' <<<"$out" | xml Code)"
}
refused "another account's agent (SourceAccount and SourceArn $OTHER_ACCOUNT) is refused" \
  "$role" confused "arn:aws:bedrock:$REGION:$OTHER_ACCOUNT:agent/XACCT0AGNT" "$OTHER_ACCOUNT"
refused "another account's agent asserted with this SourceAccount is refused" \
  "$role" confused "arn:aws:bedrock:$REGION:$OTHER_ACCOUNT:agent/XACCT0AGNT" "$ACCOUNT_ID"
refused "an agent of this account in another region is refused" \
  "$role" elsewhere "arn:aws:bedrock:eu-west-1:$ACCOUNT_ID:agent/${AGENT_ID[RequirementsAnalyst]}" "$ACCOUNT_ID"
refused "bedrock asserting no source is refused" "$role" nosource - -
refused "a source in unsigned headers counts for nothing: refused" \
  --unsigned-source "$role" unsigned "$(agent_arn RequirementsAnalyst)" "$ACCOUNT_ID"

# An ordinary IAM user of the account whose own policy allows sts:AssumeRole on the agent roles: plain IAM
# Query API calls, signed by curl for the service "iam".
iam() { curl -sS --fail-with-body --aws-sigv4 "aws:amz:us-east-1:iam" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
          --data Version=2010-05-08 "$@" "$ENDPOINT/"; }
iam --data Action=CreateUser --data UserName=autoninja-developer >/dev/null
iam --data Action=PutUserPolicy --data UserName=autoninja-developer --data PolicyName=AssumeAgentRoles \
  --data-urlencode "PolicyDocument={\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"arn:aws:iam::$ACCOUNT_ID:role/AutoNinja*\"}]}" >/dev/null
key=$(iam --data Action=CreateAccessKey --data UserName=autoninja-developer)
dev_key=$(xml AccessKeyId <<<"$key") dev_secret=$(xml SecretAccessKey <<<"$key")
out=$(AWS_ACCESS_KEY_ID=$dev_key AWS_SECRET_ACCESS_KEY=$dev_secret aws sts assume-role \
  --role-arn "arn:aws:iam::$ACCOUNT_ID:role/$role" --role-session-name dev 2>&1 || true)
check "an IAM user of the account (allowed sts:AssumeRole by its own policy) is refused by the trust policy" \
  AccessDenied "$(grep -o 'AccessDenied' <<<"$out" | head -n 1)"
echo "     ${out#$'\n'}"
out=$(aws sts assume-role --role-arn "arn:aws:iam::$ACCOUNT_ID:role/$role" --role-session-name root 2>&1 || true)
check "the account root is refused too (the trust policy names only the service)" \
  AccessDenied "$(grep -o 'AccessDenied' <<<"$out" | head -n 1)"

section "d) portcullis policy simulate: Lambda invoke permissions by SourceArn, cross-account trust"
render lambda-invoke-permission.json -e "s/\${AgentName}/RequirementsAnalyst/g" \
  -e "s#\${FunctionArn}#$(function_arn RequirementsAnalyst)#g" -e "s#\${AgentArn}#$(agent_arn RequirementsAnalyst)#g"
lambda_simulate() { # SOURCE_ARN -> the decision line; exit status 0 allowed, 1 denied
  PORTCULLIS_JAVA_OPTS=$cli_java_opts "$PORTCULLIS" policy simulate --resource-policy "$work/lambda-invoke-permission.json" \
    --service-principal bedrock.amazonaws.com --action lambda:InvokeFunction \
    --resource "$(function_arn RequirementsAnalyst)" \
    --context "aws:SourceAccount=$ACCOUNT_ID" --context "aws:SourceArn=$1" | head -n 1
}
check "RequirementsAnalyst's agent may invoke its function" "Decision: allowed (ALLOW)" \
  "$(lambda_simulate "$(agent_arn RequirementsAnalyst)")"
check "CodeGenerator's agent may not invoke RequirementsAnalyst's function" "Decision: implicitDeny (IMPLICIT_DENY)" \
  "$(lambda_simulate "$(agent_arn CodeGenerator)" || true)"
got=$(PORTCULLIS_JAVA_OPTS=$cli_java_opts "$PORTCULLIS" policy simulate --trust-policy "$work/trust-policy.json" \
  --principal "arn:aws:iam::$OTHER_ACCOUNT:root" --action sts:AssumeRole \
  --resource "arn:aws:iam::$ACCOUNT_ID:role/$role" || true)
check "trust policy: arn:aws:iam::$OTHER_ACCOUNT:root may not assume $role" \
  "Decision: implicitDeny (IMPLICIT_DENY)" "$(head -n 1 <<<"$got")"
sed -n 2p <<<"$got" | sed 's/^/     /'

section "the service principal's secret is nowhere but in the command's output"
check "not in the node's log, the command's log or the audit trail" "" \
  "$(grep -rlF "$BEDROCK_SECRET_ACCESS_KEY" "$work/portcullis.log" "$work/service-principal.log" "$work/data/audit" || true)"
check "the registration is in the audit trail (eventSource portcullis)" 1 \
  "$(grep -rhF '"eventName":"CreateServicePrincipal"' "$work/data/audit" | grep -cF "$BEDROCK_ACCESS_KEY_ID")"

elapsed=$(since)
[ $fail -eq 0 ] && echo "agent-roles: all checks passed in ${elapsed}s" \
  || { echo "agent-roles: FAILED (node log: below)"; tail -n 30 "$work/portcullis.log"; }
exit $fail
