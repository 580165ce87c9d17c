package dev.portcullis.audit.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.audit.Events;
import dev.portcullis.audit.Trails;
import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.sink.SegmentFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSearchTest {

    @TempDir
    Path dir;

    private final AuditSigningKey key = AuditSigningKey.ephemeral();
    private AuditSearch search;

    @BeforeEach
    void trail() throws Exception {
        Trails.write(Trails.segments(dir), key, Trails.config("n1", 5), 1, 20);
        search = new AuditSearch(new SegmentFiles(dir));
    }

    @Test
    void filtersByEachCriterion() throws Exception {
        assertThat(ids(new AuditQuery(null, null, null, null, null, "AccessDenied", null, null, 100, null)))
                .containsExactly("req-7", "req-14");
        assertThat(ids(new AuditQuery(null, null, null, null, null, null, "req-3", null, 100, null))).containsExactly("req-3");
        assertThat(ids(new AuditQuery(null, null, null, null, null, null, null, "corr-1", 100, null))).hasSize(10);
        assertThat(ids(new AuditQuery(null, null, Events.ROLE_ARN, "Invoke", null, null, null, null, 100, null))).hasSize(20);
        assertThat(ids(new AuditQuery(null, null, "arn:aws:iam::444455556666:role/other", null, null, null, null, null, 100, null)))
                .isEmpty();
        Instant from = Instant.parse("2026-11-20T10:00:05Z");
        assertThat(ids(new AuditQuery(from, from.plusSeconds(3), null, null, null, null, null, null, 100, null)))
                .containsExactly("req-5", "req-6", "req-7");
    }

    @Test
    void pagesThroughEveryEventOnceInTimeOrder() throws Exception {
        List<String> seen = new ArrayList<>();
        AuditQuery q = AuditQuery.all(6);
        int pages = 0;
        while (true) {
            AuditPage page = search.query(q);
            pages++;
            page.events().forEach(e -> seen.add(e.event().requestId()));
            if (page.nextPageToken().isEmpty()) {
                break;
            }
            q = q.withPageToken(page.nextPageToken().get());
        }
        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(20).doesNotHaveDuplicates().startsWith("req-1", "req-2").endsWith("req-20");
    }

    @Test
    void rejectsAForgedPageToken() {
        assertThatThrownBy(() -> search.query(AuditQuery.all(5).withPageToken("not-a-token")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the page token is not valid");
    }

    @Test
    void followsNewEventsFromTheCurrentEnd() throws Exception {
        assertThat(search.latest(3, AuditQuery.all(1))).extracting(e -> e.event().requestId())
                .containsExactly("req-18", "req-19", "req-20");
        Map<String, Long> position = new java.util.HashMap<>(search.position());
        List<String> fresh = new ArrayList<>();
        search.poll(position, AuditQuery.all(1), e -> fresh.add(e.event().requestId()));
        assertThat(fresh).isEmpty();

        Trails.write(Trails.segments(dir), key, Trails.config("n1", 5), 21, 2);
        search.poll(position, AuditQuery.all(1), e -> fresh.add(e.event().requestId()));
        assertThat(fresh).containsExactly("req-21", "req-22");
    }

    private List<String> ids(AuditQuery q) throws Exception {
        return search.query(q).events().stream().map(e -> e.event().requestId()).toList();
    }
}
