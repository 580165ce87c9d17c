package dev.portcullis.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    @Test
    void acceptsASignatureOnceWhileItIsValid() {
        ReplayGuard guard = new ReplayGuard(10);
        assertThat(guard.firstUse("sig-a", 0, 1_000)).isTrue();
        assertThat(guard.firstUse("sig-a", 10, 1_010)).isFalse();
        assertThat(guard.firstUse("sig-b", 10, 1_010)).isTrue();
    }

    @Test
    void sweepsExpiredEntriesAndFailsClosedWhenFullOfLiveOnes() {
        ReplayGuard guard = new ReplayGuard(2);
        assertThat(guard.firstUse("a", 0, 100)).isTrue();
        assertThat(guard.firstUse("b", 0, 100)).isTrue();
        assertThat(guard.firstUse("c", 50, 150)).as("full of live signatures: refuse").isFalse();
        assertThat(guard.firstUse("c", 200, 300)).as("a and b expired and were swept").isTrue();
        assertThat(guard.size()).isEqualTo(1);
    }
}
