package dev.portcullis.server.iam;

import static dev.portcullis.server.iam.IamFixture.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.iam.IamFixture.Xml;
import org.junit.jupiter.api.Test;

/** The policy simulator, with the policies of the agent service-role plan (seeds/003). */
class SimulatorTest extends PerTestIamFixture {

    static final String AGENT_POLICY = """
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "ReadOwnPrefix",
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::agent-artifacts/${aws:username}/*",
                  "Condition": {"StringEquals": {"aws:ResourceAccount": "%s"}}
                },
                {
                  "Sid": "NoDeletes",
                  "Effect": "Deny",
                  "Action": "s3:DeleteObject",
                  "Resource": "*"
                }
              ]
            }""".formatted(ACCOUNT);
    static final String INVOKE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"*\",\"Condition\":{\"ArnLike\":"
            + "{\"aws:SourceArn\":\"arn:aws:bedrock:us-east-1:" + ACCOUNT + ":agent/*\"}}}]}";

    private Xml simulateCustom(String policy, String action, String resource, String... extra) {
        String[] base = {"PolicyInputList.member.1", policy, "ActionNames.member.1", action, "ResourceArns.member.1",
                resource};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return iam.call("SimulateCustomPolicy", all);
    }

    @Test
    void customPolicyAllowsWithMatchedStatementAndPositions() {
        Xml r = simulateCustom(AGENT_POLICY, "s3:GetObject", "arn:aws:s3:::agent-artifacts/planner/plan.json",
                "CallerArn", "arn:aws:iam::" + ACCOUNT + ":user/planner");
        assertThat(r.text("//EvaluationResults/member/EvalActionName")).isEqualTo("s3:GetObject");
        assertThat(r.text("//EvaluationResults/member/EvalResourceName"))
                .isEqualTo("arn:aws:s3:::agent-artifacts/planner/plan.json");
        assertThat(r.text("//EvalDecision")).isEqualTo("allowed");
        assertThat(r.text("//MatchedStatements/member/SourcePolicyId")).isEqualTo("PolicyInputList.1");
        assertThat(r.text("//MatchedStatements/member/SourcePolicyType")).isEqualTo("none");
        assertThat(r.text("//MatchedStatements/member/StartPosition/Line")).isEqualTo("4");
        assertThat(r.text("//MatchedStatements/member/StartPosition/Column")).isEqualTo("5");
        assertThat(r.text("//MatchedStatements/member/EndPosition/Line")).isEqualTo("10");
        assertThat(r.count("//MissingContextValues/member")).isZero();
        assertThat(r.text("//IsTruncated")).isEqualTo("false");
    }

    @Test
    void explicitDenyNamesTheDenyingStatement() {
        Xml r = simulateCustom(AGENT_POLICY, "s3:DeleteObject", "arn:aws:s3:::agent-artifacts/planner/plan.json");
        assertThat(r.text("//EvalDecision")).isEqualTo("explicitDeny");
        assertThat(r.count("//MatchedStatements/member")).isEqualTo(1);
        assertThat(r.text("//MatchedStatements/member/StartPosition/Line")).isEqualTo("11");
    }

    @Test
    void implicitDenyReportsMissingContextValues() {
        Xml r = simulateCustom(INVOKE, "lambda:InvokeFunction", "*");
        assertThat(r.text("//EvalDecision")).isEqualTo("implicitDeny");
        assertThat(r.count("//MatchedStatements/member")).isZero();
        assertThat(r.texts("//MissingContextValues/member")).containsExactly("aws:SourceArn");

        Xml given = simulateCustom(INVOKE, "lambda:InvokeFunction", "*",
                "ContextEntries.member.1.ContextKeyName", "aws:SourceArn",
                "ContextEntries.member.1.ContextKeyType", "string",
                "ContextEntries.member.1.ContextKeyValues.member.1", "arn:aws:bedrock:us-east-1:" + ACCOUNT + ":agent/A1");
        assertThat(given.text("//EvalDecision")).isEqualTo("allowed");
        assertThat(given.count("//MissingContextValues/member")).isZero();

        assertThat(iam.fail("SimulateCustomPolicy", "PolicyInputList.member.1", INVOKE, "ActionNames.member.1", "x:y",
                "ContextEntries.member.1.ContextKeyName", "aws:SourceArn",
                "ContextEntries.member.1.ContextKeyType", "colour").code()).isEqualTo("ValidationError");
    }

    @Test
    void oneResultPerActionAndResource() {
        Xml r = iam.call("SimulateCustomPolicy", "PolicyInputList.member.1", AGENT_POLICY,
                "ActionNames.member.1", "s3:GetObject", "ActionNames.member.2", "s3:DeleteObject",
                "ActionNames.member.3", "s3:PutObject");
        assertThat(r.texts("//EvaluationResults/member/EvalDecision"))
                .containsExactly("implicitDeny", "explicitDeny", "implicitDeny");
        assertThat(r.texts("//EvaluationResults/member/EvalResourceName")).containsOnly("*");
        Xml page = iam.call("SimulateCustomPolicy", "PolicyInputList.member.1", AGENT_POLICY,
                "ActionNames.member.1", "s3:GetObject", "ActionNames.member.2", "s3:DeleteObject", "MaxItems", "1");
        assertThat(page.text("//IsTruncated")).isEqualTo("true");
        assertThat(page.count("//EvaluationResults/member")).isEqualTo(1);
    }

    @Test
    void malformedInputPolicyIsRejected() {
        assertThat(iam.fail("SimulateCustomPolicy", "PolicyInputList.member.1", "{\"Statement\": 7}",
                "ActionNames.member.1", "s3:GetObject").code()).isEqualTo("MalformedPolicyDocument");
    }

