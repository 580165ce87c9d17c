package dev.portcullis.state.jobs;

import dev.portcullis.state.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job queue on the store's database. With {@code skipLocked} (PostgreSQL) claims pick rows
 * with {@code FOR UPDATE SKIP LOCKED}, so concurrent claimers never wait on or share a job; without
 * it (SQLite, whose connections begin transactions {@code IMMEDIATE}) the claim transaction holds
 * the database's single write lock, which has the same effect.
 *
 * <p>A job enqueued with a maximum age carries its deadline ({@code expires_at}) and the window's
 * length ({@code max_age_ms}, so a redrive can start a new window of the same length). Time comes
 * from the queue's clock, the same for enqueue, claim, failure and redrive.
 */
public final class JdbcJobQueue implements JobQueue {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcJobQueue.class);
    private static final long MAX_BACKOFF_MS = Duration.ofHours(1).toMillis();
    private static final int MAX_ERROR_CHARS = 2000;
    /** The most expired jobs one claim dead-letters (the rest go at the next claim), so a claim stays short. */
    private static final int MAX_EXPIRED_PER_CLAIM = 1000;
    private static final String COLUMNS = "id, queue, payload, status, attempts, max_attempts, run_at, lease_owner, "
            + "last_error, created_at, expires_at, owner, topic, label, summary, topic_version";
    /** Jobs of a queue (parameter 1) that are pending and due, or running with an expired lease (both: now). */
    private static final String READY = "queue = ? AND ((status = 'PENDING' AND run_at <= ?) "
            + "OR (status = 'RUNNING' AND lease_until < ?))";
    private static final String INFO_COLUMNS = "id, queue, owner, topic, label, summary, status, attempts, max_attempts, "
            + "last_error, created_at, updated_at, topic_version";
    /**
     * Narrows a filter to a topic version (parameter: the version): jobs of that version, and jobs enqueued
     * without one, which keep matching any version.
     */
    private static final String VERSION = " AND (topic_version IS NULL OR topic_version = ?)";

    private final DataSource data;
    private final boolean skipLocked;
    private final Clock clock;

    public JdbcJobQueue(DataSource data, boolean skipLocked) {
        this(data, skipLocked, Clock.systemUTC());
    }

    public JdbcJobQueue(DataSource data, boolean skipLocked, Clock clock) {
        this.data = data;
        this.skipLocked = skipLocked;
        this.clock = clock;
    }

    /** The same queue, reading time from {@code clock} (tests move time without sleeping). */
    public JdbcJobQueue withClock(Clock clock) {
        return new JdbcJobQueue(data, skipLocked, clock);
    }

    @Override
    public String enqueue(String queue, byte[] payload, int maxAttempts, JobOwner owner, Duration maxAge) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive");
        }
        String id = UUID.randomUUID().toString();
        long now = clock.millis();
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO jobs (id, queue, payload, status, attempts, "
                     + "max_attempts, run_at, created_at, updated_at, owner, topic, label, summary, expires_at, "
                     + "max_age_ms, topic_version) VALUES (?, ?, ?, 'PENDING', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, queue);
            s.setBytes(3, payload);
            s.setInt(4, maxAttempts);
            s.setLong(5, now);
            s.setLong(6, now);
            s.setLong(7, now);
            s.setString(8, owner.account());
            s.setString(9, owner.topic());
            s.setString(10, owner.label());
            s.setString(11, owner.summary());
            if (maxAge == null) {
                s.setNull(12, java.sql.Types.BIGINT);
                s.setNull(13, java.sql.Types.BIGINT);
            } else {
                s.setLong(12, now + maxAge.toMillis());
                s.setLong(13, maxAge.toMillis());
            }
            if (owner.topicVersion() == null) {
                s.setNull(14, java.sql.Types.BIGINT);
            } else {
                s.setLong(14, owner.topicVersion());
            }
            s.executeUpdate();
            return id;
        } catch (SQLException e) {
            throw new StoreException("cannot enqueue job: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Job> claim(String queue, String worker, int limit, Duration lease) {
        long now = clock.millis();
        String select = "SELECT id FROM jobs WHERE " + READY + " AND (expires_at IS NULL OR expires_at > ?) "
                + "ORDER BY run_at, id LIMIT ?" + (skipLocked ? " FOR UPDATE SKIP LOCKED" : "");
        int[] expired = new int[1];
        List<Job> claimed = inTransaction("claim jobs", c -> {
            expired[0] = expire(c, queue, now);
            List<String> ids = ready(c, select, queue, now, limit);
            List<Job> out = new ArrayList<>();
            try (PreparedStatement u = c.prepareStatement("UPDATE jobs SET status = 'RUNNING', "
                    + "attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?")) {
                for (String id : ids) {
                    u.setString(1, worker);
                    u.setLong(2, now + lease.toMillis());
                    u.setLong(3, now);
                    u.setString(4, id);
                    u.executeUpdate();
                }
            }
            for (String id : ids) {
                find(c, id).ifPresent(out::add);
            }
            return out;
        });
        if (expired[0] > 0) {
            LOG.warn("{} jobs of queue {} dead-lettered without delivery: {}", expired[0], queue, AGE_EXCEEDED);
        }
        return claimed;
    }

    @Override
    public void complete(String jobId) {
        update("UPDATE jobs SET status = 'SUCCEEDED', lease_owner = NULL, lease_until = NULL, updated_at = ? "
                + "WHERE id = ?", jobId);
    }

    /**
     * Dead-letters up to {@value #MAX_EXPIRED_PER_CLAIM} ready jobs of {@code queue} whose deadline has
     * passed, keeping their last failure after the reason; returns how many. They are selected with
     * {@code SKIP LOCKED} where available, like claims, so concurrent claimers never wait on each other.
     */
    private int expire(Connection c, String queue, long now) throws SQLException {
        String select = "SELECT id FROM jobs WHERE " + READY + " AND expires_at <= ? ORDER BY run_at, id LIMIT ?"
                + (skipLocked ? " FOR UPDATE SKIP LOCKED" : "");
        List<String> ids = ready(c, select, queue, now, MAX_EXPIRED_PER_CLAIM);
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement u = c.prepareStatement(giveUp(""))) {
            for (String id : ids) {
                giveUp(u, id, AGE_EXCEEDED, now);
                u.addBatch();
            }
            u.executeBatch();
        }
        return ids.size();
    }

    /**
     * The update that dead-letters a job with a reason in front of its last failure, setting {@code more}
     * (empty, or assignments ending with a comma) too; its parameters are bound by {@link #giveUp(PreparedStatement,
     * String, String, long)}.
     */
    private static String giveUp(String more) {
        return "UPDATE jobs SET status = 'DEAD', last_error = CASE WHEN last_error IS NULL THEN ? ELSE SUBSTR(? || "
                + "last_error, 1, " + MAX_ERROR_CHARS + ") END, " + more + "lease_owner = NULL, lease_until = NULL, "
                + "updated_at = ? WHERE id = ?";
    }

    private static void giveUp(PreparedStatement u, String id, String reason, long now) throws SQLException {
        u.setString(1, reason);
        u.setString(2, reason + "; last error: ");
        u.setLong(3, now);
        u.setString(4, id);
    }

    /** The claim that leased the job was not an attempt: it is taken back, so {@code attempts} counts deliveries. */
    @Override
    public void abandon(String jobId, String reason) {
        try (Connection c = data.getConnection();
             PreparedStatement u = c.prepareStatement(giveUp("attempts = attempts - 1, ") + " AND status = 'RUNNING'")) {
            giveUp(u, jobId, reason, clock.millis());
            u.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot dead-letter job: " + e.getMessage(), e);
        }
    }

    /** The ids {@code select} finds: it filters by {@link #READY} and a deadline (all at {@code now}), then a limit. */
    private static List<String> ready(Connection c, String select, String queue, long now, int limit)
            throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(select)) {
            s.setString(1, queue);
            s.setLong(2, now);
            s.setLong(3, now);
            s.setLong(4, now);
            s.setInt(5, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
        }
        return ids;
    }

    @Override
    public JobStatus fail(String jobId, String error, Duration backoffBase) {
        Job job = find(jobId).orElseThrow(() -> new StoreException("no job " + jobId));
        long now = clock.millis();
        long delay = Math.min(MAX_BACKOFF_MS, backoffBase.toMillis() << Math.min(30, Math.max(0, job.attempts() - 1)));
        boolean dead = job.attempts() >= job.maxAttempts();
        String reason = error;
        if (!dead && job.expiresAt().isPresent() && now + delay >= job.expiresAt().get().toEpochMilli()) {
            // The retry would be due at or after the deadline, when it could no longer run: give up now.
            dead = true;
            reason = AGE_EXCEEDED + (error == null ? "" : "; last error: " + error);
        }
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE jobs SET status = ?, run_at = ?, last_error = ?, "
                     + "lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ?")) {
            s.setString(1, dead ? "DEAD" : "PENDING");
            s.setLong(2, dead ? job.runAt().toEpochMilli() : now + delay);
            s.setString(3, reason == null ? null : reason.substring(0, Math.min(MAX_ERROR_CHARS, reason.length())));
            s.setLong(4, now);
            s.setString(5, jobId);
            s.executeUpdate();
            return dead ? JobStatus.DEAD : JobStatus.PENDING;
        } catch (SQLException e) {
            throw new StoreException("cannot record job failure: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Job> find(String jobId) {
        try (Connection c = data.getConnection()) {
            return find(c, jobId);
        } catch (SQLException e) {
            throw new StoreException("cannot read job: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Job> dead(String queue, int limit) {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE queue = ? AND "
                     + "status = 'DEAD' ORDER BY created_at, id LIMIT ?")) {
            s.setString(1, queue);
            s.setInt(2, limit);
            List<Job> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(row(r));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read dead jobs: " + e.getMessage(), e);
        }
    }

    @Override
    public List<JobInfo> deadLetters(String queue, JobOwner owner, JobInfo.Cursor after, int limit) {
        String sql = "SELECT " + INFO_COLUMNS + " FROM jobs WHERE queue = ? AND owner = ? AND topic = ? AND status = 'DEAD'"
                + (owner.label() != null ? " AND label = ?" : "") + (owner.topicVersion() != null ? VERSION : "")
                + (after != null ? " AND (created_at > ? OR (created_at = ? AND id > ?))" : "")
                + " ORDER BY created_at, id LIMIT ?";
        try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = filter(s, queue, owner);
            if (after != null) {
                s.setLong(i++, after.createdAtMillis());
                s.setLong(i++, after.createdAtMillis());
                s.setString(i++, after.id());
            }
            s.setInt(i, Math.max(0, limit));
            List<JobInfo> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(info(r));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list dead jobs: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> redrive(String queue, JobOwner owner, Collection<String> jobIds) {
        return inTransaction("redrive jobs", c -> redrive(c, queue, owner, new LinkedHashSet<>(jobIds), clock.millis()));
    }

    @Override
    public List<String> redriveAll(String queue, JobOwner owner, int limit) {
        String select = "SELECT id FROM jobs WHERE queue = ? AND owner = ? AND topic = ? AND status = 'DEAD'"
                + (owner.label() != null ? " AND label = ?" : "") + (owner.topicVersion() != null ? VERSION : "")
                + " ORDER BY created_at, id LIMIT ?";
        return inTransaction("redrive jobs", c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(select)) {
                int i = filter(s, queue, owner);
                s.setInt(i, Math.max(0, Math.min(limit, MAX_REDRIVE_BATCH)));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                    }
                }
            }
            return redrive(c, queue, owner, ids, clock.millis());
        });
    }

    /** Work on one connection inside a transaction. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    private <T> T inTransaction(String what, Work<T> work) {
        try (Connection c = data.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moves each dead job among {@code ids} that matches the filter back to pending, with a new age
     * window of its old length starting {@code now}; the status condition in the update makes a
     * concurrent redrive of the same job count once.
     */
    private static List<String> redrive(Connection c, String queue, JobOwner owner, Collection<String> ids, long now)
            throws SQLException {
        List<String> done = new ArrayList<>();
        try (PreparedStatement u = c.prepareStatement("UPDATE jobs SET status = 'PENDING', attempts = 0, run_at = ?, "
                + "expires_at = CASE WHEN max_age_ms IS NULL THEN NULL ELSE ? + max_age_ms END, "
                + "last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND queue = ? "
                + "AND owner = ? AND topic = ? AND status = 'DEAD'" + (owner.label() != null ? " AND label = ?" : "")
                + (owner.topicVersion() != null ? VERSION : ""))) {
            for (String id : ids) {
                u.setLong(1, now);
                u.setLong(2, now);
                u.setLong(3, now);
                u.setString(4, id);
                u.setString(5, queue);
                u.setString(6, owner.account());
                u.setString(7, owner.topic());
                int i = 8;
                if (owner.label() != null) {
                    u.setString(i++, owner.label());
                }
                if (owner.topicVersion() != null) {
                    u.setLong(i, owner.topicVersion());
                }
                if (u.executeUpdate() == 1) {
                    done.add(id);
                }
            }
        }
        return done;
    }

    /**
     * Binds queue, owner, topic and (when set) label and topic version from parameter 1; returns the next
     * parameter's index.
     */
    private static int filter(PreparedStatement s, String queue, JobOwner owner) throws SQLException {
        if (owner.account() == null || owner.topic() == null) {
            throw new IllegalArgumentException("a job filter names an account and a topic");
        }
        s.setString(1, queue);
        s.setString(2, owner.account());
        s.setString(3, owner.topic());
        int i = 4;
        if (owner.label() != null) {
            s.setString(i++, owner.label());
        }
        if (owner.topicVersion() != null) {
            s.setLong(i++, owner.topicVersion());
        }
        return i;
    }

    private static JobInfo info(ResultSet r) throws SQLException {
        return new JobInfo(r.getString(1), r.getString(2),
                new JobOwner(r.getString(3), r.getString(4), r.getString(5), r.getString(6), version(r, 13)),
                JobStatus.valueOf(r.getString(7)), r.getInt(8), r.getInt(9), Optional.ofNullable(r.getString(10)),
                Instant.ofEpochMilli(r.getLong(11)), Instant.ofEpochMilli(r.getLong(12)));
    }

    private Optional<Job> find(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
        }
    }

    private void update(String sql, String id) {
        try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, clock.millis());
            s.setString(2, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot update job: " + e.getMessage(), e);
        }
    }

    private static Job row(ResultSet r) throws SQLException {
        return new Job(r.getString(1), r.getString(2), r.getBytes(3), JobStatus.valueOf(r.getString(4)), r.getInt(5),
                r.getInt(6), Instant.ofEpochMilli(r.getLong(7)), Optional.ofNullable(r.getString(8)),
                Optional.ofNullable(r.getString(9)), Instant.ofEpochMilli(r.getLong(10)),
                Optional.ofNullable(r.getObject(11) == null ? null : Instant.ofEpochMilli(r.getLong(11))),
                new JobOwner(r.getString(12), r.getString(13), r.getString(14), r.getString(15), version(r, 16)));
    }

    private static Long version(ResultSet r, int column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? null : v;
    }
}
