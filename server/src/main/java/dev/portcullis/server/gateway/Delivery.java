package dev.portcullis.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.state.jobs.Job;
import dev.portcullis.state.jobs.JobOwner;
import dev.portcullis.state.jobs.JobQueue;
import dev.portcullis.state.jobs.JobStatus;
import dev.portcullis.state.model.Api;
import dev.portcullis.state.view.IamView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous invocations: {@link #enqueue} stores the request durably in the job table (on a worker
 * thread; the future completes only once the insert committed), and a poller claims due jobs and
 * delivers them upstream. A 2xx answer completes a job; anything else is a failed attempt, retried with
 * exponential backoff by the queue and dead-lettered after its last attempt, or once it is older than its
 * route's maximum event age (a retry that would be due after the deadline is not scheduled; a job claimed
 * after it is not delivered), as Lambda's async invocations
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-configure.html). Delivery is at least
 * once: the upstream sees the same {@code x-portcullis-request-id} on every attempt and can deduplicate.
 *
 * <p>A job whose API was deleted, or whose stage is gone, after it was enqueued is dead-lettered
 * without delivery, as Lambda drops the queued events of a deleted function; see {@link #orphaned}.
 * The check reads the node's in-memory view, never the store.
 */
final class Delivery {

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    static final String QUEUE = "gateway-delivery";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Tunables: how often to poll (an enqueue on this node also wakes the poller at once, so the interval
     * only bounds the latency of retries and of jobs enqueued by other nodes), how many to claim at once,
     * the lease, the retry backoff base, the timeout.
     */
    record Settings(Duration pollInterval, int batch, Duration lease, Duration backoffBase, long timeoutMillis) {
        static Settings defaults() {
            return withBackoff(Duration.ofSeconds(1));
        }

        /** The defaults with another backoff base; the poll interval is at most the base, so retries are not late. */
        static Settings withBackoff(Duration backoffBase) {
            Duration poll = Duration.ofMillis(Math.max(10, Math.min(500, backoffBase.toMillis())));
            return new Settings(poll, 16, Duration.ofSeconds(60), backoffBase, 29_000);
        }
    }

    /** What a job's last error starts with when its API, or its stage, was deleted before it was delivered. */
    static final String API_DELETED = "API deleted before delivery";
    static final String STAGE_DELETED = "stage deleted before delivery";

    private final Vertx vertx;
    private final JobQueue jobs;
    private final Supplier<IamView> view;
    private final Forwarder forwarder;
    private final Settings settings;
    private final String worker = "gateway-" + UUID.randomUUID();
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile boolean closed;
    private long timer = -1;

    Delivery(Vertx vertx, JobQueue jobs, Supplier<IamView> view, Forwarder forwarder, Settings settings) {
        this.vertx = vertx;
        this.jobs = jobs;
        this.view = view;
        this.forwarder = forwarder;
        this.settings = settings;
    }

    void start() {
        timer = vertx.setPeriodic(settings.pollInterval().toMillis(), id -> poll());
    }

    void close() {
        closed = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Durably enqueues {@code out}, attributed to {@code owner} (see {@link #owner}), an invocation of
     * {@code api} as {@code snapshot} holds it, to be given up {@code maxEventAge} from now; completes with
     * the job id once committed. The API's creation time is recorded in the payload (for {@link #orphaned})
     * and as the job's topic version (see {@link #topicVersion}).
     */
    Future<String> enqueue(Forwarder.Outgoing out, String requestId, int maxAttempts, long timeoutMillis,
                           JobOwner owner, Duration maxEventAge, Api api, IamView snapshot) {
        byte[] payload = encode(out, requestId, timeoutMillis, new Origin(api.createdAt(), snapshot.sequence()));
        JobOwner versioned = owner.withTopicVersion(topicVersion(api));
        return vertx.executeBlocking(() -> jobs.enqueue(QUEUE, payload, maxAttempts, versioned, maxEventAge), false)
                .onSuccess(id -> wake());
    }

    /**
     * The topic version of {@code api}'s jobs: its creation time in epoch milliseconds (null when unknown), so
     * the dead letters of an API deleted and created again under the same id are not the new API's.
     */
    static Long topicVersion(Api api) {
        return api.createdAt() == null ? null : api.createdAt().toEpochMilli();
    }

    /** Polls at once (after a redrive, or an enqueue on this node), not at the next tick. */
    void wake() {
        vertx.runOnContext(v -> poll());
    }

    /** The longest path (and route key) a dead letter's summary keeps. */
    static final int SUMMARY_PATH_CHARS = 1024;

    /**
     * The job's owner columns: the API's account, the API id (topic) and the stage (label), and a
     * summary for {@code ListDeadLetters} with the request id, route key, method, path and body size
     * (never the body, headers or credentials).
     */
    static JobOwner owner(String accountId, String apiId, String stage, String requestId, String routeKey, String method,
                          String path, int bodySize) {
        String summary = summary(requestId, routeKey, method, path, bodySize, SUMMARY_PATH_CHARS);
        if (summary.length() > JobOwner.MAX_SUMMARY_CHARS) {
            summary = summary(requestId, routeKey, method, path, bodySize, 64);  // much escaping: keep less
        }
        return new JobOwner(accountId, apiId, stage, summary);
    }

    private static String summary(String requestId, String routeKey, String method, String path, int bodySize, int max) {
        ObjectNode n = JSON.createObjectNode();
        n.put("requestId", requestId);
        n.put("routeKey", routeKey.length() > max ? routeKey.substring(0, max) : routeKey);
        n.put("httpMethod", method);
        n.put("path", path.length() > max ? path.substring(0, max) : path);
        n.put("bodySize", bodySize);
        return n.toString();
    }

    private void poll() {
        if (closed || !polling.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(() -> jobs.claim(QUEUE, worker, settings.batch(), settings.lease()), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.warn("cannot claim gateway deliveries: {}", ar.cause().toString());
                        polling.set(false);
                        return;
                    }
                    List<Future<Void>> all = new ArrayList<>();
                    for (Job job : ar.result()) {
                        all.add(deliver(job));
                    }
                    boolean full = ar.result().size() == settings.batch();
                    Future.join(all).onComplete(done -> {
                        polling.set(false);
                        if (full) {
                            poll();  // more may be waiting
                        }
                    });
                });
    }

    private Future<Void> deliver(Job job) {
        Decoded d;
        try {
            d = decode(job.payload());
        } catch (IOException | RuntimeException e) {
            // A payload that cannot be read never will be; each claim uses up one attempt until it is dead-lettered.
            return vertx.executeBlocking(() -> {
                jobs.fail(job.id(), "unreadable payload", settings.backoffBase());
                return null;
            }, false).mapEmpty();
        }
        String orphaned = orphaned(job, d.origin(), view.get());
        if (orphaned != null) {
            return vertx.executeBlocking(() -> {
                jobs.abandon(job.id(), orphaned);
                LOG.warn("gateway delivery {} (request {}) of API {} stage {} dead-lettered without delivery: {}",
                        job.id(), d.requestId(), job.owner().topic(), job.owner().label(), orphaned);
                return null;
            }, false).mapEmpty();
        }
        return forwarder.send(d.outgoing(), d.timeoutMillis())
                .transform(ar -> {
                    if (ar.succeeded() && ar.result().status() / 100 == 2) {
                        return vertx.executeBlocking(() -> {
                            jobs.complete(job.id());
                            return null;
                        }, false);
                    }
                    String error = ar.succeeded() ? "upstream answered " + ar.result().status() : ar.cause().toString();
                    return vertx.executeBlocking(() -> {
                        JobStatus s = jobs.fail(job.id(), error, settings.backoffBase());
                        if (s == JobStatus.DEAD) {
                            LOG.warn("gateway delivery {} (request {}) dead-lettered after {} attempts{}: {}", job.id(),
                                    d.requestId(), job.attempts(),
                                    job.attempts() < job.maxAttempts() ? ", its maximum event age reached" : "", error);
                        }
                        return null;
                    }, false);
                })
                .mapEmpty();
    }

    /**
     * Why {@code job} must not be delivered, judged against {@code view}: {@link #API_DELETED} when its API
     * is gone from its account, or is another API created since under the same id; {@link #STAGE_DELETED}
     * when its stage is gone; null when it may be delivered. A job without owner columns (enqueued before
     * they existed) is always delivered. The API's creation time recorded at enqueue ({@code origin})
     * tells a re-created API from the original exactly; a job without one (enqueued by an older node) is
     * compared by its enqueue time instead, which two nodes' clocks can blur. A view older than the one the
     * job was enqueued under may not know the API yet, and does not judge it.
     */
    static String orphaned(Job job, Origin origin, IamView view) {
        JobOwner owner = job.owner();
        if (owner.account() == null || owner.topic() == null) {
            return null;
        }
        if (origin != null && view.sequence() < origin.viewSequence()) {
            return null;
        }
        Api api = view.api(owner.topic()).orElse(null);
        if (api == null || !api.accountId().equals(owner.account())) {
            return API_DELETED;
        }
        Instant since = origin != null ? origin.apiCreatedAt() : job.createdAt();
        if (api.createdAt() != null && api.createdAt().toEpochMilli() > since.toEpochMilli()) {
            return API_DELETED;  // deleted, and another API created since under the same id
        }
        if (owner.label() != null && !api.stages().containsKey(owner.label())) {
            return STAGE_DELETED;
        }
        return null;
    }

    /**
     * Which API a job was enqueued for: the creation time of the API as the enqueueing node saw it, and the
     * sequence of that node's view.
     */
    record Origin(Instant apiCreatedAt, long viewSequence) {
    }

    /** A decoded payload; {@code origin} is null for one written before it was recorded. */
    record Decoded(Forwarder.Outgoing outgoing, String requestId, long timeoutMillis, Origin origin) {
    }

    static byte[] encode(Forwarder.Outgoing out, String requestId, long timeoutMillis, Origin origin) {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", 1);
        n.put("requestId", requestId);
        if (origin.apiCreatedAt() != null) {
            n.put("apiCreatedAt", origin.apiCreatedAt().toEpochMilli());
            n.put("viewSequence", origin.viewSequence());
        }
        n.put("method", out.method());
        n.put("url", out.url());
        n.put("timeoutMillis", timeoutMillis);
        ArrayNode headers = n.putArray("headers");
        for (Map.Entry<String, String> h : out.headers()) {
            headers.addArray().add(h.getKey()).add(h.getValue());
        }
        n.put("body", Base64.getEncoder().encodeToString(out.body()));
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a delivery", e);
        }
    }

    static Decoded decode(byte[] payload) throws IOException {
        JsonNode n = JSON.readTree(payload);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (JsonNode h : n.path("headers")) {
            headers.add(Map.entry(h.get(0).asText(), h.get(1).asText()));
        }
        Forwarder.Outgoing out = new Forwarder.Outgoing(n.get("method").asText(), n.get("url").asText(), headers,
                Base64.getDecoder().decode(n.get("body").asText()));
        Origin origin = n.hasNonNull("apiCreatedAt") && n.hasNonNull("viewSequence")
                ? new Origin(Instant.ofEpochMilli(n.get("apiCreatedAt").asLong()), n.get("viewSequence").asLong()) : null;
        return new Decoded(out, n.get("requestId").asText(), n.path("timeoutMillis").asLong(29_000), origin);
    }
}
