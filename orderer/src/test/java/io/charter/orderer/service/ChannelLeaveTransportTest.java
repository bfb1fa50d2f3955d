package io.charter.orderer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.admin.SignedAdminEnvelopes;
import io.charter.common.config.ChannelConfigs;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.pki.Role;
import io.charter.common.protocol.Blocks;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.testing.Await;
import io.charter.common.testing.ConfigUpdates;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.testing.OrdererCluster;
import io.charter.protocol.Block;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrdererAdminRequest;
import io.charter.protocol.OrdererChannel;
import io.charter.protocol.OrdererChannelsRequest;
import io.charter.protocol.OrdererChannelsResponse;
import io.charter.protocol.OrdererJoinChannelRequest;
import io.charter.protocol.OrdererJoinChannelResponse;
import io.charter.protocol.OrdererLeaveChannelRequest;
import io.charter.protocol.OrdererLeaveChannelResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orderer.LeaveChannel} over the orderer's real mutual-TLS transport, with signed ORDERER_ADMIN requests:
 * only an admin of the orderer's own organization takes it off a channel; the orderer goes on serving its other
 * channels; the blocks are kept aside (and taken back by a join of the same genesis block) or deleted; a restart does
 * not reopen a channel left; a refusal changes nothing.
 */
class ChannelLeaveTransportTest {

    private static final Duration CALL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private OrdererCluster cluster;
    private OrdererServer orderer;
    private TestPki.Credential adminSigning;
    private TestPki.Credential adminTls;
    private Block other;

