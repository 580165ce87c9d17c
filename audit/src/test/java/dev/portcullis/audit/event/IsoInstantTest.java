package dev.portcullis.audit.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

    @Test
    void formatsExactlyAsInstantToString() {
        Random r = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            long seconds = switch (i % 4) {
                case 0 -> r.nextLong() % 253_402_400_000L;                 // any year, some negative, some past 9999
                case 1 -> 1_600_000_000L + r.nextInt(400_000_000);         // around now
                case 2 -> (r.nextInt(10_000) - 10) * 86_400L + r.nextInt(3) - 1; // day boundaries
                default -> 253_402_300_800L + r.nextInt(2_000) - 1_000;    // around the year 10000
            };
            int nano = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> r.nextInt(1_000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1_000;
                default -> r.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nano);
            assertThat(IsoInstant.format(t)).isEqualTo(t.toString());
        }
        for (Instant t : new Instant[] {Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.parse("2000-02-29T23:59:59.999999999Z"),
                Instant.parse("2100-03-01T00:00:00.001Z"), Instant.parse("9999-12-31T23:59:59.000001Z"), Instant.now()}) {
            assertThat(IsoInstant.format(t)).isEqualTo(t.toString());
        }
    }
}
