package dev.portcullis.cli;

import dev.portcullis.server.PortcullisNode;
import dev.portcullis.state.IamException;
import dev.portcullis.state.IamState;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.PrincipalKind;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code serve --demo}: the reference scenario "Agent service roles" (the AutoNinja Bedrock agents of
 * {@code shared/seeds/003}) and a platform-admin role, loaded idempotently, then ready-to-paste
 * commands for the AWS CLI and curl.
 */
final class Demo {

    static final List<String> AGENTS = List.of("RequirementsAnalyst", "CodeGenerator", "SolutionArchitect",
            "QualityValidator", "DeploymentManager");

    private Demo() {
    }

    static void load(PortcullisNode node, PrintWriter out, String endpoint) {
        IamState state = node.state();
        String account = node.accountId();
        String region = node.config().region();
        try {
            for (String agent : AGENTS) {
                String role = "AutoNinja" + agent + "AgentRole-dev";
                if (state.view().role(account, role).isPresent()) {
                    continue;
                }
                state.apply(Change.CreateRole.of(account, role, "/", trust(account, region)));
                state.apply(new Change.PutInlinePolicy(account, PrincipalKind.ROLE, role, "BedrockAgentPermissions",
                        permissions(account, region)));
            }
            if (state.view().role(account, "platform-admin").isEmpty()) {
                state.apply(Change.CreateRole.of(account, "platform-admin", "/", """
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}"""
                        .formatted(account)));
                state.apply(new Change.PutInlinePolicy(account, PrincipalKind.ROLE, "platform-admin", "read-iam", """
                        {"Version":"2012-10-17","Statement":[{"Sid":"ReadIam","Effect":"Allow","Action":["iam:Get*","iam:List*","iam:Simulate*"],"Resource":"*"}]}"""));
            }
            if (state.view().servicePrincipal("bedrock.amazonaws.com").isEmpty()) {
                state.createServicePrincipal("bedrock.amazonaws.com", account, true);
            }
        } catch (IamException e) {
            out.println("demo data could not be loaded: " + e.code() + ": " + e.getMessage());
            return;
        }
        String e = "--endpoint-url " + endpoint;
        out.println();
        out.println("Demo data loaded: five Bedrock agent roles (AutoNinja*AgentRole-dev) trusting bedrock.amazonaws.com");
        out.println("for agents of account " + account + " only, and a platform-admin role the account root may assume.");
        out.println("With the root key exported as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY:");
        out.println();
        out.println("  aws " + e + " --region " + region + " sts get-caller-identity");
        out.println("  aws " + e + " iam list-roles --query 'Roles[].Arn'");
        out.println("  aws " + e + " --region " + region + " sts assume-role --role-arn arn:aws:iam::" + account
                + ":role/platform-admin --role-session-name demo");
        out.println("  aws " + e + " iam simulate-principal-policy --policy-source-arn arn:aws:iam::" + account
                + ":role/AutoNinjaRequirementsAnalystAgentRole-dev --action-names s3:GetObject s3:PutObject"
                + " --resource-arns arn:aws:s3:::autoninja-artifacts-" + account + "/schemas/requirements.json"
                + " --context-entries ContextKeyName=aws:ResourceAccount,ContextKeyValues=" + account + ",ContextKeyType=string");
        out.println("  curl -s --aws-sigv4 \"aws:amz:" + region + ":sts\" --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" \\");
        out.println("       -d Action=GetCallerIdentity -d Version=2011-06-15 " + endpoint + "/");
    }

    static String trust(String account, String region) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
                 "Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"%s"},
                 "ArnLike":{"AWS:SourceArn":"arn:aws:bedrock:%s:%s:agent/*"}}}]}""".formatted(account, region, account);
    }

    static String permissions(String account, String region) {
        return """
                {"Version":"2012-10-17","Statement":[
                 {"Sid":"InvokeFoundationModel","Effect":"Allow","Action":["bedrock:InvokeModel"],
                  "Resource":"arn:aws:bedrock:%s::foundation-model/*"},
                 {"Sid":"ReadSchemasFromS3","Effect":"Allow","Action":["s3:GetObject"],
                  "Resource":"arn:aws:s3:::autoninja-artifacts-%s/schemas/*",
                  "Condition":{"StringEquals":{"aws:ResourceAccount":"%s"}}},
                 {"Sid":"ListSchemasBucket","Effect":"Allow","Action":["s3:ListBucket"],
                  "Resource":"arn:aws:s3:::autoninja-artifacts-%s",
                  "Condition":{"StringEquals":{"aws:ResourceAccount":"%s"}}}]}""".formatted(region, account, account,
                account, account);
    }
}
