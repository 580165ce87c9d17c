package dev.portcullis.core.sigv4;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signing keys per (secret, date, region, service), bounded: when full, about half the entries are
 * dropped (keys are cheap to derive again; a day's traffic mostly reuses few keys).
 */
final class SigningKeyCache {

    private final int maxEntries;
    private final ConcurrentHashMap<Key, byte[]> map;

    SigningKeyCache(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must be >= 0");
        }
        this.maxEntries = maxEntries;
        this.map = new ConcurrentHashMap<>(Math.max(16, Math.min(maxEntries, 1024)));
    }

    byte[] signingKey(SigningSecret secret, String date, String region, String service) {
        if (maxEntries == 0) {
            return Crypto.deriveSigningKey(secret, date, region, service);
        }
        Key key = new Key(secret.reveal(), date, region, service);
        byte[] k = map.get(key);
        if (k == null) {
            k = Crypto.deriveSigningKey(secret, date, region, service);
            if (map.size() >= maxEntries) {
                evictHalf();
            }
            map.put(key, k);
        }
        return k;
    }

    int size() {
        return map.size();
    }

    private void evictHalf() {
        int toRemove = Math.max(1, map.size() / 2);
        Iterator<Key> it = map.keySet().iterator();
        while (toRemove-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** Holds the secret only to tell keys apart; deliberately has no toString. */
    private static final class Key {
        private final String secret;
        private final String date;
        private final String region;
        private final String service;
        private final int hash;

        Key(String secret, String date, String region, String service) {
            this.secret = secret;
            this.date = date;
            this.region = region;
            this.service = service;
            this.hash = Objects.hash(secret, date, region, service);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && secret.equals(k.secret) && date.equals(k.date)
                    && region.equals(k.region) && service.equals(k.service);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
