package dev.portcullis.audit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.Events;
import dev.portcullis.audit.TestPostgres;
import dev.portcullis.audit.Trails;
import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.event.Decision;
import dev.portcullis.audit.query.AuditPage;
import dev.portcullis.audit.query.AuditQuery;
import dev.portcullis.audit.query.AuditSearch;
import dev.portcullis.audit.verify.AuditVerifier;
import dev.portcullis.audit.verify.Problem;
import dev.portcullis.audit.verify.VerificationResult;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL sink against the real database, one chain per node in a table unique to the run. */
class PostgresSinkTest {

    private final AuditSigningKey key = AuditSigningKey.ephemeral();
    private String table;
    private PostgresLog log;

    @BeforeEach
    void table() {
        TestPostgres.requireAvailable();
        table = TestPostgres.uniqueTable();
        log = PostgresLog.connect(TestPostgres.URL, table);
    }

    @AfterEach
    void drop() throws Exception {
        if (log != null) {
            log.close();
            TestPostgres.dropSchemaOf(table);
        }
    }

    @Test
    void storesOneVerifiableChainPerNodeAcrossRestarts() throws Exception {
        Trails.write(PostgresSink.connect(TestPostgres.URL, table), key, Trails.config("n1", 5), 1, 7);
        Trails.write(PostgresSink.connect(TestPostgres.URL, table), key, Trails.config("n2", 5), 100, 3);
        Trails.write(PostgresSink.connect(TestPostgres.URL, table), key, Trails.config("n1", 5), 8, 3);

        assertThat(log.nodes()).containsExactly("n1", "n2");
        VerificationResult result = new AuditVerifier(key.publicKey()).verify(log);
        assertThat(result.verified()).as(result.summary()).isTrue();
        assertThat(result.events()).isEqualTo(13);
        assertThat(result.nodes().get(0).restarts()).isEqualTo(1);
        assertThat(result.nodes().get(0).lastSeq()).isEqualTo(14);
    }

    @Test
    void verifiesATimeRangeFromTheDigestBeforeIt() throws Exception {
        Trails.write(PostgresSink.connect(TestPostgres.URL, table), key, Trails.config("n1", 5), 1, 12);
        VerificationResult result = new AuditVerifier(key.publicKey()).verify(log, Optional.of("n1"),
                Optional.of(Instant.now().plusSeconds(60)), Optional.empty());
        assertThat(result.verified()).as(result.summary()).isTrue();
        assertThat(result.nodes().get(0).firstSeq()).isEqualTo(15);
    }

    @Test
    void namesAnEditedRowAndADeletedRow() throws Exception {
        Trails.write(PostgresSink.connect(TestPostgres.URL, table), key, Trails.config("n1", 5), 1, 12);
        TestPostgres.execute("UPDATE " + table + " SET record = replace(record, '/jobs/3', '/jobs/9') WHERE seq = 3");
        Problem edited = new AuditVerifier(key.publicKey()).verify(log).firstProblem().orElseThrow();
        assertThat(edited.kind()).isEqualTo(Problem.Kind.EDITED);
        assertThat(edited.location()).isEqualTo(table + " seq=3");

        TestPostgres.execute("UPDATE " + table + " SET record = replace(record, '/jobs/9', '/jobs/3') WHERE seq = 3");
        TestPostgres.execute("DELETE FROM " + table + " WHERE seq = 8");
        Problem deleted = new AuditVerifier(key.publicKey()).verify(log).firstProblem().orElseThrow();
        assertThat(deleted.kind()).isEqualTo(Problem.Kind.DELETED);
        assertThat(deleted.seq()).isEqualTo(9);
    }

