package dev.portcullis.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses the times the CLI accepts: SigV4 basic ISO-8601 ({@code 20150830T123600Z}) or ISO-8601 instants. */
final class Dates {

    private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private Dates() {
    }

    static Instant parse(String s) {
        try {
            return LocalDateTime.parse(s, BASIC).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
