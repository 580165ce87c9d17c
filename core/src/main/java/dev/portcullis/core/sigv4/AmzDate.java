package dev.portcullis.core.sigv4;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The ISO-8601 basic format SigV4 uses ({@code 20150830T123600Z}) and the RFC 1123 {@code Date} header. */
final class AmzDate {

    private AmzDate() {
    }

    /** Parses {@code yyyyMMdd'T'HHmmss'Z'} strictly; {@code null} when malformed. */
    static Instant parseBasic(String s) {
        if (s == null || s.length() != 16 || s.charAt(8) != 'T' || s.charAt(15) != 'Z') {
            return null;
        }
        for (int i = 0; i < 15; i++) {
            if (i != 8 && (s.charAt(i) < '0' || s.charAt(i) > '9')) {
                return null;
            }
        }
        try {
            return LocalDateTime.of(num(s, 0, 4), num(s, 4, 6), num(s, 6, 8), num(s, 9, 11), num(s, 11, 13),
                    num(s, 13, 15)).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** Parses an RFC 1123 date ({@code Sun, 30 Aug 2015 12:36:00 GMT}); {@code null} when malformed. */
    static Instant parseRfc1123(String s) {
        try {
            return ZonedDateTime.parse(s.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String formatBasic(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(16);
        pad(sb, d.getYear(), 4);
        pad(sb, d.getMonthValue(), 2);
        pad(sb, d.getDayOfMonth(), 2);
        sb.append('T');
        pad(sb, d.getHour(), 2);
        pad(sb, d.getMinute(), 2);
        pad(sb, d.getSecond(), 2);
        return sb.append('Z').toString();
    }

    private static void pad(StringBuilder sb, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(s);
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