    @Test
    void principalPolicyGathersUserGroupAndManagedPoliciesAndTheBoundary() {
        iam.call("CreateUser", "UserName", "planner", "Path", "/agents/");
        iam.call("CreateGroup", "GroupName", "agents");
        iam.call("AddUserToGroup", "GroupName", "agents", "UserName", "planner");
        iam.call("PutGroupPolicy", "GroupName", "agents", "PolicyName", "invoke", "PolicyDocument", INVOKE);
        iam.call("CreatePolicy", "PolicyName", "artifacts", "PolicyDocument", AGENT_POLICY);
        String managed = "arn:aws:iam::" + ACCOUNT + ":policy/artifacts";
        iam.call("AttachUserPolicy", "UserName", "planner", "PolicyArn", managed);
        String source = "arn:aws:iam::" + ACCOUNT + ":user/agents/planner";

        Xml read = iam.call("SimulatePrincipalPolicy", "PolicySourceArn", source,
                "ActionNames.member.1", "s3:GetObject", "ResourceArns.member.1", "arn:aws:s3:::agent-artifacts/planner/x");
        assertThat(read.text("//EvalDecision")).isEqualTo("allowed");
        assertThat(read.text("//MatchedStatements/member/SourcePolicyId")).isEqualTo("artifacts");
        assertThat(read.text("//MatchedStatements/member/SourcePolicyType")).isEqualTo("user-managed");
        Xml other = iam.call("SimulatePrincipalPolicy", "PolicySourceArn", source,
                "ActionNames.member.1", "s3:GetObject", "ResourceArns.member.1", "arn:aws:s3:::agent-artifacts/other/x");
        assertThat(other.text("//EvalDecision")).isEqualTo("implicitDeny");
        Xml invoke = iam.call("SimulatePrincipalPolicy", "PolicySourceArn", source,
                "ActionNames.member.1", "lambda:InvokeFunction");
        assertThat(invoke.texts("//MissingContextValues/member")).containsExactly("aws:SourceArn");

        // A boundary that does not allow reads turns the allow into an implicit deny.
        iam.call("CreatePolicy", "PolicyName", "boundary", "PolicyDocument", INVOKE);
        iam.call("PutUserPermissionsBoundary", "UserName", "planner", "PermissionsBoundary",
                "arn:aws:iam::" + ACCOUNT + ":policy/boundary");
        Xml bounded = iam.call("SimulatePrincipalPolicy", "PolicySourceArn", source,
                "ActionNames.member.1", "s3:GetObject", "ResourceArns.member.1", "arn:aws:s3:::agent-artifacts/planner/x");
        assertThat(bounded.text("//EvalDecision")).isEqualTo("implicitDeny");
        assertThat(bounded.text("//PermissionsBoundaryDecisionDetail/AllowedByPermissionsBoundary")).isEqualTo("false");
    }

    @Test
    void principalPolicyForRolesAndExtraInputs() {
        iam.call("CreateRole", "RoleName", "executor", "AssumeRolePolicyDocument", RolesTest.TRUST);
        iam.call("PutRolePolicy", "RoleName", "executor", "PolicyName", "invoke", "PolicyDocument", INVOKE);
        String source = "arn:aws:iam::" + ACCOUNT + ":role/executor";
        Xml r = iam.call("SimulatePrincipalPolicy", "PolicySourceArn", source, "ActionNames.member.1",
                "lambda:InvokeFunction", "ContextEntries.member.1.ContextKeyName", "aws:SourceArn",
                "ContextEntries.member.1.ContextKeyValues.member.1", "arn:aws:bedrock:us-east-1:" + ACCOUNT + ":agent/A",
                "ContextEntries.member.1.ContextKeyType", "string");
        assertThat(r.text("//EvalDecision")).isEqualTo("allowed");
        assertThat(r.text("//SourcePolicyId")).isEqualTo("invoke");
        assertThat(r.text("//SourcePolicyType")).isEqualTo("role");
        Xml denied = iam.call("SimulatePrincipalPolicy", "PolicySourceArn", source, "ActionNames.member.1",
                "s3:DeleteObject", "PolicyInputList.member.1", AGENT_POLICY);
        assertThat(denied.text("//EvalDecision")).isEqualTo("explicitDeny");
        assertThat(denied.text("//SourcePolicyId")).isEqualTo("PolicyInputList.1");
        assertThat(iam.fail("SimulatePrincipalPolicy", "PolicySourceArn", "arn:aws:iam::" + ACCOUNT + ":role/ghost",
                "ActionNames.member.1", "s3:GetObject").code()).isEqualTo("NoSuchEntity");
    }

    @Test
    void contextKeysComeFromConditionsAndPolicyVariables() {
        Xml custom = iam.call("GetContextKeysForCustomPolicy", "PolicyInputList.member.1", AGENT_POLICY,
                "PolicyInputList.member.2", INVOKE);
        assertThat(custom.texts("//ContextKeyNames/member"))
                .containsExactly("aws:username", "aws:ResourceAccount", "aws:SourceArn");
        iam.call("CreateUser", "UserName", "planner");
        iam.call("PutUserPolicy", "UserName", "planner", "PolicyName", "invoke", "PolicyDocument", INVOKE);
        Xml principal = iam.call("GetContextKeysForPrincipalPolicy", "PolicySourceArn",
                "arn:aws:iam::" + ACCOUNT + ":user/planner");
        assertThat(principal.texts("//ContextKeyNames/member")).containsExactly("aws:SourceArn");
        assertThat(iam.fail("GetContextKeysForCustomPolicy").code()).isEqualTo("ValidationError");
    }
}
