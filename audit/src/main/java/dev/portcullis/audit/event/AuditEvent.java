package dev.portcullis.audit.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One audited request or state change, shaped like a CloudTrail record, plus Portcullis's
 * decision and latency. Immutable: request parameters and response elements are deep-copied and
 * {@linkplain Redactor redacted} on construction (and copied again on access), and the error
 * message is redacted, so no instance can hold a secret.
 *
 * <p>{@code eventSource} is {@code iam.amazonaws.com}, {@code sts.amazonaws.com},
 * {@code execute-api.amazonaws.com} for the AWS-compatible APIs and {@value #PORTCULLIS_SOURCE}
 * for our own (admin, governance). {@code decision} is null for events that involved no policy
 * evaluation (a request rejected before authentication still has an error code).
 */
public record AuditEvent(
        String eventVersion,
        String eventId,
        Instant eventTime,
        String eventSource,
        String eventName,
        String awsRegion,
        String sourceIPAddress,
        String userAgent,
        UserIdentity userIdentity,
        JsonNode requestParameters,
        JsonNode responseElements,
        String requestId,
        String correlationId,
        String errorCode,
        String errorMessage,
        boolean readOnly,
        Decision decision,
        long latencyMicros) {

    public static final String VERSION = "1.0";
    public static final String PORTCULLIS_SOURCE = "portcullis";

    public AuditEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(eventSource, "eventSource");
        Objects.requireNonNull(eventName, "eventName");
        eventVersion = eventVersion == null ? VERSION : eventVersion;
        requestParameters = Redactor.redact(requestParameters);
        responseElements = Redactor.redact(responseElements);
        errorMessage = Redactor.redactText(errorMessage);
        userAgent = Redactor.redactText(userAgent);
        if (latencyMicros < 0) {
            throw new IllegalArgumentException("latencyMicros must not be negative");
        }
    }

    @Override
    public JsonNode requestParameters() {
        return requestParameters == null ? null : requestParameters.deepCopy();
    }

    @Override
    public JsonNode responseElements() {
        return responseElements == null ? null : responseElements.deepCopy();
    }

    /** The redacted request parameters themselves, not a copy: for {@link CanonicalEventWriter}, which only reads. */
    JsonNode rawRequestParameters() {
        return requestParameters;
    }

    /** The redacted response elements themselves, not a copy (see {@link #rawRequestParameters()}). */
    JsonNode rawResponseElements() {
        return responseElements;
    }

    /** Whether the request failed (an error code was returned). */
    public boolean failed() {
        return errorCode != null;
    }

    /** This event with {@code elements} as its response elements, redacted like every other field. */
    public AuditEvent withResponseElements(JsonNode elements) {
        return new AuditEvent(eventVersion, eventId, eventTime, eventSource, eventName, awsRegion, sourceIPAddress,
                userAgent, userIdentity, requestParameters, elements, requestId, correlationId, errorCode, errorMessage,
                readOnly, decision, latencyMicros);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an event; {@code eventId} defaults to a random UUID and {@code eventTime} to now. */
    public static final class Builder {
        private String eventVersion = VERSION;
        private String eventId;
        private Instant eventTime;
        private String eventSource = PORTCULLIS_SOURCE;
        private String eventName;
        private String awsRegion;
        private String sourceIPAddress;
        private String userAgent;
        private UserIdentity userIdentity;
        private JsonNode requestParameters;
        private JsonNode responseElements;
        private String requestId;
        private String correlationId;
        private String errorCode;
        private String errorMessage;
        private boolean readOnly;
        private Decision decision;
        private long latencyMicros;

        private Builder() {}

        public Builder eventVersion(String v) { this.eventVersion = v; return this; }
        public Builder eventId(String v) { this.eventId = v; return this; }
        public Builder eventTime(Instant v) { this.eventTime = v; return this; }
        public Builder eventSource(String v) { this.eventSource = v; return this; }
        public Builder eventName(String v) { this.eventName = v; return this; }
        public Builder awsRegion(String v) { this.awsRegion = v; return this; }
        public Builder sourceIPAddress(String v) { this.sourceIPAddress = v; return this; }
        public Builder userAgent(String v) { this.userAgent = v; return this; }
        public Builder userIdentity(UserIdentity v) { this.userIdentity = v; return this; }
        public Builder requestParameters(JsonNode v) { this.requestParameters = v; return this; }
        public Builder responseElements(JsonNode v) { this.responseElements = v; return this; }
        public Builder requestId(String v) { this.requestId = v; return this; }
        public Builder correlationId(String v) { this.correlationId = v; return this; }
        public Builder errorCode(String v) { this.errorCode = v; return this; }
        public Builder errorMessage(String v) { this.errorMessage = v; return this; }
        public Builder readOnly(boolean v) { this.readOnly = v; return this; }
        public Builder decision(Decision v) { this.decision = v; return this; }
        public Builder latencyMicros(long v) { this.latencyMicros = v; return this; }

        public AuditEvent build() {
            return new AuditEvent(eventVersion, eventId == null ? UUID.randomUUID().toString() : eventId,
                    eventTime == null ? Instant.now() : eventTime, eventSource, eventName, awsRegion,
                    sourceIPAddress, userAgent, userIdentity, requestParameters, responseElements, requestId,
                    correlationId, errorCode, errorMessage, readOnly, decision, latencyMicros);
        }
    }
}
