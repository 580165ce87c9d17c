package dev.portcullis.audit.query;

import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.MalformedRecordException;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.EventJson;
import dev.portcullis.audit.sink.AuditLog;
import dev.portcullis.audit.sink.AuditSinkException;
import dev.portcullis.audit.sink.EventIndex;
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
 * Queries and follows the events of an {@link AuditLog}. A log with an {@link EventIndex} (the
 * PostgreSQL table) filters, orders and pages in SQL on its indexes; otherwise the log's events in
 * the query's time range are streamed ({@link AuditLog#scanEvents}: segments outside it are not
 * read) and filtered in memory, keeping one page in memory. Either way every criterion is
 * re-checked here. Thread-safe.
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
        Optional<EventIndex> index = log.index();
        if (index.isPresent()) {
            List<StoredEvent> page = indexed(index.get(), query, after.orElse(null), false, query.limit() + 1);
            Optional<String> next = Optional.empty();
            if (page.size() > query.limit()) {
                page = page.subList(0, query.limit());
                next = Optional.of(encodeToken(page.get(page.size() - 1)));
            }
            return new AuditPage(page, next);
        }
        // The limit+1 smallest matches after the cursor; a max-heap drops the largest as it overflows.
        PriorityQueue<StoredEvent> best = new PriorityQueue<>(ORDER.reversed());
        forEachEvent(query, e -> {
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
        if (n <= 0) {
            return List.of();
        }
        Optional<EventIndex> index = log.index();
        if (index.isPresent()) {
            List<StoredEvent> out = new ArrayList<>(indexed(index.get(), filter, null, true, n));
            java.util.Collections.reverse(out);
            return out;
        }
        PriorityQueue<StoredEvent> newest = new PriorityQueue<>(ORDER);
        forEachEvent(filter, e -> {
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
            ends.put(node, log.lastSeq(node));
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

    /**
     * Up to {@code wanted} matching events from the index after the cursor, in its order. The index
     * may return a superset (rows it cannot judge exactly), so fetching continues past rows the
     * re-check drops.
     */
    private static List<StoredEvent> indexed(EventIndex index, AuditQuery q, StoredEvent after, boolean newestFirst,
            int wanted) throws AuditSinkException {
        EventIndex.Criteria criteria = new EventIndex.Criteria(q.from(), q.to(), q.principal(), q.eventName(),
                q.outcome() == null ? null : q.outcome().name(), q.errorCode(), q.requestId(), q.correlationId());
        EventIndex.Cursor cursor = after == null ? null
                : new EventIndex.Cursor(after.event().eventTime(), after.nodeId(), after.seq());
        List<StoredEvent> out = new ArrayList<>();
        while (out.size() < wanted) {
            int batch = Math.max(wanted - out.size(), 16);
            List<EventIndex.IndexedEvent> rows = index.find(criteria, cursor, newestFirst, batch);
            for (EventIndex.IndexedEvent row : rows) {
                cursor = new EventIndex.Cursor(row.eventTime(), row.nodeId(), row.seq());
                StoredEvent e = event(row.nodeId(), row.line().text());
                if (e != null && q.matches(e.event()) && out.size() < wanted) {
                    out.add(e);
                }
            }
            if (rows.size() < batch) {
                break;
            }
        }
        return out;
    }

    /** The stored event of an event line, or null when it is not one we can show (audit verify names it). */
    private static StoredEvent event(String node, String line) {
        try {
            ChainRecord r = ChainRecord.parse(line);
            return r.kind() == ChainRecord.Kind.event
                    ? new StoredEvent(node, r.seq(), r.hash(), EventJson.fromJson(r.body())) : null;
        } catch (MalformedRecordException | IllegalArgumentException e) {
            return null;
        }
    }

    private void forEachEvent(AuditQuery range, Consumer<StoredEvent> consumer) throws AuditSinkException {
        for (String node : log.nodes()) {
            log.scanEvents(node, range.from(), range.to(), line -> {
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
