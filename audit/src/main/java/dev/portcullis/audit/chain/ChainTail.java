package dev.portcullis.audit.chain;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a node's stored chain ends, as a sink finds it on start: the last record, the last
 * digest, and the time of the first record after that digest (the start of the range the next
 * digest will cover). {@code discardedBytes} counts an incomplete last line a crash left behind
 * and the sink cut off; the restart marker records it.
 */
public record ChainTail(Optional<ChainRecord> last, Optional<Digest> lastDigest,
        Optional<Instant> firstUndigestedTime, long discardedBytes) {

    public static ChainTail empty() {
        return new ChainTail(Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    public boolean isEmpty() {
        return last.isEmpty();
    }
}
