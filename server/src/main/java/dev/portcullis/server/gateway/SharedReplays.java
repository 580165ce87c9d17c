package dev.portcullis.server.gateway;

import dev.portcullis.state.replay.SignatureLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide half of replay protection, for routes that opt in and only on a PostgreSQL store:
 * after this node's {@link ReplayGuard} saw a signature for the first time, one insert into the
 * store's {@code replay_signatures} table (on a worker thread) asks whether any node saw it. The key is
 * the SHA-256 of the access key id and the string to sign, so the table holds no request data. Expired
 * rows are purged every minute, a batch at a time, by every node (deletes of the same rows are harmless).
 */
final class SharedReplays {

    private static final Logger LOG = LoggerFactory.getLogger(SharedReplays.class);
    static final Duration PURGE_EVERY = Duration.ofMinutes(1);
    static final int PURGE_BATCH = 10_000;

    private final Vertx vertx;
    private final SignatureLedger ledger;
    private long timer = -1;

    SharedReplays(Vertx vertx, SignatureLedger ledger) {
        this.vertx = vertx;
        this.ledger = ledger;
    }

    void start() {
        timer = vertx.setPeriodic(PURGE_EVERY.toMillis(), id -> vertx.executeBlocking(this::purge, false)
                .onFailure(e -> LOG.warn("cannot purge expired replay signatures: {}", e.toString())));
    }

    void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** True when no node of the cluster recorded {@code signatureKey} before; fails when the store does. */
    Future<Boolean> firstUse(String signatureKey, Instant validUntil) {
        String digest = digest(signatureKey);
        return vertx.executeBlocking(() -> ledger.firstUse(digest, validUntil), false);
    }

    private int purge() {
        int total = 0;
        int n;
        do {
            n = ledger.purgeExpired(Instant.now(), PURGE_BATCH);
            total += n;
        } while (n == PURGE_BATCH);
        return total;
    }

    static String digest(String signatureKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(signatureKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
