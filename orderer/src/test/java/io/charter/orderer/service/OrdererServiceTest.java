package io.charter.orderer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.pki.RevokedCertificate;
import io.charter.common.pki.Role;
import io.charter.common.pki.Validity;
import io.charter.common.protocol.ChainVerdict;
import io.charter.common.protocol.ChainVerifier;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.testing.Await;
import io.charter.common.testing.TestChannels;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import io.charter.orderer.blockcutter.CutCause;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.testing.OrdererCluster;
import io.charter.protocol.Block;
import io.charter.protocol.BroadcastReason;
import io.charter.protocol.BroadcastResponse;
import io.charter.protocol.BroadcastStatus;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three whole orderers on loopback (Raft over mutual TLS, the Netty mutual-TLS transport, the
 * broadcast validator) with identities from a test CA: broadcast through leader and follower,
 * deliver of byte-identical blocks, cutting by count/bytes/timeout over the transport, every bad
 * envelope refused with its own reason and in no block, deliver refused outside the channel.
 */
class OrdererServiceTest {

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final long PREFERRED = 12 * 1024;
    private static final long ABSOLUTE = 24 * 1024;

    @TempDir
    static Path dir;

    static OrdererCluster cluster;
    /** A client of ClientOrg that the channel's CRL revokes. */
    static TestPki.Credential revoked;
    static int leader;
    static int follower;
    static TransportClient toLeader;
    static TransportClient toFollower;

