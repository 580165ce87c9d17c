package dev.portcullis.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionTokenCodecTest {

    private static final Instant ISSUED = Instant.parse("2026-11-23T10:00:00Z");

    private static SealingKey key(String id, int fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) fill);
        return new SealingKey(id, bytes);
    }

    private final SessionTokenCodec codec = new SessionTokenCodec(SealingKeys.of(List.of(key("k1", 1))));

    private SessionClaims claims() {
        return new SessionClaims(codec.newAccessKeyId(), codec.newSecretAccessKey(), SessionType.ASSUMED_ROLE,
                "111122223333", "arn:aws:iam::111122223333:role/service-role/verification-service",
                "AROAEXAMPLEID0000001", "verify-7f3a", "ci-bot",
                Map.of("team", "layer-auth"), Set.of("team"),
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"*\"}]}",
                List.of("arn:aws:iam::111122223333:policy/invoke-only"),
                ISSUED, ISSUED.plus(Duration.ofHours(1)), false, null, null);
    }

    @Test
    void roundTripsEveryClaim() throws Exception {
        SessionClaims original = claims();
        String token = codec.seal(original);
        assertThat(codec.open(token, ISSUED.plusSeconds(60))).isEqualTo(original);
    }

    @Test
    void tokenDoesNotContainTheSecretOrThePolicyInTheClear() {
        SessionClaims original = claims();
        String token = codec.seal(original);
        String decoded = new String(Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(decoded).doesNotContain(original.secretAccessKey()).doesNotContain("execute-api").doesNotContain("verification");
        assertThat(token).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void refusesExpiredTokenWithExpiredToken() {
        String token = codec.seal(claims());
        assertThatThrownBy(() -> codec.open(token, ISSUED.plus(Duration.ofHours(1))))
                .isInstanceOf(SessionTokenException.class)
                .hasMessage("The security token included in the request is expired")
                .extracting(e -> ((SessionTokenException) e).code()).isEqualTo("ExpiredToken");
    }

    @Test
    void refusesEverySingleByteTamper() {
        String token = codec.seal(claims());
        byte[] raw = Base64.getUrlDecoder().decode(token);
        for (int i = 0; i < raw.length; i++) {
            byte[] tampered = raw.clone();
            tampered[i] ^= 0x01;
            String bad = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThatThrownBy(() -> codec.open(bad, ISSUED)).as("byte %d", i)
                    .isInstanceOf(SessionTokenException.class)
                    .extracting(e -> ((SessionTokenException) e).code()).isEqualTo("InvalidClientTokenId");
        }
    }

    @Test
    void refusesGarbageWithoutUncheckedExceptions() {
        for (String garbage : new String[] {"", "x", "!!!!", "UEMB", "UEMBAmsx", "A".repeat(SessionTokenCodec.MAX_TOKEN_LENGTH + 1),
                "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ"}) {
            assertThatThrownBy(() -> codec.open(garbage, ISSUED)).isInstanceOf(SessionTokenException.class)
                    .hasMessage("The security token included in the request is invalid.");
        }
        assertThatThrownBy(() -> codec.open(null, ISSUED)).isInstanceOf(SessionTokenException.class);
    }

    @Test
    void opensTokensSealedUnderAnOlderKeyAfterRotation() throws Exception {
        String oldToken = codec.seal(claims());
        SessionTokenCodec rotated = new SessionTokenCodec(SealingKeys.of(List.of(key("k2", 2), key("k1", 1))));
        assertThat(rotated.open(oldToken, ISSUED).principalId()).isEqualTo("AROAEXAMPLEID0000001");
        SessionTokenCodec forgotten = new SessionTokenCodec(SealingKeys.of(List.of(key("k2", 2))));
        assertThatThrownBy(() -> forgotten.open(oldToken, ISSUED)).isInstanceOf(SessionTokenException.class);
    }

    @Test
    void refusesATokenWhoseKeyIdWasSwappedEvenIfTheKeyIsKnown() {
        // Same key bytes under two ids: the id is authenticated data, so relabelling breaks the tag.
        SessionTokenCodec a = new SessionTokenCodec(SealingKeys.of(List.of(key("ka", 7), key("kb", 7))));
        byte[] raw = Base64.getUrlDecoder().decode(a.seal(claims()));
        raw[5] = 'b';
        String relabelled = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        assertThatThrownBy(() -> a.open(relabelled, ISSUED)).isInstanceOf(SessionTokenException.class);
    }

    @Test
    void derivesTheAssumedRoleArnAndUserIdAsAwsDoes() {
        SessionClaims c = claims();
        assertThat(c.sessionArn()).isEqualTo("arn:aws:sts::111122223333:assumed-role/verification-service/verify-7f3a");
        assertThat(c.userId()).isEqualTo("AROAEXAMPLEID0000001:verify-7f3a");
        assertThat(c.toString()).doesNotContain(c.secretAccessKey());
        assertThat(key("k9", 9).toString()).doesNotContain("9, 9");
    }

    @Test
    void generatesAwsShapedTemporaryKeys() {
        assertThat(codec.newAccessKeyId()).matches("ASIA[A-Z2-7]{16}");
        assertThat(codec.newSecretAccessKey()).hasSize(40);
    }
}
