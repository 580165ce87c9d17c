package dev.portcullis.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.UserIdentity;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.recorder.AuditUnavailableException;
import dev.portcullis.audit.recorder.OverflowPolicy;
import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.state.ChangeListener;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.change.ChangeCodec;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One audit event per state change: the {@link ChangeListener} a node installs on its state. The event
 * ({@code eventSource} {@value AuditEvent#PORTCULLIS_SOURCE}, {@code eventName} the change type, e.g.
 * {@code CreateRole}) carries the change's JSON without its sealed secrets as request parameters and the
 * log sequence as its response element, and is recorded right after the change is durable in the log and
 * before {@code IamState.apply} returns, so before the request that made it is answered.
 *
 * <p>When the change was made while handling a request ({@link #during}), the event names that request's
 * caller, request id and correlation id, so the request event and the change event can be joined; otherwise
 * (start-up, background work) it names the actor ARN the change was applied with, if any. The recorder
 * was reserved for the request already; the change event is admitted with {@link OverflowPolicy#BUFFER}
 * since the change cannot be taken back, and a refusal is logged as an error.
 */
public final class ChangeAudit implements ChangeListener {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeAudit.class);
    private static final ObjectMapper JSON = ChangeCodec.mapper();
    private static final ThreadLocal<Origin> ORIGIN = new ThreadLocal<>();

    private final AuditRecorder audit;
    private final String region;
    private final Clock clock;

    public ChangeAudit(AuditRecorder audit, String region, Clock clock) {
        this.audit = audit;
        this.region = region;
        this.clock = clock;
    }

    /** The request being handled on this thread, while its handler may apply changes. */
    private record Origin(InboundRequest request, Caller caller) {
    }

    /** A body that may throw. */
    @FunctionalInterface
    public interface Body<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code body} on this thread as the handling of {@code request} by {@code caller}. */
    public static <T, E extends Exception> T during(InboundRequest request, Caller caller, Body<T, E> body) throws E {
        Origin previous = ORIGIN.get();
        ORIGIN.set(new Origin(request, caller));
        try {
            return body.run();
        } finally {
            if (previous == null) {
                ORIGIN.remove();
            } else {
                ORIGIN.set(previous);
            }
        }
    }

    @Override
    public void applied(long sequence, Change change, String actor) {
        AuditEvent event = event(sequence, change, actor, ORIGIN.get());
        try {
            audit.record(event, OverflowPolicy.BUFFER);
        } catch (AuditUnavailableException | IllegalStateException e) {
            LOG.error("change {} ({}) is durable but its audit event was refused: {}", sequence, change.type(),
                    e.getMessage());
        }
    }

    private AuditEvent event(long sequence, Change change, String actor, Origin origin) {
        AuditEvent.Builder b = AuditEvent.builder()
                .eventTime(clock.instant())
                .eventSource(AuditEvent.PORTCULLIS_SOURCE)
                .eventName(change.type())
                .awsRegion(region)
                .requestParameters(parameters(change))
                .responseElements(JsonNodeFactory.instance.objectNode().put("sequence", sequence))
                .readOnly(false);
        if (origin != null) {
            b.userIdentity(AuditTrail.identity(origin.caller()))
                    .requestId(origin.request().requestId())
                    .correlationId(origin.request().correlationId())
                    .sourceIPAddress(origin.request().sourceIp())
                    .userAgent(AuditTrail.userAgent(origin.request()));
        } else if (actor != null) {
            b.userIdentity(fromArn(actor));
        }
        return b.build();
    }

    /** The change's JSON without its type tag and without any sealed secret (the redactor is the second net). */
    static ObjectNode parameters(Change change) {
        ObjectNode n = JSON.valueToTree(change);
        n.remove("type");
        strip(n);
        if (change instanceof Change.PutRoute && n.has("authorization")) {
            // A route's mode (IAM, NONE, …), not a credential: recorded under API Gateway's name for it, as the
            // gateway's own events do, since the redactor hides any field named "authorization".
            n.set("authorizationType", n.remove("authorization"));
        }
        return n;
    }

    private static void strip(JsonNode node) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getKey().toLowerCase(java.util.Locale.ROOT).contains("sealed")) {
                    fields.remove();
                } else {
                    strip(f.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(ChangeAudit::strip);
        }
    }

    private static UserIdentity fromArn(String arn) {
        String[] parts = arn.split(":", 6);
        String account = parts.length > 4 ? parts[4] : null;
        String resource = parts.length > 5 ? parts[5] : "";
        String type = resource.equals("root") ? "Root" : resource.startsWith("user/") ? "IAMUser"
                : resource.startsWith("assumed-role/") ? "AssumedRole" : "Unknown";
        return new UserIdentity(type, null, arn, account, null, null, null);
    }
}
