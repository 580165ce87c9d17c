package dev.portcullis.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionValuesTest {

    @Property(tries = 300)
    void canonicalUtcTimesParseLikeInstant(@ForAll @LongRange(min = 0, max = 253_402_300_799L) long epochSecond) {
        Instant t = Instant.ofEpochSecond(epochSecond);
        String text = AuthorizationRequest.iso8601(t);
        assertThat(text).isEqualTo(t.toString());
        assertThat(ConditionValues.date(text)).isEqualTo(t.toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01X00:00:00Z", "tomorrow", ""})
    void rejectsImpossibleDates(String text) {
        assertThat(ConditionValues.date(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-06-01T12:00:00+02:00", "2024-06-01T10:00:00.000Z", "2024-06-01T10:00:00", "1717236000"})
    void acceptsOtherIso8601ShapesAndEpochSeconds(String text) {
        assertThat(ConditionValues.date(text)).isEqualTo(Instant.parse("2024-06-01T10:00:00Z").toEpochMilli());
    }
}
