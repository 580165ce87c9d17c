package dev.portcullis.state.change;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** JSON form of a {@link Change} as stored in the log. Thread-safe. */
public final class ChangeCodec {
    private static final ObjectMapper JSON = mapper();

    private ChangeCodec() {
    }

    /** The mapper the state module uses for changes and snapshots (ISO times, {@code Optional}s). */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public static String encode(Change change) {
        try {
            return JSON.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize change " + change.type(), e);
        }
    }

    /** Reads a change; an unreadable entry is a corrupt log and fails with the entry's type. */
    public static Change decode(String json) {
        try {
            return JSON.readValue(json, Change.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable change log entry: " + e.getOriginalMessage(), e);
        }
    }
}
