package dev.portcullis.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs {@code policy-validation/validation.json}: each document compiles, or fails with exactly the listed errors. */
class PolicyValidationCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() throws IOException {
        JsonNode file;
        try (InputStream in = PolicyValidationCorpusTest.class.getResourceAsStream("/policy-validation/validation.json")) {
            file = JSON.readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : file.get("cases")) {
            out.add(Arguments.of(Named.of(c.get("name").asText(), c)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheDocumentedErrors(JsonNode c) {
        PolicyKind kind = PolicyKind.valueOf(c.get("kind").asText());
        String document = c.has("raw") ? c.get("raw").asText()
                : c.has("generate") ? generate(c.get("generate")) : c.get("document").toString();
        List<PolicyValidationError> errors = Policies.validate(document, kind);
        JsonNode expected = c.get("errors");
        assertThat(errors).as(errors.toString()).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = expected.get(i);
            PolicyValidationError actual = errors.get(i);
            if (e.has("code")) {
                assertThat(actual.code()).isEqualTo(e.get("code").asText());
            }
            if (e.has("message")) {
                assertThat(actual.message()).isEqualTo(e.get("message").asText());
            }
            if (e.has("location")) {
                assertThat(actual.location()).isEqualTo(e.get("location").asText());
            }
        }
        if (expected.isEmpty()) {
            assertThat(assertParses(document, kind).kind()).isEqualTo(kind);
        } else {
            assertThatThrownBy(() -> Policies.parse(document, kind))
                    .isInstanceOf(PolicyValidationException.class)
                    .hasMessage(errors.get(0).message());
        }
    }

    private static Policy assertParses(String document, PolicyKind kind) {
        try {
            return Policies.parse(document, kind);
        } catch (PolicyValidationException e) {
            throw new AssertionError(e.errors().toString(), e);
        }
    }

    /** A document of n ~51-character statements (~50 for trust), optionally padded with white space. */
    private static String generate(JsonNode g) {
        int n = g.get("statements").asInt();
        boolean trust = g.path("trust").asBoolean(false);
        String pad = " ".repeat(g.path("indent").asInt(0));
        StringBuilder sb = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(pad);
            if (trust) {
                sb.append("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"1234567890").append(String.format("%02d", i % 100))
                        .append("\"},\"Action\":\"sts:AssumeRole\"}");
            } else {
                sb.append("{\"Effect\":\"Allow\",\"Action\":\"s3:Get").append(i).append("\",\"Resource\":\"*\"}");
            }
        }
        return sb.append("]}").toString();
    }
}
