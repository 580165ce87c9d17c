package dev.portcullis.audit.recorder;

/** What happens to new requests when the audit sink fails or cannot keep up. */
public enum OverflowPolicy {
    /**
     * Refuse new requests (503) as soon as the sink is failing or the queue is full, until a write
     * succeeds again. The default for the IAM, STS, admin and governance APIs.
     */
    FAIL_CLOSED,
    /**
     * Keep admitting requests while the sink is failing, queueing their events; refuse (503) once
     * the queue is full. The gateway's default.
     */
    BUFFER;

    /** The setting's spelling: {@code fail-closed} or {@code buffer}. */
    public String settingName() {
        return this == FAIL_CLOSED ? "fail-closed" : "buffer";
    }

    /** The policy a setting names ({@code fail-closed} or {@code buffer}, any case), or empty. */
    public static java.util.Optional<OverflowPolicy> fromSetting(String value) {
        if (value == null) {
            return java.util.Optional.empty();
        }
        for (OverflowPolicy p : values()) {
            if (p.settingName().equalsIgnoreCase(value.trim())) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /** The default policy for an endpoint. */
    public static OverflowPolicy defaultFor(Endpoint endpoint) {
        return endpoint == Endpoint.GATEWAY ? BUFFER : FAIL_CLOSED;
    }

    /** The endpoints whose requests are audited. */
    public enum Endpoint {
        IAM, STS, GATEWAY, ADMIN, GOVERNANCE
    }
}
