package io.charter.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void itReturnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until("the third poll", () -> polls.incrementAndGet() == 3);
        assertThat(polls).hasValue(3);
    }

    @Test
    void aConditionThatNeverHoldsFailsNamingWhatWasAwaited() {
        assertThatThrownBy(() -> Await.until("a leader", () -> false, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class).hasMessage("timed out waiting for a leader");
    }

    @Test
    void anAnswerThatKeepsFailingIsTheCauseOfTheFailure() {
        IllegalStateException refused = new IllegalStateException("connection refused");
        assertThatThrownBy(() -> Await.untilAnswered("the node", () -> {
            throw refused;
        }, Duration.ofMillis(50), Duration.ofMillis(10)))
                .isInstanceOf(AssertionError.class).hasMessage("timed out waiting for the node").hasCause(refused);
    }

    @Test
    void anExceptionCountsAsNotYet() {
        AtomicInteger polls = new AtomicInteger();
        Await.untilAnswered("the second answer", () -> {
            if (polls.incrementAndGet() == 1) {
                throw new IllegalStateException("still starting");
            }
            return true;
        }, Await.PATIENCE, Duration.ofMillis(1));
        assertThat(polls).hasValue(2);
    }
}