    @BeforeAll
    static void start() throws Exception {
        cluster = ServiceClusters.of(dir, 3);
        revoked = cluster.pki().organization("ClientOrg").enroll("revoked1", Role.CLIENT);
        X509CRL crl = cluster.pki().organization("ClientOrg").signingCa().issueCrl(List.of(new RevokedCertificate(
                        revoked.certificate().getSerialNumber(), Instant.now().minusSeconds(60), 1)), BigInteger.ONE,
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        cluster.genesis(10, PREFERRED, ABSOLUTE, Duration.ofMillis(1000), config -> config
                .setOrganizations(1, config.getOrganizations(1).toBuilder().addCrls(TestChannels.der(crl)))
                .putPolicies("Writers", "OR('ClientOrg.client', 'ClientOrg.admin')"));
        cluster.startAll();
        leader = cluster.awaitLeader();
        follower = (leader + 1) % 3;
        toLeader = cluster.connect(leader, cluster.clientTls());
        toFollower = cluster.connect(follower, cluster.clientTls());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static BroadcastResponse broadcast(TransportClient client, ByteString envelope) throws Exception {
        return BroadcastResponse.parseFrom(client.call(OrdererMethodNames.BROADCAST, envelope, CALL).get(40, TimeUnit.SECONDS));
    }

    static BroadcastResponse broadcast(TransportClient client, Envelope envelope) throws Exception {
        return broadcast(client, envelope.toByteString());
    }

    static List<BroadcastResponse> broadcastAll(TransportClient client, List<Envelope> envelopes) throws Exception {
        List<CompletableFuture<ByteString>> calls = envelopes.stream()
                .map(e -> client.call(OrdererMethodNames.BROADCAST, e.toByteString(), CALL)).toList();
        List<BroadcastResponse> responses = new ArrayList<>();
        for (CompletableFuture<ByteString> call : calls) {
            responses.add(BroadcastResponse.parseFrom(call.get(40, TimeUnit.SECONDS)));
        }
        return responses;
    }

    @Test
    void broadcastThroughFollowerAndLeaderIsOrderedAndDeliveredByteIdentical() throws Exception {
        List<Envelope> viaLeader = new ArrayList<>();
        List<Envelope> viaFollower = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            viaLeader.add(cluster.envelope(200));
            viaFollower.add(cluster.envelope(200));
        }
        CompletableFuture<List<BroadcastResponse>> leaderAnswers = CompletableFuture.supplyAsync(() -> uncheck(toLeader, viaLeader));
        List<BroadcastResponse> followerAnswers = broadcastAll(toFollower, viaFollower);
        for (BroadcastResponse response : concat(leaderAnswers.get(60, TimeUnit.SECONDS), followerAnswers)) {
            assertThat(response.getStatus()).as(response.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
            assertThat(response.hasBlockNumber()).isTrue();
        }
        long height = awaitSameHeight();

        // an authorized reader streams from the follower what every orderer stored, byte for byte
        List<ByteString> delivered = Streams.deliver(toFollower, ServiceClusters.CHANNEL, 0, height - 1, -1)
                .done.get(60, TimeUnit.SECONDS);
        assertThat(delivered).hasSize((int) height);
        for (int i = 0; i < 3; i++) {
            List<Block> stored = cluster.blocks(i);
            for (int n = 0; n < height; n++) {
                assertThat(delivered.get(n)).as("block %d of orderer %d", n, i).isEqualTo(stored.get(n).toByteString());
            }
        }
        List<Block> blocks = delivered.stream().map(Streams::block).toList();
        assertThat(ChainVerifier.verifyFromGenesis(blocks)).isInstanceOf(ChainVerdict.Intact.class);
        List<ByteString> ordered = blocks.stream().flatMap(b -> b.getData().getEnvelopesList().stream()).toList();
        for (Envelope envelope : concat(viaLeader, viaFollower)) {
            assertThat(ordered.stream().filter(envelope.toByteString()::equals)).hasSize(1);
        }
    }

    @Test
    void deliverSendsNewBlocksAsTheyAreWrittenAndResumesFromTheLastBlockReceived() throws Exception {
        assertThat(broadcast(toLeader, cluster.envelope(100)).getStatus()).isEqualTo(BroadcastStatus.SUCCESS);
        long height = awaitSameHeight();

        // receive two blocks, break off, resume from the next one
        List<ByteString> first = Streams.deliver(toFollower, ServiceClusters.CHANNEL, 0, null, 2).done.get(30, TimeUnit.SECONDS);
        assertThat(first).hasSize(2);
        Streams.Collector live = Streams.deliver(toFollower, ServiceClusters.CHANNEL, 2, null, (int) height - 2 + 1);
        Await.until("the stored blocks", () -> live.items.size() == height - 2, Duration.ofSeconds(30));
        assertThat(live.done).isNotDone();

        // a new block reaches the open stream
        BroadcastResponse next = broadcast(toFollower, cluster.envelope(100));
        assertThat(next.getStatus()).isEqualTo(BroadcastStatus.SUCCESS);
        List<ByteString> rest = live.done.get(30, TimeUnit.SECONDS);
        List<ByteString> all = concat(first, rest);
        for (int n = 0; n < all.size(); n++) {
            assertThat(all.get(n)).isEqualTo(cluster.channel(follower).block(n).toByteString());
        }
        assertThat(Streams.block(all.getLast()).getHeader().getNumber()).isEqualTo(next.getBlockNumber());
    }

    @Test
    void blocksAreCutByCountBytesAndTimeoutOverTheTransport() throws Exception {
        ChannelOrderer leading = cluster.channel(leader);
        Map<CutCause, Long> before = leading.blocksCut();

        // count: ten small envelopes at once fill a block long before the 1 s timeout
        List<Envelope> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(cluster.envelope(100));
        }
        List<BroadcastResponse> answers = broadcastAll(toLeader, ten);
        assertThat(answers).allMatch(r -> r.getStatus() == BroadcastStatus.SUCCESS);
        assertThat(leading.blocksCut().get(CutCause.COUNT)).isGreaterThan(before.get(CutCause.COUNT));

        // bytes: one envelope above the preferred maximum goes alone
        BroadcastResponse big = broadcast(toFollower, cluster.envelope((int) PREFERRED + 1000));
        assertThat(big.getStatus()).as(big.getMessage()).isEqualTo(BroadcastStatus.SUCCESS);
        assertThat(leading.blocksCut().get(CutCause.BYTES)).isGreaterThan(before.get(CutCause.BYTES));
        assertThat(cluster.channel(follower).block(big.getBlockNumber()).getData().getEnvelopesCount()).isEqualTo(1);

        // timeout: a lone envelope is cut by the batch timer
        BroadcastResponse lone = broadcast(toFollower, cluster.envelope(100));
        assertThat(lone.getStatus()).isEqualTo(BroadcastStatus.SUCCESS);
        assertThat(leading.blocksCut().get(CutCause.TIMEOUT)).isGreaterThan(before.get(CutCause.TIMEOUT));
    }

    @Test
    void eachBadEnvelopeIsRefusedWithItsOwnReasonCountedAndInNoBlock() throws Exception {
        var clientOrg = cluster.pki().organization("ClientOrg");
        Envelope good = cluster.envelope(100);
        BroadcastResponse ordered = broadcast(toFollower, good);
        assertThat(ordered.getStatus()).isEqualTo(BroadcastStatus.SUCCESS);

        Envelope unsigned = cluster.envelope(100).toBuilder().clearSignature().build();
        Envelope forged = cluster.envelope(100);
        forged = forged.toBuilder().setSignature(cluster.envelope(100).getSignature()).build();
        Envelope byRevoked = OrdererCluster.envelope(ServiceClusters.CHANNEL, "ClientOrg", revoked, 100);
        TestPki.Credential outsider = cluster.pki().organization("OutsiderOrg").enroll("stranger", Role.CLIENT);
        Envelope unknownOrg = OrdererCluster.envelope(ServiceClusters.CHANNEL, "OutsiderOrg", outsider, 100);
        Envelope notIssued = OrdererCluster.envelope(ServiceClusters.CHANNEL, "ClientOrg", outsider, 100);
        TestPki.Credential old = clientOrg.enroll("old", Role.CLIENT,
                new Validity(Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(1))));
        Envelope expired = OrdererCluster.envelope(ServiceClusters.CHANNEL, "ClientOrg", old, 100);
        Envelope peerWrites = OrdererCluster.envelope(ServiceClusters.CHANNEL, "ClientOrg", clientOrg.enroll("peer9", Role.PEER), 100);
        Envelope unknownChannel = OrdererCluster.envelope("no-such-channel", "ClientOrg", cluster.client(), 100);
        Envelope oversized = cluster.envelope((int) ABSOLUTE + 1);
        Envelope badTxId = resealWithTxId(cluster.envelope(100), "00".repeat(32));
        ByteString garbage = ByteString.copyFromUtf8("garbage, not an envelope");
        Envelope badPayload = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("garbage")).build();

