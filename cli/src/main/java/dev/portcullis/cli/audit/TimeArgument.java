package dev.portcullis.cli.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/** A point in time: an ISO-8601 instant ({@code 2026-11-20T10:00:00Z}) or an age ({@code 90s}, {@code 15m}, {@code 2h}, {@code 7d} ago). */
final class TimeArgument implements CommandLine.ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.matches("\\d+[smhd]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                Duration age = switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                return Instant.now().minus(age);
            }
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is neither an ISO-8601 instant (2026-11-20T10:00:00Z) nor an age (15m, 2h, 7d)");
        }
    }
}
