package dev.portcullis.audit.chain;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.EventJson;
import dev.portcullis.audit.event.UserIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Jackson-generator canonical writer that {@link CanonicalEvent} used before the hand-written
 * {@link dev.portcullis.audit.event.CanonicalEventWriter}; kept in the tests as a reference. Writes an event's canonical JSON straight from the record, fields in sorted order by hand,
 * without building and sorting a tree: the writer thread does this once per event, and it is the
 * largest part of its work. It must produce exactly {@code CanonicalJson.string(EventJson.toJson(e))};
 * a test pins that.
 */
final class JacksonCanonicalEvent {

    private JacksonCanonicalEvent() {}

    static String json(AuditEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = CanonicalJson.MAPPER.getFactory().createGenerator(out)) {
            write(g, e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    // Keys in String.compareTo order; null fields are omitted, as EventJson omits them.
    private static void write(JsonGenerator g, AuditEvent e) throws IOException {
        g.writeStartObject();
        string(g, "awsRegion", e.awsRegion());
        string(g, "correlationId", e.correlationId());
        if (e.decision() != null) {
            g.writeFieldName("decision");
            g.writeStartObject();
            g.writeFieldName("decisiveStatements");
            g.writeStartArray();
            for (String s : e.decision().decisiveStatements()) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeStringField("outcome", e.decision().outcome().name());
            g.writeBooleanField("reportOnly", e.decision().reportOnly());
            g.writeEndObject();
        }
        string(g, "errorCode", e.errorCode());
        string(g, "errorMessage", e.errorMessage());
        g.writeStringField("eventId", e.eventId());
        g.writeStringField("eventName", e.eventName());
        g.writeStringField("eventSource", e.eventSource());
        g.writeStringField("eventTime", e.eventTime().toString());
        g.writeStringField("eventVersion", e.eventVersion());
        g.writeNumberField("latencyMicros", e.latencyMicros());
        g.writeBooleanField("readOnly", e.readOnly());
        string(g, "requestID", e.requestId());
        tree(g, "requestParameters", e.requestParameters());
        tree(g, "responseElements", e.responseElements());
        string(g, "sourceIPAddress", e.sourceIPAddress());
        string(g, "userAgent", e.userAgent());
        if (e.userIdentity() != null) {
            // Rare nested shapes (session context) go through the tree path; the flat part is the common case.
            tree(g, "userIdentity", identityTree(e.userIdentity()));
        }
        g.writeEndObject();
    }

    private static JsonNode identityTree(UserIdentity u) {
        return EventJson.identityJson(u);
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void tree(JsonGenerator g, String name, JsonNode value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            CanonicalJson.write(g, value);
        }
    }
}
