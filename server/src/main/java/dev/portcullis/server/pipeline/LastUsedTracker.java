package dev.portcullis.server.pipeline;

import dev.portcullis.state.IamException;
import dev.portcullis.state.IamState;
import dev.portcullis.state.change.Change;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records "last used" for access keys and roles without putting a write on the request path: at most
 * one change per key or role per {@link #GRANULARITY}, applied by one background thread. AWS itself
 * reports last-used information with hours of delay, so this coarseness matches what clients expect.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html">GetAccessKeyLastUsed</a>
 */
public final class LastUsedTracker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LastUsedTracker.class);
    /** How stale a recorded "last used" may be. */
    public static final Duration GRANULARITY = Duration.ofMinutes(15);
    private static final int MAX_TRACKED = 100_000;

    private final IamState state;
    private final Clock clock;
    private final ConcurrentHashMap<String, Instant> recorded = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "portcullis-last-used");
        t.setDaemon(true);
        return t;
    });

    private final String region;

    public LastUsedTracker(IamState state, Clock clock, String region) {
        this.region = region;
        this.state = state;
        this.clock = clock;
    }

    /** A long-term key signed a request for {@code service} in {@code region}. */
    public void accessKeyUsed(String accessKeyId, String service, String region) {
        if (accessKeyId.startsWith("AKIA") && due("k:" + accessKeyId)) {
            submit(new Change.RecordAccessKeyLastUsed(accessKeyId, clock.instant(), service, region));
        }
    }

    /** A role was assumed. */
    public void roleUsed(String accountId, String roleName) {
        if (due("r:" + accountId + "/" + roleName)) {
            submit(new Change.RecordRoleLastUsed(accountId, roleName, clock.instant(), region));
        }
    }

    private boolean due(String key) {
        Instant now = clock.instant();
        Instant last = recorded.get(key);
        if (last != null && last.plus(GRANULARITY).isAfter(now)) {
            return false;
        }
        if (recorded.size() > MAX_TRACKED) {
            recorded.clear();
        }
        return last == null ? recorded.putIfAbsent(key, now) == null : recorded.replace(key, last, now);
    }

    private void submit(Change change) {
        try {
            writer.execute(() -> {
                try {
                    state.apply(change);
                } catch (IamException e) {
                    // The key or role was deleted meanwhile: nothing to record.
                    LOG.debug("last-used not recorded: {}", e.getMessage());
                } catch (RuntimeException e) {
                    LOG.warn("last-used not recorded: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // Shutting down.
        }
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