        record Case(String name, ByteString bytes, BroadcastStatus status, BroadcastReason reason) {}
        List<Case> cases = List.of(
                new Case("malformed bytes", garbage, BroadcastStatus.BAD_REQUEST, BroadcastReason.MALFORMED_ENVELOPE),
                new Case("malformed payload", badPayload.toByteString(), BroadcastStatus.BAD_REQUEST, BroadcastReason.MALFORMED_ENVELOPE),
                new Case("unsigned", unsigned.toByteString(), BroadcastStatus.FORBIDDEN, BroadcastReason.BAD_SIGNATURE),
                new Case("signature of another payload", forged.toByteString(), BroadcastStatus.FORBIDDEN, BroadcastReason.BAD_SIGNATURE),
                new Case("revoked creator", byRevoked.toByteString(), BroadcastStatus.FORBIDDEN, BroadcastReason.REVOKED_CREATOR),
                new Case("organization not in the channel", unknownOrg.toByteString(), BroadcastStatus.FORBIDDEN, BroadcastReason.UNKNOWN_CREATOR),
                new Case("certificate not issued by the claimed organization", notIssued.toByteString(), BroadcastStatus.FORBIDDEN, BroadcastReason.UNKNOWN_CREATOR),
                new Case("expired creator", expired.toByteString(), BroadcastStatus.FORBIDDEN, BroadcastReason.EXPIRED_CREATOR),
                new Case("Writers policy not met", peerWrites.toByteString(), BroadcastStatus.FORBIDDEN, BroadcastReason.WRITERS_POLICY),
                new Case("unknown channel", unknownChannel.toByteString(), BroadcastStatus.NOT_FOUND, BroadcastReason.UNKNOWN_CHANNEL),
                new Case("oversized", oversized.toByteString(), BroadcastStatus.REQUEST_ENTITY_TOO_LARGE, BroadcastReason.TOO_LARGE),
                new Case("tx id not derived from nonce and creator", badTxId.toByteString(), BroadcastStatus.BAD_REQUEST, BroadcastReason.BAD_TXID),
                new Case("replay of an ordered tx id", good.toByteString(), BroadcastStatus.BAD_REQUEST, BroadcastReason.DUPLICATE_TXID));
        OrdererMetrics metrics = cluster.server(follower).metrics();
        for (Case c : cases) {
            BroadcastResponse response = broadcast(toFollower, c.bytes());
            assertThat(response.getStatus()).as(c.name() + ": " + response.getMessage()).isEqualTo(c.status());
            assertThat(response.getReason()).as(c.name() + ": " + response.getMessage()).isEqualTo(c.reason());
            assertThat(response.getMessage()).as(c.name()).isNotEmpty();
        }
        BroadcastResponse replay = broadcast(toLeader, good);
        assertThat(replay.getReason()).isEqualTo(BroadcastReason.DUPLICATE_TXID);
        assertThat(replay.getBlockNumber()).isEqualTo(ordered.getBlockNumber());

