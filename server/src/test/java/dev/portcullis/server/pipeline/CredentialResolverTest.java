package dev.portcullis.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.core.sigv4.ResolvedCredential;
import dev.portcullis.core.sigv4.SigV4Exception;
import dev.portcullis.core.token.SealingKey;
import dev.portcullis.core.token.SealingKeys;
import dev.portcullis.core.token.SessionClaims;
import dev.portcullis.core.token.SessionTokenCodec;
import dev.portcullis.core.token.SessionType;
import dev.portcullis.state.view.IamView;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CredentialResolverTest {

    private static final Instant ISSUED = Instant.parse("2026-11-23T10:00:00Z");
    private final SessionTokenCodec codec = new SessionTokenCodec(SealingKeys.of(List.of(new SealingKey("k1", new byte[32]))));

    private SessionClaims claims() {
        return new SessionClaims(codec.newAccessKeyId(), codec.newSecretAccessKey(), SessionType.ASSUMED_ROLE, "111122223333",
                "arn:aws:iam::111122223333:role/ops/deployer", "AROAEXAMPLE000000001", "s1", null, Map.of(), Set.of(), null,
                List.of(), ISSUED, ISSUED.plusSeconds(900), false, null, null);
    }

    private CredentialResolver at(Instant now) {
        return new CredentialResolver(IamView::empty, codec, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void resolvesATemporaryKeyFromItsTokenAlone() throws Exception {
        SessionClaims c = claims();
        ResolvedCredential r = at(ISSUED.plusSeconds(10)).lookup(c.accessKeyId(), codec.seal(c));
        assertThat(r.principal().arn()).isEqualTo("arn:aws:sts::111122223333:assumed-role/deployer/s1");
        assertThat(r.principal().userId()).isEqualTo("AROAEXAMPLE000000001:s1");
        assertThat(r.session()).isEqualTo(c);
    }

    @Test
    void refusesAnExpiredSessionWithExpiredToken() {
        SessionClaims c = claims();
        assertThatThrownBy(() -> at(ISSUED.plusSeconds(900)).lookup(c.accessKeyId(), codec.seal(c)))
                .isInstanceOf(SigV4Exception.class)
                .satisfies(e -> assertThat(((SigV4Exception) e).error().awsCode()).isEqualTo("ExpiredToken"));
    }

    @Test
    void refusesATokenPresentedWithAnotherAccessKeyId() {
        SessionClaims c = claims();
        assertThatThrownBy(() -> at(ISSUED).lookup("ASIAOTHERKEY00000000", codec.seal(c)))
                .satisfies(e -> assertThat(((SigV4Exception) e).error().awsCode()).isEqualTo("InvalidClientTokenId"));
    }

    @Test
    void refusesATemporaryKeyWithoutItsTokenAndReportsUnknownLongTermKeysAsNull() throws Exception {
        assertThatThrownBy(() -> at(ISSUED).lookup("ASIAEXAMPLE000000000", null))
                .satisfies(e -> assertThat(((SigV4Exception) e).error().awsCode()).isEqualTo("InvalidClientTokenId"));
        assertThat(at(ISSUED).lookup("AKIAUNKNOWN000000000", null)).isNull();
    }
}
