package dev.portcullis.audit.event;

import java.time.Instant;

/**
 * {@link Instant#toString()} (ISO-8601, UTC, fraction in groups of three digits as needed) without the
 * {@code DateTimeFormatter} machinery, for instants from 1970 to 9999 (others go through
 * {@code toString()}). Audit events carry two or three instants and the gateway writes one event per
 * request. Tests compare it with {@code toString()} over random instants. Thread-safe.
 */
public final class IsoInstant {

    private static final long MAX_FAST_SECOND = 253_402_300_800L; // 10000-01-01T00:00:00Z

    private IsoInstant() {}

    public static String format(Instant t) {
        byte[] b = new byte[MAX_LENGTH];
        int n = format(t, b, 0);
        return n < 0 ? t.toString() : new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The most bytes {@link #format(Instant, byte[], int)} writes. */
    public static final int MAX_LENGTH = 30;

    /**
     * Writes {@link #format(Instant)} as ASCII into {@code b} at {@code at} (room for {@link #MAX_LENGTH}
     * bytes needed) and returns the position after it; returns -1, writing nothing, for instants outside
     * 1970–9999, which only {@code toString()} formats.
     */
    public static int format(Instant t, byte[] b, int at) {
        long seconds = t.getEpochSecond();
        if (seconds < 0 || seconds >= MAX_FAST_SECOND) {
            return -1;
        }
        int nano = t.getNano();
        long days = seconds / 86_400;
        int secondOfDay = (int) (seconds % 86_400);
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm, proleptic Gregorian).
        long z = days + 719_468;
        long era = z / 146_097;
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        digits(b, at, year, 4);
        b[at + 4] = '-';
        digits(b, at + 5, month, 2);
        b[at + 7] = '-';
        digits(b, at + 8, day, 2);
        b[at + 10] = 'T';
        digits(b, at + 11, secondOfDay / 3_600, 2);
        b[at + 13] = ':';
        digits(b, at + 14, secondOfDay / 60 % 60, 2);
        b[at + 16] = ':';
        digits(b, at + 17, secondOfDay % 60, 2);
        at += 19;
        if (nano != 0) {
            b[at++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(b, at, nano / 1_000_000, 3);
                at += 3;
            } else if (nano % 1_000 == 0) {
                digits(b, at, nano / 1_000, 6);
                at += 6;
            } else {
                digits(b, at, nano, 9);
                at += 9;
            }
        }
        b[at++] = 'Z';
        return at;
    }

    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
