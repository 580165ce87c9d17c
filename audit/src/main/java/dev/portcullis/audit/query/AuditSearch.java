package dev.portcullis.audit.query;

import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.MalformedRecordException;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.EventJson;
import dev.portcullis.audit.sink.AuditLog;
import dev.portcullis.audit.sink.AuditSinkException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Queries and follows the events of an {@link AuditLog}. This implementation streams the log and
 * filters in memory, keeping only one page in memory; a backend with indexes may push filters
 * down later behind the same methods. Thread-safe.
 */
public final class AuditSearch {

    private static final Comparator<StoredEvent> ORDER = Comparator
            .comparing((StoredEvent s) -> s.event().eventTime())
            .thenComparing(StoredEvent::nodeId)
            .thenComparingLong(StoredEvent::seq);

    private final AuditLog log;

    public AuditSearch(AuditLog log) {
        this.log = log;
    }

    /**
     * One page of events matching {@code query}, in event-time order.
     *
     * @throws IllegalArgumentException when the page token is not one this class issued
     */
    public AuditPage query(AuditQuery query) throws AuditSinkException {
        Optional<StoredEvent> after = Optional.ofNullable(query.pageToken()).map(AuditSearch::decodeToken);
        // The limit+1 smallest matches after the cursor; a max-heap drops the largest as it overflows.
        PriorityQueue<StoredEvent> best = new PriorityQueue<>(ORDER.reversed());
        forEachEvent(null, e -> {
            if (query.matches(e.event()) && (after.isEmpty() || ORDER.compare(e, after.get()) > 0)) {
                best.add(e);
                if (best.size() > query.limit() + 1) {
                    best.poll();
                }
            }
        });
        List<StoredEvent> page = new ArrayList<>(best);
        page.sort(ORDER);
        Optional<String> next = Optional.empty();
        if (page.size() > query.limit()) {
            page = page.subList(0, query.limit());
            next = Optional.of(encodeToken(page.get(page.size() - 1)));
        }
        return new AuditPage(page, next);
    }

    /** The newest {@code n} events matching {@code filter} (its limit and token are ignored), oldest first. */
    public List<StoredEvent> latest(int n, AuditQuery filter) throws AuditSinkException {
        PriorityQueue<StoredEvent> newest = new PriorityQueue<>(ORDER);
        forEachEvent(null, e -> {
            if (filter.matches(e.event())) {
                newest.add(e);
                if (newest.size() > n) {
                    newest.poll();
                }
            }
        });
        List<StoredEvent> out = new ArrayList<>(newest);
        out.sort(ORDER);
        return out;
    }

    /** Where each node's chain currently ends: the starting point of {@link #poll}. */
    public Map<String, Long> position() throws AuditSinkException {
        Map<String, Long> ends = new HashMap<>();
        for (String node : log.nodes()) {
            long[] last = {0};
            log.scan(node, 0, line -> {
                try {
                    last[0] = Math.max(last[0], ChainRecord.parse(line.text()).seq());
                } catch (MalformedRecordException e) {
                    return false;
                }
                return true;
            });
            ends.put(node, last[0]);
        }
        return ends;
    }

    /**
     * Delivers the events stored since {@code position} that match {@code filter}, in chain order per
     * node, and advances {@code position}. An incomplete last line (a write in progress) ends the node's
     * poll; it is read again next time.
     */
    public void poll(Map<String, Long> position, AuditQuery filter, Consumer<StoredEvent> sink) throws AuditSinkException {
        for (String node : log.nodes()) {
            long after = position.getOrDefault(node, 0L);
            Deque<StoredEvent> fresh = new ArrayDeque<>();
            long[] last = {after};
            log.scan(node, after, line -> {
                try {
                    ChainRecord r = ChainRecord.parse(line.text());
                    if (r.seq() <= after) {
                        return true;
                    }
                    last[0] = r.seq();
                    if (r.kind() == ChainRecord.Kind.event) {
                        StoredEvent e = new StoredEvent(node, r.seq(), r.hash(), EventJson.fromJson(r.body()));
                        if (filter.matches(e.event())) {
                            fresh.add(e);
                        }
                    }
                    return true;
                } catch (MalformedRecordException | IllegalArgumentException e) {
                    return false;
                }
            });
            fresh.forEach(sink);
            position.put(node, last[0]);
        }
    }

    private void forEachEvent(String onlyNode, Consumer<StoredEvent> consumer) throws AuditSinkException {
        for (String node : onlyNode == null ? log.nodes() : List.of(onlyNode)) {
            log.scan(node, 0, line -> {
                if (!line.text().contains("\"kind\":\"event\"")) {
                    return true;
                }
                try {
                    ChainRecord r = ChainRecord.parse(line.text());
                    if (r.kind() == ChainRecord.Kind.event) {
                        consumer.accept(new StoredEvent(node, r.seq(), r.hash(), EventJson.fromJson(r.body())));
                    }
                } catch (MalformedRecordException | IllegalArgumentException e) {
                    // not an event we can show; audit verify names it
                }
                return true;
            });
        }
    }

    private static String encodeToken(StoredEvent e) {
        String raw = e.event().eventTime() + "|" + e.seq() + "|" + e.nodeId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static StoredEvent decodeToken(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|", 3);
            Instant time = Instant.parse(parts[0]);
            AuditEvent marker = AuditEvent.builder().eventId("-").eventTime(time).eventName("-").build();
            return new StoredEvent(parts[2], Long.parseLong(parts[1]), "", marker);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException | DateTimeParseException e) {
            throw new IllegalArgumentException("the page token is not valid");
        }
    }
}
