package io.charter.peer.dissemination;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaseElectionTest {

    private static final Duration TTL = Duration.ofSeconds(10);

    private final MutableClock clock = MutableClock.atNow();
    private final FakeIndex index = new FakeIndex();
    private final FakeHeartbeats heartbeats = new FakeHeartbeats();
    private final Map<String, Long> organizationHeights = new HashMap<>();
    private final AtomicLong height = new AtomicLong(5);
    private final List<Boolean> changes = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicReference<Optional<Long>> ordererHeight =
            new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
    private final LeaseElection election = new LeaseElection("trade", "peer1", index, heartbeats,
            () -> Map.copyOf(organizationHeights), ordererHeight::get, height::get, 10, Duration.ofSeconds(3), clock);

    LeaseElectionTest() {
        election.onLeadershipChange(changes::add);
    }

    @AfterEach
    void close() {
        election.close();
    }

    @Test
    void thePeerLeadsExactlyWhileTheIndexGrantsItTheLease() {
        election.tick();
        assertThat(election.isLeader()).isTrue();
        assertThat(election.leader()).contains("peer1");
        assertThat(election.source()).isEqualTo(LeaseElection.Source.INDEX);

        index.holder = "peer0"; // peer1's lease expired and peer0 took it
        election.tick();
        assertThat(election.isLeader()).isFalse();
        assertThat(election.leader()).contains("peer0");
        assertThat(changes).containsExactly(true, false);
    }

    @Test
    void nobodyLeadsBeforeTheFirstLeaseRound() {
        heartbeats.lead(true);
        assertThat(election.source()).isEqualTo(LeaseElection.Source.STARTING);
        assertThat(election.isLeader()).isFalse();
        assertThat(election.leader()).isEmpty();
    }

    @Test
    void anotherPeersLeaseIsNotAskedAboutUntilItIsAboutToExpire() {
        index.holder = "peer0";
        election.tick();
        int asked = index.acquires;

        clock.advance(Duration.ofSeconds(3));
        election.tick();
        assertThat(index.acquires).as("peer0's lease runs 7 s more").isEqualTo(asked);
        assertThat(election.leader()).contains("peer0");

        clock.advance(Duration.ofSeconds(5));
        election.tick();
        assertThat(index.acquires).as("it ends within the next round: ask").isEqualTo(asked + 1);
    }

    @Test
    void aFollowerLeftStandingFarBehindTheOrderersByTheHolderPullsItselfUntilItCatchesUp() {
        index.holder = "peer0";
        ordererHeight.set(Optional.of(100L));
        election.tick();
        assertThat(election.isLeader()).isFalse();

        // peer0 renews its lease but passes nothing on: peer1 stands at 5 (still far behind at the 10th round: 27 s)
        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofSeconds(3));
            election.tick();
        }
        assertThat(election.isLeader()).isFalse();
        for (int i = 0; i < 2; i++) {
            clock.advance(Duration.ofSeconds(3));
            election.tick();
        }
        assertThat(election.isLeader()).as("stood still for 30 s, 95 blocks behind").isTrue();
        assertThat(election.leader()).as("the lease is still peer0's").contains("peer0");

        height.set(95);
        clock.advance(Duration.ofSeconds(3));
        election.tick();
        assertThat(election.isLeader()).as("within 10 blocks of the orderers again").isFalse();
        assertThat(changes).containsExactly(true, false);
    }

    @Test
    void aFollowerThatMovesHoweverSlowlyOrKeepsUpLeavesTheLeadToTheHolder() {
        index.holder = "peer0";
        ordererHeight.set(Optional.of(100L));
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(3));
            height.incrementAndGet();
            election.tick();
        }
        assertThat(election.isLeader()).as("moving: the holder passes blocks on").isFalse();

        ordererHeight.set(Optional.of(height.get() + 10));
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(3));
            election.tick();
        }
        assertThat(election.isLeader()).as("standing still but within 10 blocks").isFalse();

        ordererHeight.set(Optional.empty());
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(3));
            election.tick();
        }
        assertThat(election.isLeader()).as("the orderers' height unknown").isFalse();
        assertThat(changes).isEmpty();
    }

    @Test
    void whileTheIndexAnswersTheHeartbeatElectionDoesNotMakeALeader() {
        index.holder = "peer0";
        heartbeats.lead(true);
        election.tick();
        assertThat(election.isLeader()).isFalse();
        assertThat(election.leader()).contains("peer0");
        assertThat(changes).isEmpty();
    }

    @Test
    void aHolderKeepsLeadingThroughAnOutageUntilItsLeaseWouldHaveExpiredThenFollowsTheHeartbeats() {
        election.tick();
        assertThat(election.isLeader()).isTrue();

        index.reachable = false;
        clock.advance(Duration.ofSeconds(5));
        election.tick();
        assertThat(election.isLeader()).as("the lease lasts 5 s more").isTrue();
        assertThat(election.source()).isEqualTo(LeaseElection.Source.INDEX);

        clock.advance(Duration.ofSeconds(6));
        election.tick();
        assertThat(election.source()).isEqualTo(LeaseElection.Source.FALLBACK);
        assertThat(election.isLeader()).as("the heartbeat election picked another peer").isFalse();
        assertThat(election.leader()).contains("peer0");

        heartbeats.lead(true);
        election.tick();
        assertThat(election.isLeader()).isTrue();
        assertThat(changes).containsExactly(true, false, true);
    }

    @Test
    void aPeerThatNeverReachedTheIndexFollowsTheHeartbeatElectionAndTheLeaseAgainWhenTheIndexAnswers() {
        index.reachable = false;
        heartbeats.lead(true);
        election.tick();
        assertThat(election.source()).isEqualTo(LeaseElection.Source.FALLBACK);
        assertThat(election.isLeader()).isTrue();

        index.reachable = true;
        index.holder = "peer0";
        election.tick();
        assertThat(election.source()).isEqualTo(LeaseElection.Source.INDEX);
        assertThat(election.isLeader()).isFalse();
        assertThat(changes).containsExactly(true, false);
    }

    @Test
    void aRefusalFromTheIndexCountsAsNoLeaseAndTheHeartbeatElectionDecides() {
        index.refusal = "CHANNEL_NOT_SERVED";
        heartbeats.lead(true);
        election.tick();
        assertThat(election.source()).isEqualTo(LeaseElection.Source.FALLBACK);
        assertThat(election.isLeader()).isTrue();
    }

    @Test
    void aPeerFarBehindItsOrganizationReleasesTheLeaseAndDoesNotAskAgainUntilCaughtUp() {
        election.tick();
        assertThat(election.isLeader()).isTrue();

        organizationHeights.put("peer0", 100L);
        election.tick();
        assertThat(election.isLeader()).isFalse();
        assertThat(index.released).containsExactly("trade");
        int asked = index.acquires;
        election.tick();
        assertThat(index.acquires).as("no acquire while behind").isEqualTo(asked);

        height.set(95);
        election.tick();
        assertThat(index.acquires).isEqualTo(asked + 1);
        assertThat(election.isLeader()).isTrue();
    }

    @Test
    void closingReleasesAHeldLeaseAndStopsLeading() {
        election.tick();
        election.close();
        assertThat(index.released).containsExactly("trade");
        assertThat(election.isLeader()).isFalse();
        assertThat(changes).containsExactly(true, false);
    }

    @Test
    void closingDoesNotWaitLongerThanItsBoundForAnIndexThatHangs() throws Exception {
        election.tick();
        java.util.concurrent.CountDownLatch hang = new java.util.concurrent.CountDownLatch(1);
        index.hangOnRelease = hang;
        // a guard against hanging forever, not a measurement: close returns while the release still hangs
        java.util.concurrent.CompletableFuture.runAsync(election::close).get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(hang.getCount()).as("the release still hangs: close did not wait for it").isEqualTo(1);
        hang.countDown();
        assertThat(election.isLeader()).isFalse();
    }

    @Test
    void closingReleasesNothingTheIndexDidNotGrant() {
        index.holder = "peer0";
        election.tick();
        election.close();
        assertThat(index.released).isEmpty();
    }

    /** The index: grants the lease to {@code holder} (the caller when null). */
    private final class FakeIndex implements LeaseElection.Leases {
        volatile String holder;
        volatile boolean reachable = true;
        volatile String refusal;
        volatile java.util.concurrent.CountDownLatch hangOnRelease;
        final List<String> released = new ArrayList<>();
        int acquires;

        @Override
        public LeaseElection.Lease acquire(String channelId) {
            acquires++;
            if (!reachable) {
                throw new IllegalStateException("the membership service at https://membership:7054 is unreachable");
            }
            if (refusal != null) {
                throw new IllegalStateException(refusal);
            }
            String now = holder == null ? "peer1" : holder;
            return new LeaseElection.Lease(now.equals("peer1"), now, clock.instant().plus(TTL));
        }

        @Override
        public void release(String channelId) {
            if (hangOnRelease != null) {
                try {
                    hangOnRelease.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (!reachable) {
                throw new IllegalStateException("unreachable");
            }
            released.add(channelId);
        }
    }

    /** The heartbeat election: leads when told; otherwise peer0 leads. */
    private static final class FakeHeartbeats implements LeaderElection {
        private volatile boolean leading;
        private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();

        void lead(boolean lead) {
            if (leading != lead) {
                leading = lead;
                listeners.forEach(l -> l.accept(lead));
            }
        }

        @Override
        public void start() {}

        @Override
        public boolean isLeader() {
            return leading;
        }

        @Override
        public Optional<String> leader() {
            return Optional.of(leading ? "peer1" : "peer0");
        }

        @Override
        public void onLeadershipChange(Consumer<Boolean> listener) {
            listeners.add(listener);
        }

        @Override
        public void close() {}
    }
}