    @BeforeEach
    void start() throws Exception {
        cluster = ServiceClusters.of(dir, 1);
        Block genesis = cluster.genesis(10, 1 << 20, 2 << 20, Duration.ofMillis(200));
        other = Blocks.genesisBlock(ChannelConfigs.of(genesis).toBuilder().setChannelId("other").build(), Instant.now());
        var org = cluster.pki().organization("OrdererOrg");
        adminSigning = org.enroll("ordererAdmin", Role.ADMIN);
        adminTls = org.enrollTls("ordererAdmin", Role.ADMIN);
        orderer = cluster.start(0);
        orderer.join(genesis);
        orderer.join(other);
        awaitLeader(ServiceClusters.CHANNEL);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private void awaitLeader(String channelId) {
        Await.until(channelId + " has a Raft leader", () -> orderer.node().channel(channelId)
                .map(ChannelOrderer::isLeader).orElse(false), Duration.ofSeconds(60));
    }

    @Test
    void anOrdererOrgAdminLeavesAChannelKeepingItsBlocksThenRejoinsThenLeavesRemovingThem() throws Exception {
        TransportClient client = cluster.connect(0, adminTls);
        long height = orderer.node().channel(ServiceClusters.CHANNEL).orElseThrow().height();

        OrdererLeaveChannelResponse kept = OrdererLeaveChannelResponse.parseFrom(
                call(client, OrdererMethodNames.LEAVE_CHANNEL, leave(ServiceClusters.CHANNEL, false), "OrdererOrg", adminSigning));
        assertThat(kept.getChannelId()).isEqualTo(ServiceClusters.CHANNEL);
        assertThat(kept.getHeight()).isEqualTo(height);
        assertThat(kept.getDataRemoved()).isFalse();
        assertThat(orderer.node().channel(ServiceClusters.CHANNEL)).isEmpty();
        assertThat(orderer.node().hasLeft(ServiceClusters.CHANNEL)).isTrue();
        assertThat(orderer.node().keptBlocks(ServiceClusters.CHANNEL)).isPresent();
        assertThat(channelFolders()).containsExactly("other");
        assertThat(channels(client)).as("the orderer goes on serving its other channel").containsExactly("other");
        assertRefused(client, leave(ServiceClusters.CHANNEL, false), "NOT_JOINED");

        OrdererJoinChannelResponse rejoined = OrdererJoinChannelResponse.parseFrom(call(client,
                OrdererMethodNames.JOIN_CHANNEL, OrdererAdminRequest.newBuilder().setJoinChannel(OrdererJoinChannelRequest
                        .newBuilder().setGenesisBlock(cluster.genesis().toByteString())).build(), "OrdererOrg", adminSigning));
        assertThat(rejoined.getAlreadyJoined()).isFalse();
        assertThat(orderer.node().channel(ServiceClusters.CHANNEL).orElseThrow().height())
                .as("the blocks kept taken back").isEqualTo(height);
        assertThat(orderer.node().hasLeft(ServiceClusters.CHANNEL)).isFalse();
        assertThat(orderer.node().keptBlocks(ServiceClusters.CHANNEL)).isEmpty();
        awaitLeader(ServiceClusters.CHANNEL);

        OrdererLeaveChannelResponse removed = OrdererLeaveChannelResponse.parseFrom(
                call(client, OrdererMethodNames.LEAVE_CHANNEL, leave(ServiceClusters.CHANNEL, true), "OrdererOrg", adminSigning));
        assertThat(removed.getDataRemoved()).isTrue();
        assertThat(orderer.node().keptBlocks(ServiceClusters.CHANNEL)).isEmpty();
        assertThat(channelFolders()).containsExactly("other");
        assertThat(orderer.node().hasLeft(ServiceClusters.CHANNEL)).isTrue();

        cluster.stop(0);
        orderer = cluster.start(0);
        assertThat(orderer.channels()).as("a restart does not reopen a channel left")
                .extracting(c -> c.channelId()).containsExactly("other");
        assertThat(orderer.node().hasLeft(ServiceClusters.CHANNEL)).isTrue();
    }

    @Test
    void aNonAdminAnAdminOfAnotherOrganizationOrAChannelNotJoinedIsRefusedAndNothingIsLeft() throws Exception {
        var org = cluster.pki().organization("OrdererOrg");
        TestPki.Credential memberSigning = org.enroll("ordererMember", Role.CLIENT);
        TestPki.Credential memberTls = org.enrollTls("ordererMember", Role.CLIENT);
        var clientOrg = cluster.pki().organization("ClientOrg");
        TestPki.Credential clientAdminSigning = clientOrg.enroll("clientAdmin", Role.ADMIN);
        TestPki.Credential clientAdminTls = clientOrg.enrollTls("clientAdmin", Role.ADMIN);
        TransportClient admin = cluster.connect(0, adminTls);

        assertDeniedByAccessTable(cluster.connect(0, memberTls), leave(ServiceClusters.CHANNEL, true), "OrdererOrg",
                memberSigning, "the caller is client ordererMember of OrdererOrg");
        assertDeniedByAccessTable(cluster.connect(0, clientAdminTls), leave(ServiceClusters.CHANNEL, true), "ClientOrg",
                clientAdminSigning, "the caller is admin clientAdmin of ClientOrg");
        // an admin's connection carrying a member's signed request
        assertRefused(admin, leave(ServiceClusters.CHANNEL, true), "OrdererOrg", memberSigning, "NOT_ADMIN");
        assertRefused(admin, leave("never-joined", true), "OrdererOrg", adminSigning, "NOT_JOINED");
        // the participation API's core refuses an admin of another organization of the channel
        assertThatThrownBy(() -> orderer.administration().checkLeave(new io.charter.common.admin.AdminCaller(
                clientAdminTls.certificate(), java.util.Optional.of(clientAdminSigning.certificate())), ServiceClusters.CHANNEL))
                .isInstanceOfSatisfying(io.charter.orderer.administration.AdminRefusedException.class, e -> assertThat(
                        e.refusal()).isEqualTo(io.charter.orderer.administration.AdminRefusal.NOT_ORDERER_ADMIN));

        assertThat(orderer.channels()).extracting(c -> c.channelId()).containsExactly("other", ServiceClusters.CHANNEL);
        assertThat(channelFolders()).containsExactly("other", ServiceClusters.CHANNEL);
        assertThat(orderer.node().hasLeft(ServiceClusters.CHANNEL)).isFalse();
    }

    private List<String> channelFolders() throws Exception {
        try (var folders = Files.list(dir.resolve("orderer0").resolve("channels"))) {
            return folders.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private List<String> channels(TransportClient client) throws Exception {
        return OrdererChannelsResponse.parseFrom(call(client, OrdererMethodNames.CHANNELS, OrdererAdminRequest.newBuilder()
                        .setChannels(OrdererChannelsRequest.getDefaultInstance()).build(), "OrdererOrg", adminSigning))
                .getChannelsList().stream().map(OrdererChannel::getChannelId).toList();
    }

    private static OrdererAdminRequest leave(String channelId, boolean removeData) {
        return OrdererAdminRequest.newBuilder().setLeaveChannel(OrdererLeaveChannelRequest.newBuilder()
                .setChannelId(channelId).setRemoveData(removeData)).build();
    }

    private void assertRefused(TransportClient client, OrdererAdminRequest request, String code) {
        assertRefused(client, request, "OrdererOrg", adminSigning, code);
    }

    private void assertRefused(TransportClient client, OrdererAdminRequest request, String mspId,
            TestPki.Credential signer, String code) {
        assertThatThrownBy(() -> call(client, OrdererMethodNames.LEAVE_CHANNEL, request, mspId, signer))
                .isInstanceOf(TransportException.class)
                .satisfies(e -> assertThat(((TransportException) e).detail()).startsWith(code + ": "));
    }

    private void assertDeniedByAccessTable(TransportClient client, OrdererAdminRequest request, String mspId,
            TestPki.Credential signer, String who) {
        assertThatThrownBy(() -> call(client, OrdererMethodNames.LEAVE_CHANNEL, request, mspId, signer))
                .isInstanceOf(TransportException.class)
                .satisfies(e -> {
                    TransportException refused = (TransportException) e;
                    assertThat(refused.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(refused.detail()).contains("orderer.LeaveChannel is for admin of OrdererOrg", who);
                });
    }

    private static ByteString sign(OrdererAdminRequest request, String mspId, TestPki.Credential signer) {
        return SignedAdminEnvelopes.seal(HeaderType.ORDERER_ADMIN, request.toByteString(),
                ConfigUpdates.serialized(mspId, signer.certificate()), EcdsaSigner.of(signer.keys()), Instant.now());
    }

    private static ByteString call(TransportClient client, String method, OrdererAdminRequest request, String mspId,
            TestPki.Credential signer) throws Exception {
        try {
            return client.call(method, sign(request, mspId, signer), CALL).get(40, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransportException failure) {
                throw failure;
            }
            throw e;
        }
    }
}
