package dev.portcullis.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.policy.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

class DenialsTest {

    private static AuthorizationResult implicitDeny(String reason) {
        return new AuthorizationResult(Decision.IMPLICIT_DENY, reason, List.of(), List.of(), List.of());
    }

    @Test
    void anImplicitDenyNamesTheMissingIdentityPolicy() {
        assertThat(Denials.message("arn:aws:iam::111122223333:user/bob", "iam:CreateUser",
                "arn:aws:iam::111122223333:user/carol", implicitDeny("No identity-based policy allows the action")))
                .isEqualTo("User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:CreateUser on"
                        + " resource: arn:aws:iam::111122223333:user/carol because no identity-based policy allows the"
                        + " iam:CreateUser action");
    }

    @Test
    void anAssumeRoleRefusedByTheTrustPolicyDoesNotBlameTheCallersIdentityPolicy() {
        assertThat(Denials.message("arn:aws:iam::111122223333:user/autoninja-developer", "sts:AssumeRole",
                "arn:aws:iam::111122223333:role/AutoNinjaCodeGeneratorAgentRole-dev",
                implicitDeny("The role's trust policy does not allow the principal")))
                .isEqualTo("User: arn:aws:iam::111122223333:user/autoninja-developer is not authorized to perform:"
                        + " sts:AssumeRole on resource: arn:aws:iam::111122223333:role/AutoNinjaCodeGeneratorAgentRole-dev");
    }
}
