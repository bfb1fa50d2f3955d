package io.charter.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.testing.TestPki;
import io.charter.common.testing.TransportCalls;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.MethodAccess;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import io.charter.common.transport.TransportRefusals;
import io.charter.peer.service.PeerMethods;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerNetwork;
import io.charter.protocol.Block;
import io.charter.protocol.BlockData;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.CommitStatusRequest;
import io.charter.protocol.GetBlocksRequest;
import io.charter.protocol.HeartbeatRequest;
import io.charter.protocol.PushBlockRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Insiders against a real peer over the real transport (issue #12): the access table holds for every
 * method and role, an enrolled client or an organization's admin cannot fetch, push or heartbeat as a
 * peer, and a waiting call cannot be made to hold an unbounded transaction id. Each refusal is checked
 * with its code, and with what it must not have changed (height, state, leader, waiting calls).
 */
class PeerAccessTest extends PeerNetworkTestBase {

    private static final Duration CALL = Duration.ofSeconds(30);

    /** Whether a call got past the transport's access check (the handler answered, whatever it said). */
    private record Outcome(boolean deniedByTable, String detail) {}

    @Test
    void everyMethodAdmitsExactlyTheRolesAndOrganizationsOfItsEntryInTheAccessTable() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 1);
        PeerNode peer = network.start("peer0.Org1");

        assertThat(peer.accessTable()).as("the served methods are the table's").isEqualTo(PeerMethods.ACCESS);

        Map<String, TransportClient> clients = new HashMap<>();
        List<String> seen = new ArrayList<>();
        for (String organization : List.of("Org1", "Org2")) {
            for (Role role : Role.values()) {
                TestPki.Credential tls = network.pki.organization(organization).enrollTls("caller-" + role.label(), role);
                clients.put(organization + "/" + role, network.connect("peer0.Org1", tls));
            }
        }
        for (Map.Entry<String, MethodAccess> entry : PeerMethods.ACCESS.entrySet()) {
            String method = entry.getKey();
            for (String organization : List.of("Org1", "Org2")) {
                for (Role role : Role.values()) {
                    boolean admitted = entry.getValue().roles().contains(role)
                            && (entry.getValue().scope() == MethodAccess.Scope.TRUSTED_ORGANIZATION
                                || organization.equals("Org1"));
                    Outcome outcome = call(clients.get(organization + "/" + role), method);
                    assertThat(outcome.deniedByTable())
                            .as("%s by %s of %s: %s", method, role, organization, outcome.detail())
                            .isEqualTo(!admitted);
                    seen.add(method + " " + role + "@" + organization + " -> " + (admitted ? "handler" : "denied"));
                }
            }
        }
        System.out.printf("peer access table: %d methods x %d roles x 2 organizations checked%n",
                PeerMethods.ACCESS.size(), Role.values().length);
        assertThat(seen).hasSize(PeerMethods.ACCESS.size() * Role.values().length * 2);
        assertThat(peer.transportRefusals(TransportRefusals.Reason.PERMISSION_DENIED))
                .isEqualTo(seen.stream().filter(s -> s.endsWith("denied")).count());
    }

    @Test
    void aClientOrAnAdminOfThePeersOrganizationCannotFetchPushOrHeartbeatAsAPeer() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 2);
        network.startAll();
        network.submit("k", 3);
        long height = network.awaitConverged(Duration.ofSeconds(60));
        ChannelPeer target = network.peer("peer0.Org1");
        String stateBefore = network.stateHash("peer0.Org1");
        Optional<String> leaderBefore = target.election().leader();

        for (Role role : List.of(Role.CLIENT, Role.ADMIN)) {
            TestPki.Credential tls = network.pki.organization("Org1").enrollTls("insider-" + role.label(), role);
            TransportClient insider = network.connect("peer0.Org1", tls);

            Outcome blocks = call(insider, PeerMethodNames.GET_BLOCKS, GetBlocksRequest.newBuilder()
                    .setChannelId(ChannelFixture.CHANNEL).setFromNumber(0).setToNumber(2).build().toByteString());
            assertThat(blocks.deniedByTable()).as(blocks.detail()).isTrue();

            // a block at the peer's height, 10 MB: refused before a byte of it is parsed or validated
            Block big = Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(height))
                    .setData(BlockData.newBuilder().addEnvelopes(ByteString.copyFrom(new byte[10_000_000])))
                    .build();
            Outcome push = call(insider, PeerMethodNames.PUSH_BLOCK, PushBlockRequest.newBuilder()
                    .setChannelId(ChannelFixture.CHANNEL).setBlock(big.toByteString()).build().toByteString());
            assertThat(push.deniedByTable()).as(push.detail()).isTrue();

            Outcome heartbeat = call(insider, PeerMethodNames.HEARTBEAT, HeartbeatRequest.newBuilder()
                    .setChannelId(ChannelFixture.CHANNEL).setPeerId("insider-" + role.label()).setHeight(height + 100)
                    .build().toByteString());
            assertThat(heartbeat.deniedByTable()).as(heartbeat.detail()).isTrue();
        }
        assertThat(target.height()).isEqualTo(height);
        assertThat(network.stateHash("peer0.Org1")).isEqualTo(stateBefore);
        assertThat(target.election().leader()).isEqualTo(leaderBefore);
        assertThat(target.election().aliveHeights()).doesNotContainKeys("insider-client", "insider-admin");
    }

    @Test
    void aCommitStatusWaitForATransactionIdOfTheWrongShapeIsRefusedBeforeAnythingWaits() throws Exception {
        network = new PeerNetwork(dir, databases, 1, 1);
        network.start("peer0.Org1");
        ChannelPeer target = network.peer("peer0.Org1");
        TransportClient client = network.connect("peer0.Org1",
                network.pki.organization("Org1").enrollTls("client-x", Role.CLIENT));
        long heapBefore = usedHeap();
        List<CompletableFuture<ByteString>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calls.add(client.call(PeerMethodNames.COMMIT_STATUS, CommitStatusRequest.newBuilder()
                    .setChannelId(ChannelFixture.CHANNEL).setTxId("x".repeat(8_000_000)).setWait(true).build().toByteString(),
                    Duration.ofMinutes(5)));
        }
        for (CompletableFuture<ByteString> call : calls) {
            ExecutionException failure = catchThrowableOfType(ExecutionException.class,
                    () -> call.get(60, TimeUnit.SECONDS));
            assertThat(failure).isNotNull();
            TransportException refused = (TransportException) failure.getCause();
            assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(refused.detail()).contains("not a transaction id").hasSizeLessThan(300);
        }
        assertThat(target.events().waiting()).isZero();
        calls.clear();
        System.out.printf("30 waits with 8-million-character ids: all refused, %d waiting, heap (this JVM holds the"
                + " client too) %d MB before and %d MB after%n", target.events().waiting(), heapBefore >> 20, usedHeap() >> 20);
    }

    private static long usedHeap() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Calls {@code method} with a body the handler refuses (if it is ever reached). */
    private static Outcome call(TransportClient client, String method) throws Exception {
        return call(client, method, ByteString.copyFromUtf8("\u0008not a message"));
    }

    private static Outcome call(TransportClient client, String method, ByteString body) throws Exception {
        Optional<Throwable> failure = TransportCalls.failure(client, method, body,
                method.equals(PeerMethodNames.GET_BLOCKS) || method.equals(PeerMethodNames.BLOCK_EVENTS), CALL);
        boolean denied = failure.filter(TransportException.class::isInstance).map(TransportException.class::cast)
                .filter(refused -> refused.code() == ErrorCode.PERMISSION_DENIED
                        && refused.detail().contains(method + " is for "))
                .isPresent();
        return new Outcome(denied, TransportCalls.describe(failure));
    }
}
