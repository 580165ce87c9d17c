package dev.portcullis.state.jobs;

/**
 * Whom a job belongs to, stored in indexed columns beside the payload so jobs can be listed and
 * redriven per owner without reading payloads: the {@code account}, a {@code topic} within it (the
 * gateway: an API id), a {@code label} (the gateway: a stage) and a {@code summary}, a short
 * description the owner chooses (the gateway: JSON with the request id, route and body size; never
 * the body or credentials). Any may be null; {@link #NONE} is a job that belongs to nobody.
 *
 * <p>{@code topicVersion} tells apart the incarnations of a topic that was deleted and created again
 * under the same name (the gateway: the API's creation time, epoch milliseconds). A job enqueued
 * without one (before versions were recorded) has null. In a filter, a version limits the matches to
 * jobs of that version and jobs without one; a null version matches any.
 */
public record JobOwner(String account, String topic, String label, String summary, Long topicVersion) {

    public static final JobOwner NONE = new JobOwner(null, null, null, null, null);

    /** The summary column's limit, in characters; longer summaries are refused. */
    public static final int MAX_SUMMARY_CHARS = 4000;

    public JobOwner {
        if (summary != null && summary.length() > MAX_SUMMARY_CHARS) {
            throw new IllegalArgumentException("a job summary is at most " + MAX_SUMMARY_CHARS + " characters");
        }
    }

    /** An owner without a topic version. */
    public JobOwner(String account, String topic, String label, String summary) {
        this(account, topic, label, summary, null);
    }

    /** A filter: {@code account} and {@code topic}, and {@code label} unless null. */
    public static JobOwner of(String account, String topic, String label) {
        if (account == null || topic == null) {
            throw new IllegalArgumentException("a job filter names an account and a topic");
        }
        return new JobOwner(account, topic, label, null);
    }

    /** This owner (or filter) with {@code version} as its topic version (null: none). */
    public JobOwner withTopicVersion(Long version) {
        return new JobOwner(account, topic, label, summary, version);
    }
}
