package dev.portcullis.core.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;

/** Typed parsing of condition values (policy side at compile time, request side per request). */
final class ConditionValues {

    private ConditionValues() {}

    static BigDecimal number(String s) {
        String t = s.trim();
        if (t.isEmpty() || t.length() > 64) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return null;
            }
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** Epoch milliseconds of an ISO 8601 date/time or of epoch seconds; null when neither. */
    static Long date(String s) {
        String t = s.trim();
        if (t.isEmpty() || t.length() > 64) {
            return null;
        }
        if (t.chars().allMatch(Character::isDigit)) {
            if (t.length() > 15) {
                return null;
            }
            return Long.parseLong(t) * 1000L;
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // fall through to the other ISO 8601 shapes
        }
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static Boolean bool(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true")) {
            return Boolean.TRUE;
        }
        if (t.equals("false")) {
            return Boolean.FALSE;
        }
        return null;
    }

    static byte[] binary(String s) {
        try {
            return Base64.getDecoder().decode(s.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
