package dev.portcullis.bench.state;

import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.view.IamView;
import dev.portcullis.state.view.PolicyCompiler;
import dev.portcullis.state.view.ViewApplier;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Builds large in-memory models by applying changes, as a node would replay them. */
final class Models {
    static final String ACCOUNT = "123456789012";
    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    private Models() {
    }

    static String policyDocument(int i) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
                + "\"Resource\":\"arn:aws:s3:::bucket-" + i + "/*\"}]}";
    }

    static String userArn(int i) {
        return "arn:aws:iam::" + ACCOUNT + ":user/team" + (i % 50) + "/user" + i;
    }

    static String roleArn(int i) {
        return "arn:aws:iam::" + ACCOUNT + ":role/svc/role" + i;
    }

    static String policyArn(int i) {
        return "arn:aws:iam::" + ACCOUNT + ":policy/p" + i;
    }

    /**
     * {@code users} users and {@code roles} roles, {@code policies} managed policies, and
     * attachments spread so that there are {@code attachments} in all (at most 10 per principal).
     */
    static IamView build(ViewApplier applier, int users, int roles, int policies, int attachments)
            throws IamException {
        Instant now = Instant.parse("2026-11-23T00:00:00Z");
        long seq = 0;
        IamView v = applier.apply(IamView.empty(), new Change.CreateAccount(ACCOUNT, Optional.empty(), now), ++seq);
        for (int i = 0; i < policies; i++) {
            v = applier.apply(v, new Change.CreatePolicy(ACCOUNT, "p" + i, "/", "ANPA" + pad(i), "",
                    policyDocument(i), now), ++seq);
        }
        for (int i = 0; i < users; i++) {
            v = applier.apply(v, new Change.CreateUser(ACCOUNT, "user" + i, "/team" + (i % 50) + "/", "AIDA" + pad(i),
                    List.of(), Optional.empty(), now), ++seq);
        }
        for (int i = 0; i < roles; i++) {
            v = applier.apply(v, new Change.CreateRole(ACCOUNT, "role" + i, "/svc/", "AROA" + pad(i), TRUST, 3600, "",
                    List.of(), Optional.empty(), now), ++seq);
        }
        int principals = users + roles;
        for (int a = 0; a < attachments; a++) {
            int p = a % principals;
            int round = a / principals;
            int policy = (p * 7 + round * 13) % policies;
            Change c = p < users
                    ? new Change.AttachPolicy(ACCOUNT, PrincipalKind.USER, "user" + p, policyArn(policy))
                    : new Change.AttachPolicy(ACCOUNT, PrincipalKind.ROLE, "role" + (p - users), policyArn(policy));
            v = applier.apply(v, c, ++seq);
        }
        return v;
    }

    static ViewApplier applier() {
        return new ViewApplier(PolicyCompiler.standard(), Keyring.generate());
    }

    private static String pad(int i) {
        String s = Integer.toString(i, 32).toUpperCase();
        return "A".repeat(16 - s.length()) + s;
    }
}
