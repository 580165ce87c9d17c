package dev.portcullis.core.arn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArnTest {

    @Test
    void parsesIamRoleArnWithPath() {
        Arn arn = Arn.parse("arn:aws:iam::123456789012:role/service-role/agent-planner");
        assertThat(arn.partition()).isEqualTo("aws");
        assertThat(arn.service()).isEqualTo("iam");
        assertThat(arn.region()).isEmpty();
        assertThat(arn.accountId()).isEqualTo("123456789012");
        assertThat(arn.resourceType()).isEqualTo("role");
        assertThat(arn.resourceId()).isEqualTo("service-role/agent-planner");
        assertThat(arn).hasToString("arn:aws:iam::123456789012:role/service-role/agent-planner");
    }

    @Test
    void keepsColonsInsideTheResource() {
        Arn arn = Arn.parse("arn:aws:lambda:us-east-1:123456789012:function:exec:live");
        assertThat(arn.resource()).isEqualTo("function:exec:live");
        assertThat(arn.resourceType()).isEqualTo("function");
        assertThat(arn.resourceId()).isEqualTo("exec:live");
    }

    @Test
    void parsesS3BucketArnWithEmptyRegionAndAccount() {
        Arn arn = Arn.parse("arn:aws:s3:::agent-artifacts/planner/*");
        assertThat(arn.accountId()).isEmpty();
        assertThat(arn.isConcrete()).isFalse();
    }

    @Test
    void rejectsMalformedInputWithoutThrowingFromTryParse() {
        assertThat(Arn.tryParse(null)).isEmpty();
        assertThat(Arn.tryParse("")).isEmpty();
        assertThat(Arn.tryParse("arn:aws:iam::123")).isEmpty();
        assertThat(Arn.tryParse("urn:aws:iam::123456789012:root")).isEmpty();
        assertThat(Arn.tryParse("arn::iam::123456789012:root")).isEmpty();
        assertThat(Arn.tryParse("arn:aws:iam::123456789012:")).isEmpty();
        assertThat(Arn.tryParse("arn:aws:iam::1:" + "x".repeat(Arn.MAX_LENGTH))).isEmpty();
        assertThatThrownBy(() -> Arn.parse("nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