        // counted by reason
        assertThat(metrics.envelopes(ServiceClusters.CHANNEL, "REVOKED_CREATOR")).isGreaterThanOrEqualTo(1);
        assertThat(metrics.envelopes(ServiceClusters.CHANNEL, "BAD_SIGNATURE")).isGreaterThanOrEqualTo(2);
        assertThat(metrics.envelopes(OrdererMetrics.OTHER_CHANNEL, "MALFORMED_ENVELOPE")).isGreaterThanOrEqualTo(2);
        assertThat(metrics.envelopes(OrdererMetrics.OTHER_CHANNEL, "UNKNOWN_CHANNEL")).isGreaterThanOrEqualTo(1);
        assertThat(metrics.envelopes(ServiceClusters.CHANNEL, "DUPLICATE_TXID")).isGreaterThanOrEqualTo(1);

        // one more good envelope commits after all of them; no block of any orderer holds a refused one
        assertThat(broadcast(toFollower, cluster.envelope(100)).getStatus()).isEqualTo(BroadcastStatus.SUCCESS);
        awaitSameHeight();
        for (int i = 0; i < 3; i++) {
            List<ByteString> inBlocks = cluster.blocks(i).stream()
                    .flatMap(b -> b.getData().getEnvelopesList().stream()).toList();
            for (Case c : cases) {
                long copies = inBlocks.stream().filter(c.bytes()::equals).count();
                assertThat(copies).as("%s on orderer %d", c.name(), i).isEqualTo(c.reason() == BroadcastReason.DUPLICATE_TXID ? 1 : 0);
            }
        }
    }

    @Test
    void deliverIsRefusedOutsideTheChannelAndForAnUnknownChannel() throws Exception {
        TransportClient outsider = cluster.connect(follower,
                cluster.pki().organization("OutsiderOrg").enrollTls("outsider", Role.CLIENT));
        var refused = Streams.deliver(outsider, ServiceClusters.CHANNEL, 0, null, -1).done;
        assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransportException.class)
                .satisfies(e -> assertThat(((TransportException) e).code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        var unknown = Streams.deliver(toFollower, "no-such-channel", 0, null, -1).done;
        assertThatThrownBy(() -> unknown.get(30, TimeUnit.SECONDS))
                .cause().isInstanceOf(TransportException.class)
                .satisfies(e -> assertThat(((TransportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        Await.until("no open deliver streams counted for refused calls",
                () -> cluster.server(follower).metrics().openDeliverStreams() == 0, Duration.ofSeconds(10));
    }

    private static Envelope resealWithTxId(Envelope envelope, String txId) throws Exception {
        Payload payload = Payload.parseFrom(envelope.getPayload());
        Payload changed = payload.toBuilder().setHeader(payload.getHeader().toBuilder().setTxId(txId)).build();
        return io.charter.common.protocol.Envelopes.seal(changed.getHeader(), changed.getData(),
                io.charter.common.crypto.EcdsaSigner.of(cluster.client().keys()));
    }

    private static long awaitSameHeight() {
        Await.until("the same height on every orderer", () -> cluster.running().stream()
                .map(i -> cluster.channel(i).height()).distinct().count() == 1, Duration.ofSeconds(60));
        return cluster.channel(0).height();
    }

    private static List<BroadcastResponse> uncheck(TransportClient client, List<Envelope> envelopes) {
        try {
            return broadcastAll(client, envelopes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
