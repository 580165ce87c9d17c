package dev.portcullis.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.state.IamState;
import dev.portcullis.state.StateConfig;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.jobs.Job;
import dev.portcullis.state.jobs.JobOwner;
import dev.portcullis.state.jobs.JobStatus;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.model.Api;
import dev.portcullis.state.view.IamView;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which jobs are orphans, judged against a real view: the API deleted, moved to another account or
 * re-created under the same id, the stage gone; jobs from before attribution, and views older than
 * the enqueueing one, are never judged.
 */
class DeliveryOrphanTest {

    static final String ACCOUNT = "111122223333";
    static final String OTHER = "444455556666";
    static final String API = "orphanapi1";

    @TempDir
    Path dir;
    IamState state;

    @BeforeEach
    void open() throws Exception {
        state = IamState.open(StateConfig.sqlite(dir).withKeyring(Keyring.generate()));
        state.apply(Change.CreateAccount.of(ACCOUNT));
        state.apply(Change.CreateAccount.of(OTHER));
        createApi(ACCOUNT, Instant.parse("2026-01-01T00:00:00.123456Z"));
    }

    @AfterEach
    void close() {
        state.close();
    }

    void createApi(String account, Instant at) throws Exception {
        state.apply(new Change.PutApi(API, account, "orphans", Optional.empty(), Map.of(), at));
        state.apply(new Change.PutStage(API, "prod", Map.of()));
    }

    static Job job(JobOwner owner, Instant enqueuedAt) {
        return new Job("job-1", Delivery.QUEUE, new byte[0], JobStatus.RUNNING, 1, 5, enqueuedAt, Optional.of("w"),
                Optional.empty(), enqueuedAt, Optional.empty(), owner);
    }

    /** The origin an invocation enqueued now would record. */
    Delivery.Origin origin() {
        IamView view = state.view();
        return new Delivery.Origin(view.api(API).map(Api::createdAt).orElseThrow(), view.sequence());
    }

    static final JobOwner PROD = JobOwner.of(ACCOUNT, API, "prod");
    static final Instant ENQUEUED = Instant.parse("2026-01-02T00:00:00Z");

    @Test
    void aJobOfAnExistingApiAndStageIsDelivered() throws Exception {
        Delivery.Origin origin = origin();
        state.apply(new Change.PutApi(API, ACCOUNT, "renamed", Optional.empty(), Map.of(), Instant.now()));
        assertThat(Delivery.orphaned(job(PROD, ENQUEUED), origin, state.view())).as("an update is not a re-creation")
                .isNull();
        assertThat(Delivery.orphaned(job(JobOwner.of(ACCOUNT, API, null), ENQUEUED), origin, state.view())).isNull();
    }

    @Test
    void aJobOfADeletedApiOrOneInAnotherAccountIsAnOrphan() throws Exception {
        Delivery.Origin origin = origin();
        assertThat(Delivery.orphaned(job(JobOwner.of(OTHER, API, "prod"), ENQUEUED), origin, state.view()))
                .isEqualTo(Delivery.API_DELETED);
        state.apply(new Change.DeleteApi(API));
        assertThat(Delivery.orphaned(job(PROD, ENQUEUED), origin, state.view())).isEqualTo(Delivery.API_DELETED);
    }

    @Test
    void aJobOfAnApiDeletedAndCreatedAgainUnderTheSameIdIsAnOrphan() throws Exception {
        Delivery.Origin origin = origin();
        state.apply(new Change.DeleteApi(API));
        createApi(ACCOUNT, Instant.parse("2026-01-03T00:00:00Z"));
        assertThat(Delivery.orphaned(job(PROD, ENQUEUED), origin, state.view())).isEqualTo(Delivery.API_DELETED);
        assertThat(Delivery.orphaned(job(PROD, Instant.parse("2026-01-04T00:00:00Z")), origin(), state.view()))
                .as("a job of the new API").isNull();
    }

    @Test
    void aJobWithoutARecordedOriginIsComparedByItsEnqueueTime() throws Exception {
        assertThat(Delivery.orphaned(job(PROD, ENQUEUED), null, state.view())).isNull();
        state.apply(new Change.DeleteApi(API));
        createApi(ACCOUNT, Instant.parse("2026-01-03T00:00:00Z"));
        assertThat(Delivery.orphaned(job(PROD, ENQUEUED), null, state.view())).isEqualTo(Delivery.API_DELETED);
        assertThat(Delivery.orphaned(job(PROD, Instant.parse("2026-01-04T00:00:00Z")), null, state.view())).isNull();
    }

    @Test
    void aJobWhoseStageIsGoneIsAnOrphanOfItsStage() throws Exception {
        assertThat(Delivery.orphaned(job(JobOwner.of(ACCOUNT, API, "beta"), ENQUEUED), origin(), state.view()))
                .isEqualTo(Delivery.STAGE_DELETED);
    }

    @Test
    void aJobOfAStageDeletedBeforeDeliveryIsAnOrphanOfItsStage() throws Exception {
        Delivery.Origin origin = origin();
        assertThat(Delivery.orphaned(job(PROD, ENQUEUED), origin, state.view())).isNull();
        state.apply(new Change.DeleteStage(API, "prod"));
        assertThat(Delivery.orphaned(job(PROD, ENQUEUED), origin, state.view())).isEqualTo(Delivery.STAGE_DELETED);
    }

    @Test
    void aJobFromBeforeAttributionOrAViewOlderThanTheJobsIsNotJudged() throws Exception {
        state.apply(new Change.DeleteApi(API));
        IamView behind = state.view();
        assertThat(Delivery.orphaned(job(JobOwner.NONE, ENQUEUED), null, behind)).isNull();
        createApi(ACCOUNT, Instant.parse("2026-01-03T00:00:00Z"));
        Delivery.Origin enqueuedUnder = origin();
        assertThat(Delivery.orphaned(job(PROD, ENQUEUED), enqueuedUnder, behind))
                .as("a view that does not know the job's API yet").isNull();
        assertThat(Delivery.orphaned(job(PROD, ENQUEUED), enqueuedUnder, state.view())).isNull();
    }

    @Test
    void theOriginSurvivesThePayload() throws Exception {
        Delivery.Origin origin = origin();
        byte[] payload = Delivery.encode(new Forwarder.Outgoing("POST", "http://127.0.0.1:1/x", java.util.List.of(),
                new byte[] {1}), "req-1", 1000, origin);
        assertThat(Delivery.decode(payload).origin()).isEqualTo(new Delivery.Origin(
                Instant.parse("2026-01-01T00:00:00.123Z"), origin.viewSequence()));
        byte[] legacy = ("{\"v\":1,\"requestId\":\"r\",\"method\":\"POST\",\"url\":\"http://127.0.0.1:1\","
                + "\"headers\":[],\"body\":\"\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(Delivery.decode(legacy).origin()).isNull();
    }
}
