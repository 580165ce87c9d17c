package dev.portcullis.state;

import dev.portcullis.state.change.Change;
import dev.portcullis.state.change.ChangeCodec;
import dev.portcullis.state.jobs.JobQueue;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.keyring.NodeKeys;
import dev.portcullis.state.keyring.Secret;
import dev.portcullis.state.model.Ids;
import dev.portcullis.state.model.SealedSecret;
import dev.portcullis.state.replication.Replicator;
import dev.portcullis.state.store.LogEntry;
import dev.portcullis.state.store.PostgresStore;
import dev.portcullis.state.store.SequenceConflictException;
import dev.portcullis.state.store.SqliteStore;
import dev.portcullis.state.store.Store;
import dev.portcullis.state.store.StoreException;
import dev.portcullis.state.store.StoredSnapshot;
import dev.portcullis.state.view.AccessKeyEntry;
import dev.portcullis.state.view.IamView;
import dev.portcullis.state.view.SnapshotCodec;
import dev.portcullis.state.view.ViewApplier;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's IAM state: the store, the current {@link IamView} and the replication that keeps it
 * current.
 *
 * <p>Threads: {@link #view()} is a volatile read and never blocks. {@link #apply} and catching up
 * (from the replicator's threads) take the node's write lock and do blocking JDBC: call them from
 * worker threads. Snapshots are written by one background thread. Several nodes may share one
 * store; the log's unique sequence orders their writes.
 */
public final class IamState implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IamState.class);
    private static final int BATCH = 1000;

    private final StateConfig config;
    private final Store store;
    private final Keyring keyring;
    private final ViewApplier applier;
    private final Object writeLock = new Object();
    private final ExecutorService snapshots;
    private final Replicator replicator;
    private volatile IamView current;
    private volatile ChangeListener listener;

    private IamState(StateConfig config, Store store, Keyring keyring) {
        this.config = config;
        this.store = store;
        this.keyring = keyring;
        this.applier = new ViewApplier(config.compiler(), keyring);
        this.current = load();
        this.snapshots = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "portcullis-snapshot-" + config.nodeName());
            t.setDaemon(true);
            return t;
        });
        this.replicator = new Replicator(store, this::catchUp, config.pollInterval(), config.nodeName());
    }

    /**
     * Opens the store named by {@code config}, loads the latest snapshot and the log after it, and
     * starts replication. Fails with {@link StoreException} naming the store when it is corrupt,
     * truncated or unreachable.
     */
    public static IamState open(StateConfig config) {
        Keyring keyring = config.keyring().orElseGet(() -> Keyring.loadOrCreate(config.keyringFile()));
        Store store = switch (config.backend()) {
            case SQLITE -> SqliteStore.open(config.sqliteFile());
            case POSTGRES -> PostgresStore.open(config.jdbcUrl(), config.schema(), config.poolSize());
        };
        try {
            IamState state = new IamState(config, store, keyring);
            state.replicator.start();
            LOG.info("state {} opened at sequence {} from {}", config.nodeName(), state.appliedSequence(),
                    store.location());
            return state;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The current snapshot of the model: a volatile read, never blocks. */
    public IamView view() {
        return current;
    }

    /** The last log sequence this node has applied. */
    public long appliedSequence() {
        return current.sequence();
    }

    /**
     * Validates {@code change} against the current model, appends it to the log and applies it.
     * When another writer took the sequence, catches up and tries again. Returns once the change
     * is durable and visible in {@link #view()}.
     */
    public Applied apply(Change change) throws IamException {
        return apply(change, null);
    }

    /** {@link #apply(Change)}, recording {@code actor} (the caller's principal ARN) in the log. */
    public Applied apply(Change change, String actor) throws IamException {
        String payload = ChangeCodec.encode(change);
        synchronized (writeLock) {
            while (true) {
                catchUpLocked();
                IamView view = current;
                long seq = view.sequence() + 1;
                IamView next = applier.apply(view, change, seq);
                try {
                    store.append(seq, change.type(), payload, actor);
                } catch (SequenceConflictException lost) {
                    continue;
                }
                current = next;
                if (seq % config.snapshotEvery() == 0) {
                    snapshots.execute(() -> writeSnapshot(next));
                }
                notifyListener(seq, change, actor);
                return new Applied(seq, next);
            }
        }
    }

    /**
     * Sets (or with null removes) the one {@link ChangeListener} told of each change this node applies.
     */
    public void onApplied(ChangeListener l) {
        this.listener = l;
    }

    private void notifyListener(long seq, Change change, String actor) {
        ChangeListener l = listener;
        if (l == null) {
            return;
        }
        try {
            l.applied(seq, change, actor);
        } catch (RuntimeException e) {
            LOG.error("change listener failed for sequence {} ({}): {}", seq, change.type(), e.toString());
        }
    }

    /**
     * Stores an access key whose id and secret were chosen outside (the root key from
     * {@code PORTCULLIS_ROOT_ACCESS_KEY_ID}/{@code PORTCULLIS_ROOT_SECRET_ACCESS_KEY}); a null or empty
     * {@code userName} makes it the account root's key. The secret is sealed before it enters the log.
     */
    public long importAccessKey(String accountId, String userName, String accessKeyId, char[] secret)
            throws IamException {
        if (!accessKeyId.matches("AKIA[A-Z0-9]{12,124}")) {
            throw IamException.validation("Access key ids are AKIA followed by 12 to 124 uppercase letters and digits");
        }
        if (secret.length < 16 || secret.length > 128) {
            throw IamException.validation("Secret access keys are 16 to 128 characters long");
        }
        SealedSecret sealed = keyring.seal(secret, accessKeyId);
        return apply(new Change.CreateAccessKey(accountId, userName == null ? "" : userName, accessKeyId, sealed,
                Instant.now())).sequence();
    }

    /** Creates an access key for the account root user; the secret is returned once. */
    public NewAccessKey createRootAccessKey(String accountId) throws IamException {
        return createAccessKey(accountId, "");
    }

    /**
     * Creates an access key for a user: a fresh {@code AKIA…} id and 40-character secret, sealed
     * under the current master key before it enters the log. The secret is returned once.
     */
    public NewAccessKey createAccessKey(String accountId, String userName) throws IamException {
        String id = Ids.accessKeyId();
        char[] secret = Ids.secretAccessKey();
        try {
            SealedSecret sealed = keyring.seal(secret, id);
            Applied a = apply(new Change.CreateAccessKey(accountId, userName, id, sealed, Instant.now()));
            return new NewAccessKey(id, new Secret(secret), a.sequence());
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /** Registers a service principal with its own access key; the secret is returned once. */
    public NewAccessKey createServicePrincipal(String name, String accountId, boolean mayAssertSource)
            throws IamException {
        String id = Ids.accessKeyId();
        char[] secret = Ids.secretAccessKey();
        try {
            SealedSecret sealed = keyring.seal(secret, id);
            Applied a = apply(new Change.CreateServicePrincipal(name, accountId, id, sealed, mayAssertSource,
                    Instant.now()));
            return new NewAccessKey(id, new Secret(secret), a.sequence());
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /**
     * Lazy master-key rotation: re-seals under the current key up to {@code max} secrets still
     * sealed under older keys; returns how many. Call after rotating the keyring (and from time
     * to time); old keys stay in the keyring until no secret uses them. Node keys (the audit
     * signing keys) are re-sealed too.
     */
    public int resealSecrets(int max) throws IamException {
        int done = nodeKeys().reseal(max);
        for (AccessKeyEntry e : staleKeys()) {
            if (done >= max) {
                break;
            }
            char[] clear = e.secret().reveal();
            try {
                String id = e.key().accessKeyId();
                apply(new Change.ResealAccessKey(id, keyring.seal(clear, id)));
                done++;
            } catch (IamException gone) {
                if (!"NoSuchEntity".equals(gone.code())) {
                    throw gone;
                }
            } finally {
                Arrays.fill(clear, '\0');
            }
        }
        return done;
    }

    private List<AccessKeyEntry> staleKeys() {
        return current.accessKeys().stream().filter(e -> keyring.isStale(e.key().sealedSecret())).toList();
    }

    /** How stale "last used" may get before a use is written to the log again. */
    public static final Duration LAST_USED_GRANULARITY = Duration.ofHours(1);

    /**
     * Notes that an access key was used, writing {@code RecordAccessKeyLastUsed} only when the
     * recorded use is older than {@link #LAST_USED_GRANULARITY} or names another service or
     * region, so the request path does not write the log on every request. Returns whether it wrote.
     */
    public boolean recordAccessKeyUse(String accessKeyId, String serviceName, String region, Instant at)
            throws IamException {
        var entry = current.accessKey(accessKeyId);
        if (entry.isEmpty()) {
            return false;
        }
        var last = entry.get().key().lastUsed();
        if (last.isPresent() && last.get().serviceName().equals(serviceName) && last.get().region().equals(region)
                && last.get().lastUsedAt().plus(LAST_USED_GRANULARITY).isAfter(at)) {
            return false;
        }
        apply(new Change.RecordAccessKeyLastUsed(accessKeyId, at, serviceName, region));
        return true;
    }

    /** Like {@link #recordAccessKeyUse}, for a role assumed in {@code region}. */
    public boolean recordRoleUse(String accountId, String roleName, String region, Instant at) throws IamException {
        var role = current.role(accountId, roleName);
        if (role.isEmpty()) {
            return false;
        }
        var last = role.get().lastUsed();
        if (last.isPresent() && last.get().region().equals(region)
                && last.get().lastUsedAt().plus(LAST_USED_GRANULARITY).isAfter(at)) {
            return false;
        }
        apply(new Change.RecordRoleLastUsed(accountId, role.get().roleName(), at, region));
        return true;
    }

    /** Blocks until this node has applied {@code sequence}; false on timeout. */
    public boolean awaitSequence(long sequence, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (current.sequence() < sequence) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
        return true;
    }

    /** Applies whatever other writers appended since this node's sequence. */
    public void catchUp() {
        synchronized (writeLock) {
            catchUpLocked();
        }
    }

    /** Writes a snapshot of the current view now (blocking). */
    public void snapshotNow() {
        writeSnapshot(current);
    }

    /** The durable job queue in this node's store. */
    public JobQueue jobs() {
        return store.jobs();
    }

    public Store store() {
        return store;
    }

    public Keyring keyring() {
        return keyring;
    }

    /** Per-node private keys (the audit signing key), kept in this store sealed with this keyring. */
    public NodeKeys nodeKeys() {
        return new NodeKeys(store, keyring);
    }

    @Override
    public void close() {
        replicator.close();
        snapshots.shutdown();
        try {
            snapshots.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    private void catchUpLocked() {
        IamView view = current;
        while (true) {
            List<LogEntry> entries = store.readAfter(view.sequence(), BATCH);
            if (entries.isEmpty()) {
                break;
            }
            for (LogEntry e : entries) {
                view = replay(view, e);
            }
            current = view;
            if (entries.size() < BATCH) {
                break;
            }
        }
    }

    /**
     * Applies a logged change. It was valid when appended; if it no longer applies (e.g. a
     * stricter policy compiler), the model skips it — failing closed — and says so loudly.
     */
    private IamView replay(IamView view, LogEntry e) {
        if (e.sequence() != view.sequence() + 1) {
            throw new StoreException("change log in " + store.location() + " has a gap: expected sequence "
                    + (view.sequence() + 1) + ", found " + e.sequence());
        }
        Change change;
        try {
            change = ChangeCodec.decode(e.payload());
        } catch (IllegalStateException bad) {
            throw new StoreException("change log entry " + e.sequence() + " in " + store.location()
                    + " is unreadable: " + bad.getMessage(), bad);
        }
        try {
            return applier.apply(view, change, e.sequence());
        } catch (IamException rejected) {
            LOG.error("change log entry {} ({}) no longer applies and was skipped: {}: {}", e.sequence(),
                    e.changeType(), rejected.code(), rejected.getMessage());
            return applier.skip(view, e.sequence());
        }
    }

    private IamView load() {
        IamView view = IamView.empty();
        var snapshot = store.latestSnapshot();
        if (snapshot.isPresent()) {
            StoredSnapshot s = snapshot.get();
            if (s.format() != SnapshotCodec.FORMAT) {
                throw new StoreException("snapshot " + s.sequence() + " in " + store.location()
                        + " has unknown format " + s.format());
            }
            try {
                view = SnapshotCodec.read(s.data(), applier);
            } catch (IOException | RuntimeException e) {
                throw new StoreException("snapshot " + s.sequence() + " in " + store.location()
                        + " is unreadable: " + e.getMessage(), e);
            }
        }
        current = view;
        catchUpLocked();
        return current;
    }

    private void writeSnapshot(IamView view) {
        try {
            store.saveSnapshot(new StoredSnapshot(view.sequence(), SnapshotCodec.FORMAT, SnapshotCodec.write(view)));
        } catch (RuntimeException e) {
            LOG.warn("snapshot at sequence {} not written to {}: {}", view.sequence(), store.location(),
                    e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "IamState[" + config.nodeName() + ", seq=" + appliedSequence() + ", " + store.location() + "]";
    }
}
