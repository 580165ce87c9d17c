package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void idsAreDistinctVersion4UuidsInTheirUsualFormAcrossManyRefillsOfTheBuffer() {
        Set<String> seen = new HashSet<>();
        int[] nibbleCounts = new int[16];
        for (int i = 0; i < 20_000; i++) {
            String id = RequestIds.uuid();
            UUID u = UUID.fromString(id);
            assertThat(u.toString()).isEqualTo(id);
            assertThat(u.version()).isEqualTo(4);
            assertThat(u.variant()).isEqualTo(2);
            assertThat(seen.add(id)).as("id %d is new", i).isTrue();
            nibbleCounts[Character.digit(id.charAt(0), 16)]++;
        }
        // The random bits are not stuck: every leading hex digit turns up, none more than twice its share.
        for (int count : nibbleCounts) {
            assertThat(count).isBetween(1, 2 * 20_000 / 16);
        }
    }
}