    @Test
    void queriesByDecisionAndPagesThroughResults() throws Exception {
        Trails.write(PostgresSink.connect(TestPostgres.URL, table), key, Trails.config("n1", 5), 1, 30);
        AuditSearch search = new AuditSearch(log);
        AuditQuery denied = new AuditQuery(null, null, null, null, Decision.Outcome.ImplicitDeny, null, null, null, 3, null);
        AuditPage page = search.query(denied);
        assertThat(page.events()).extracting(e -> e.event().requestId()).containsExactly("req-7", "req-14", "req-21");
        AuditPage next = search.query(denied.withPageToken(page.nextPageToken().orElseThrow()));
        assertThat(next.events()).extracting(e -> e.event().requestId()).containsExactly("req-28");
        assertThat(next.nextPageToken()).isEmpty();
    }

    @Test
    void theIndexAnswersEveryCriterionAcrossNodesAndPagesInEventTimeOrder() throws Exception {
        Trails.write(PostgresSink.connect(TestPostgres.URL, table), key, Trails.config("n1", 5), 1, 20);
        Trails.write(PostgresSink.connect(TestPostgres.URL, table), key, Trails.config("n2", 5), 21, 10);
        AuditSearch search = new AuditSearch(log);
        assertThat(ids(search, new AuditQuery(null, null, null, null, null, "AccessDenied", null, null, 100, null)))
                .containsExactly("req-7", "req-14", "req-21", "req-28");
        assertThat(ids(search, new AuditQuery(null, null, null, null, null, null, "req-23", null, 100, null)))
                .containsExactly("req-23");
        assertThat(ids(search, new AuditQuery(null, null, null, null, null, null, null, "corr-2", 100, null))).hasSize(10);
        for (String principal : new String[] {Events.ROLE_ARN, Events.SESSION_ARN, Events.invoke(1).userIdentity().accessKeyId(), Events.invoke(1).userIdentity().principalId()}) {
            assertThat(ids(search, new AuditQuery(null, null, principal, "Invoke", null, null, null, null, 100, null)))
                    .as(principal).hasSize(30);
        }
        assertThat(ids(search, new AuditQuery(null, null, "arn:aws:iam::444455556666:role/other", null, null, null, null,
                null, 100, null))).isEmpty();
        Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
        assertThat(ids(search, new AuditQuery(t0.plusSeconds(19), t0.plusSeconds(23), null, null, null, null, null, null,
                100, null))).containsExactly("req-19", "req-20", "req-21", "req-22");

        java.util.List<String> seen = new java.util.ArrayList<>();
        AuditQuery q = AuditQuery.all(7);
        while (true) {
            AuditPage page = search.query(q);
            page.events().forEach(e -> seen.add(e.event().requestId()));
            if (page.nextPageToken().isEmpty()) {
                break;
            }
            q = q.withPageToken(page.nextPageToken().get());
        }
        java.util.List<String> expected = java.util.stream.IntStream.rangeClosed(1, 30).mapToObj(i -> "req-" + i).toList();
        assertThat(seen).isEqualTo(expected);
        assertThat(search.latest(3, AuditQuery.all(1))).extracting(e -> e.event().requestId())
                .containsExactly("req-28", "req-29", "req-30");
        assertThat(search.position()).containsEntry("n1", 24L).containsEntry("n2", 12L);
    }

    @Test
    void rowsWrittenBeforeThePrincipalsColumnStillMatchByPrincipal() throws Exception {
        Trails.write(PostgresSink.connect(TestPostgres.URL, table), key, Trails.config("n1", 5), 1, 6);
        TestPostgres.execute("UPDATE " + table + " SET principals = NULL");
        AuditSearch search = new AuditSearch(log);
        String keyId = Events.invoke(1).userIdentity().accessKeyId();
        assertThat(ids(search, new AuditQuery(null, null, keyId, null, null, null, null, null, 2, null))).hasSize(2);
        assertThat(ids(search, new AuditQuery(null, null, "AKIAOTHER", null, null, null, null, null, 2, null))).isEmpty();
    }

    private static java.util.List<String> ids(AuditSearch search, AuditQuery q) throws Exception {
        return search.query(q).events().stream().map(e -> e.event().requestId()).toList();
    }
}
