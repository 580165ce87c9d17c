package dev.portcullis.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.state.jobs.JobOwner;
import org.junit.jupiter.api.Test;

/** A dead letter's owner columns: the summary names the request, never its body, and always fits its column. */
class DeliveryOwnerTest {

    @Test
    void theSummaryNamesTheRequestAndFitsItsColumnWhateverThePath() throws Exception {
        JobOwner o = Delivery.owner("111122223333", "execapi01", "prod", "req-1", "POST /jobs/{id}", "POST", "/jobs/7", 42);
        assertThat(o.account()).isEqualTo("111122223333");
        assertThat(o.topic()).isEqualTo("execapi01");
        assertThat(o.label()).isEqualTo("prod");
        JsonNode s = new ObjectMapper().readTree(o.summary());
        assertThat(s.get("requestId").asText()).isEqualTo("req-1");
        assertThat(s.get("path").asText()).isEqualTo("/jobs/7");
        assertThat(s.get("bodySize").asInt()).isEqualTo(42);

        String awkward = "/" + "\"\\\u0001".repeat(3000);
        JobOwner long1 = Delivery.owner("111122223333", "execapi01", "prod", "req-2", "ANY /" + "x".repeat(5000), "POST",
                awkward, 1);
        assertThat(long1.summary().length()).isLessThanOrEqualTo(JobOwner.MAX_SUMMARY_CHARS);
        assertThat(new ObjectMapper().readTree(long1.summary()).get("path").asText()).startsWith("/\"\\");
    }
}
