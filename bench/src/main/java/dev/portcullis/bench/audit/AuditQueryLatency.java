package dev.portcullis.bench.audit;

import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.Decision;
import dev.portcullis.audit.event.EventJson;
import dev.portcullis.audit.event.UserIdentity;
import dev.portcullis.audit.query.AuditQuery;
import dev.portcullis.audit.query.AuditSearch;
import dev.portcullis.audit.sink.AuditLog;
import dev.portcullis.audit.sink.AuditSinkException;
import dev.portcullis.audit.sink.PostgresLog;
import dev.portcullis.audit.sink.PostgresSink;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Query latency over a large PostgreSQL audit table (not JMH: one fill, then each query timed
 * repeatedly). Fills {@code <schema>.audit_records} with N events over 3 node chains (event i at
 * base + 10 ms × i, 100 principals, 10 event names), then times {@link AuditSearch} queries three
 * ways: through the table's indexes (the {@code EventIndex} path), through the same SQL with the
 * secondary indexes dropped, and by streaming every chain and filtering in memory (what queries did
 * before the index path).
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.portcullis.bench.audit.AuditQueryLatency [events] [keep-schema]</pre>
 */
public final class AuditQueryLatency {

    private static final Instant BASE = Instant.parse("2026-11-20T00:00:00Z");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String schema = args.length > 1 ? args[1] : "audit_query_bench";
        String table = schema + ".audit_records";
        boolean stream = !(args.length > 2 && args[2].equals("no-stream"));
        String url = AuditFixtures.PG_URL;
        boolean fill;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema + "'")) {
            rs.next();
            fill = rs.getInt(1) == 0;
        }
        if (fill) {
            fill(url, table, n);
        }
        try (PostgresLog log = PostgresLog.connect(url, table)) {
            AuditSearch indexed = new AuditSearch(log);
            AuditSearch streamed = new AuditSearch(new Streamed(log));
            Instant mid = BASE.plusMillis(10L * n / 2);
            String principal = "arn:aws:iam::111122223333:user/u42";
            List<Case> cases = List.of(
                    new Case("first page, no filter, 50", q(null, null, null, null, null, 50)),
                    new Case("1 minute in the middle (6,000 events), 50", q(mid, mid.plusSeconds(60), null, null, null, 50)),
                    new Case("request id", q(null, null, null, null, "req-" + (n / 3), 50)),
                    new Case("principal + event name (10,000 match), 50", q(null, null, principal, "AssumeRole", null, 50)),
                    new Case("principal + event name (none match)", q(null, null, principal, "GetRole", null, 50)),
                    new Case("principal in 1 hour, 50", q(mid, mid.plusSeconds(3600), principal, null, null, 50)));
            System.out.printf("%d events in %s%n", n, table);
            System.out.printf("%-45s %14s %14s%n", "query", "indexed", "streamed");
            for (Case k : cases) {
                double a = median(() -> run(indexed, k.query), 15);
                double b = stream ? once(() -> run(streamed, k.query)) : Double.NaN; // tens of seconds: once
                System.out.printf("%-45s %11.1f ms %11.1f ms%n", k.name, a, b);
            }
            System.out.println("same SQL without the secondary indexes:");
            String ix = table.replace('.', '_');
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                for (String i : new String[] {"events_by_time", "request_id", "correlation_id", "event_name", "principals"}) {
                    s.execute("DROP INDEX " + schema + "." + ix + "_" + i);
                }
            }
            try {
                for (Case k : cases) {
                    double a = median(() -> run(indexed, k.query), 5);
                    System.out.printf("%-45s %11.1f ms%n", k.name, a);
                }
            } finally {
                try (PostgresSink sink = PostgresSink.connect(url, table)) {
                    sink.open("index-rebuild"); // creates the missing indexes again
                }
            }
        }
    }

    private record Case(String name, AuditQuery query) {}

    private static AuditQuery q(Instant from, Instant to, String principal, String eventName, String requestId, int limit) {
        return new AuditQuery(from, to, principal, eventName, null, null, requestId, null, limit, null);
    }

    private static long run(AuditSearch search, AuditQuery q) {
        try {
            return search.query(q).events().size();
        } catch (AuditSinkException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double once(Supplier<Long> query) {
        long t = System.nanoTime();
        query.get();
        return (System.nanoTime() - t) / 1e6;
    }

    private static double median(Supplier<Long> query, int runs) {
        double[] ms = new double[runs];
        query.get(); // warm-up
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            query.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }

    private static final String[] NAMES = {"Invoke", "GetRole", "AssumeRole", "GetCallerIdentity", "ListUsers",
            "CreateUser", "PutRolePolicy", "GetUser", "ListRoles", "LookupEvents"};

    private static void fill(String url, String table, int n) throws Exception {
        long start = System.nanoTime();
        int nodes = 3;
        PostgresSink[] sinks = new PostgresSink[nodes];
        String[] prev = new String[nodes];
        long[] seq = new long[nodes];
        List<List<ChainRecord>> batches = new ArrayList<>();
        for (int k = 0; k < nodes; k++) {
            sinks[k] = PostgresSink.connect(url, table);
            sinks[k].open("node-" + k);
            prev[k] = ChainRecord.GENESIS;
            batches.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            int k = i % nodes;
            Instant t = BASE.plusMillis(10L * i);
            AuditEvent e = AuditFixtures.gatewayEvent(i, "/jobs/" + i, i % 10 != 0, 250);
            UserIdentity u = new UserIdentity("IAMUser", "AIDA" + (i % 100), "arn:aws:iam::111122223333:user/u" + (i % 100),
                    "111122223333", "AKIA" + (i % 100), null, null);
            AuditEvent ev = AuditEvent.builder().eventTime(t).eventSource(e.eventSource()).eventName(NAMES[i % NAMES.length])
                    .awsRegion("us-east-1").sourceIPAddress(e.sourceIPAddress()).userAgent(e.userAgent()).userIdentity(u)
                    .requestParameters(e.requestParameters()).requestId("req-" + i).correlationId("corr-" + (i / 10))
                    .decision(Decision.of(i % 10 != 0 ? Decision.Outcome.Allow : Decision.Outcome.ImplicitDeny))
                    .latencyMicros(250).build();
            ChainRecord r = ChainRecord.seal(ChainRecord.Kind.event, "node-" + k, ++seq[k], t, prev[k], EventJson.toJson(ev));
            prev[k] = r.hash();
            batches.get(k).add(r);
            if (batches.get(k).size() == 1000) {
                sinks[k].append(batches.get(k), false);
                batches.get(k).clear();
            }
            if (i > 0 && i % 100_000 == 0) {
                System.out.printf("filled %d events, %.0f/s%n", i, i / ((System.nanoTime() - start) / 1e9));
            }
        }
        for (int k = 0; k < nodes; k++) {
            sinks[k].append(batches.get(k), false);
            sinks[k].close();
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("ANALYZE " + table);
        }
        System.out.printf("filled %d events in %.0f s (%.0f events/s, batches of 1,000, all indexes)%n", n,
                (System.nanoTime() - start) / 1e9, n / ((System.nanoTime() - start) / 1e9));
    }

    /** The log without its index: streams every chain and filters in memory, as queries did before. */
    private record Streamed(AuditLog log) implements AuditLog {
        @Override
        public List<String> nodes() throws AuditSinkException {
            return log.nodes();
        }

        @Override
        public void scan(String nodeId, long afterSeq, LineVisitor visitor) throws AuditSinkException {
            log.scan(nodeId, afterSeq, visitor);
        }

        @Override
        public OptionalLong lastDigestAtOrBefore(String nodeId, Instant time) throws AuditSinkException {
            return log.lastDigestAtOrBefore(nodeId, time);
        }
    }
}
