package dev.portcullis.server.http;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for request and event ids, from a {@code DRBG} {@link SecureRandom} per thread.
 * {@link UUID#randomUUID()} shares one {@code NativePRNG} behind a lock and reads {@code /dev/urandom}
 * every couple of ids; the gateway needs two ids per request on every event loop. Same strength, no
 * shared lock, no system call once a thread's generator is seeded. Thread-safe.
 */
public final class RequestIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    });
    private static final ThreadLocal<byte[]> BYTES = ThreadLocal.withInitial(() -> new byte[16]);

    private RequestIds() {
    }

    /** A new random UUID, formatted as {@link UUID#toString()} formats it. */
    public static String uuid() {
        byte[] b = BYTES.get();
        RANDOM.get().nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xff);
            lsb = (lsb << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }
}
