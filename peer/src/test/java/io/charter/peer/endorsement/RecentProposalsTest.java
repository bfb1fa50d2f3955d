package io.charter.peer.endorsement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The memory of tx ids that stops replayed proposals: bounded by the window in time and by its capacity in count. */
class RecentProposalsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void aTxIdSeenWithinTheWindowIsAReplay() {
        RecentProposals recent = new RecentProposals(1_000, 10);

        assertThat(recent.firstTime("a", T0)).isTrue();
        assertThat(recent.firstTime("a", T0)).isFalse();
        assertThat(recent.firstTime("b", T0)).isTrue();
    }

    @Test
    void aTxIdIsRememberedForTheWholeWindowAndForgottenAfterIt() {
        RecentProposals recent = new RecentProposals(1_000, 10);
        recent.firstTime("a", T0);

        assertThat(recent.firstTime("a", T0.plusMillis(1_000))).as("at the window's edge").isFalse();
        assertThat(recent.firstTime("a", T0.plusMillis(1_001))).as("past the window").isTrue();
    }

    @Test
    void expiryStopsAtTheFirstTxIdStillInTheWindow() {
        RecentProposals recent = new RecentProposals(1_000, 10);
        recent.firstTime("old", T0);
        recent.firstTime("newer", T0.plusMillis(500));

        // "old" expires; "newer" (at 500 ms, 1,000 ms old at 1,500) stays, and so does everything after it.
        assertThat(recent.firstTime("probe", T0.plusMillis(1_500))).isTrue();
        assertThat(recent.firstTime("newer", T0.plusMillis(1_500))).isFalse();
        assertThat(recent.firstTime("old", T0.plusMillis(1_500))).isTrue();
    }

    @Test
    void atCapacityTheOldestAreForgottenFirst() {
        RecentProposals recent = new RecentProposals(60_000, 2);
        recent.firstTime("a", T0);
        recent.firstTime("b", T0);

        assertThat(recent.firstTime("c", T0)).isTrue(); // full: "a" makes room
        assertThat(recent.firstTime("b", T0)).as("b is still remembered").isFalse();
        assertThat(recent.firstTime("a", T0)).as("a was forgotten to make room").isTrue();
    }
}
