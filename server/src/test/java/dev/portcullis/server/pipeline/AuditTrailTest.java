package dev.portcullis.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.EventJson;
import dev.portcullis.server.http.InboundRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditTrailTest {

    @Test
    void aRequestWithoutAUserAgentLeavesTheFieldOutOfItsEventAsCloudTrailDoes() {
        AuditEvent without = event(Map.of());
        assertThat(without.userAgent()).isNull();
        assertThat(EventJson.toJson(without).has("userAgent")).isFalse();

        AuditEvent with = event(Map.of("user-agent", List.of("aws-cli/2.22.0")));
        assertThat(with.userAgent()).isEqualTo("aws-cli/2.22.0");
        assertThat(EventJson.toJson(with).get("userAgent").asText()).isEqualTo("aws-cli/2.22.0");
    }

    private static AuditEvent event(Map<String, List<String>> headers) {
        InboundRequest request = new InboundRequest("req-1", "req-1", "GET", "/", null, "localhost",
                name -> headers.getOrDefault(name, List.of()), new byte[0], "127.0.0.1", false, Instant.EPOCH,
                System.nanoTime());
        return AuditTrail.event(request, "execute-api.amazonaws.com", "Invoke", "us-east-1", null,
                (com.fasterxml.jackson.databind.node.ObjectNode) null, null, null, null, true);
    }
}
