package dev.portcullis.state.replication;

import dev.portcullis.state.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code catchUp} when the store announces new entries and every {@code pollInterval}
 * regardless. Owns two daemon threads: the poller and, for stores with notifications, the
 * listener (which reconnects after a lost connection). {@code catchUp} must be thread-safe.
 */
public final class Replicator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);
    private static final int LISTEN_WAIT_MS = 500;

    private final Store store;
    private final Runnable catchUp;
    private final Duration pollInterval;
    private final Thread poller;
    private final Thread listener;
    private volatile boolean running = true;
    private volatile Connection listening;

    public Replicator(Store store, Runnable catchUp, Duration pollInterval, String nodeName) {
        this.store = store;
        this.catchUp = catchUp;
        this.pollInterval = pollInterval;
        this.poller = new Thread(this::poll, "portcullis-poll-" + nodeName);
        this.poller.setDaemon(true);
        this.listener = store.notifications().isPresent() ? new Thread(this::listen, "portcullis-listen-" + nodeName)
                : null;
        if (listener != null) {
            listener.setDaemon(true);
        }
    }

    public void start() {
        poller.start();
        if (listener != null) {
            listener.start();
        }
    }

    private void poll() {
        while (running) {
            try {
                Thread.sleep(pollInterval.toMillis());
                catchUp.run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("catching up from {} failed: {}", store.location(), e.getMessage());
            }
        }
    }

    private void listen() {
        Store.NotificationSource source = store.notifications().orElseThrow();
        while (running) {
            try (Connection c = source.open()) {
                listening = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + source.channel());
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                catchUp.run(); // anything appended before LISTEN took effect
                while (running) {
                    PGNotification[] got = pg.getNotifications(LISTEN_WAIT_MS);
                    if (got != null && got.length > 0) {
                        catchUp.run();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("listening on {} failed, polling meanwhile: {}", store.location(), e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
        if (listener != null) {
            Connection c = listening;
            if (c != null) {
                try {
                    c.close(); // wakes the listener out of getNotifications
                } catch (SQLException ignored) {
                    // closing is best effort; the listener also exits within LISTEN_WAIT_MS
                }
            }
            try {
                listener.join(LISTEN_WAIT_MS * 3L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
