package io.charter.orderer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.admin.AdminCaller;
import io.charter.common.admin.SignedAdminEnvelopes;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.logging.LogLevels;
import io.charter.common.logging.LogSpec;
import io.charter.common.logging.LogbackLevels;
import io.charter.common.pki.Role;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.testing.ConfigUpdates;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import io.charter.orderer.administration.AdminRefusedException;
import io.charter.orderer.testing.OrdererCluster;
import io.charter.protocol.Block;
import io.charter.protocol.HeaderType;
import io.charter.protocol.LogSpecRequest;
import io.charter.protocol.LogSpecResponse;
import io.charter.protocol.OrdererAdminRefusal;
import io.charter.protocol.OrdererAdminRequest;
import io.charter.protocol.OrdererChannelsRequest;
import io.charter.protocol.OrdererChannelsResponse;
import io.charter.protocol.OrdererJoinChannelRequest;
import io.charter.protocol.OrdererJoinChannelResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orderer.JoinChannel} and {@code orderer.Channels} over the orderer's real mutual-TLS transport, with
 * signed ORDERER_ADMIN requests: who may join the orderer to a channel, and that a refusal joins nothing.
 */
class ChannelJoinTransportTest {

    private static final Duration CALL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private OrdererCluster cluster;
    private OrdererServer orderer;
    private TestPki.Credential adminSigning;
    private TestPki.Credential adminTls;

    @BeforeEach
    void start() throws Exception {
        cluster = ServiceClusters.of(dir, 1);
        cluster.genesis(10, 1 << 20, 2 << 20, Duration.ofMillis(200));
        var org = cluster.pki().organization("OrdererOrg");
        adminSigning = org.enroll("ordererAdmin", Role.ADMIN);
        adminTls = org.enrollTls("ordererAdmin", Role.ADMIN);
        orderer = cluster.start(0);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void anOrdererOrgAdminJoinsTheOrdererAndTheSameBlockAgainIsAlreadyJoined() throws Exception {
        TransportClient client = cluster.connect(0, adminTls);

        OrdererJoinChannelResponse joined = OrdererJoinChannelResponse.parseFrom(
                call(client, OrdererMethodNames.JOIN_CHANNEL, join(cluster.genesis().toByteString()), "OrdererOrg", adminSigning));
        assertThat(joined.getChannel().getChannelId()).isEqualTo(ServiceClusters.CHANNEL);
        assertThat(joined.getAlreadyJoined()).isFalse();
        assertThat(orderer.node().channel(ServiceClusters.CHANNEL)).isPresent();

        OrdererJoinChannelResponse again = OrdererJoinChannelResponse.parseFrom(
                call(client, OrdererMethodNames.JOIN_CHANNEL, join(cluster.genesis().toByteString()), "OrdererOrg", adminSigning));
        assertThat(again.getAlreadyJoined()).isTrue();
        assertThat(orderer.channels()).hasSize(1);

        OrdererChannelsResponse channels = OrdererChannelsResponse.parseFrom(call(client, OrdererMethodNames.CHANNELS,
                OrdererAdminRequest.newBuilder().setChannels(OrdererChannelsRequest.getDefaultInstance()).build(),
                "OrdererOrg", adminSigning));
        assertThat(channels.getChannelsList()).extracting(c -> c.getChannelId()).containsExactly(ServiceClusters.CHANNEL);
    }

    @Test
    void anotherGenesisBlockForAJoinedChannelIsRefused() throws Exception {
        TransportClient client = cluster.connect(0, adminTls);
        Block first = cluster.genesis();
        call(client, OrdererMethodNames.JOIN_CHANNEL, join(first.toByteString()), "OrdererOrg", adminSigning);
        Block other = cluster.genesis(11, 1 << 20, 2 << 20, Duration.ofMillis(200));

        assertRefused(client, join(other.toByteString()), "OrdererOrg", adminSigning, OrdererAdminRefusal.ALREADY_JOINED);
        assertThat(orderer.node().channel(ServiceClusters.CHANNEL).orElseThrow().block(0)).isEqualTo(first);
    }

    @Test
    void aNonAdminIsRefusedAndNothingIsJoined() throws Exception {
        var org = cluster.pki().organization("OrdererOrg");
        TestPki.Credential memberSigning = org.enroll("ordererMember", Role.CLIENT);
        TestPki.Credential memberTls = org.enrollTls("ordererMember", Role.CLIENT);

        assertDeniedByAccessTable(cluster.connect(0, memberTls), join(cluster.genesis().toByteString()), "OrdererOrg",
                memberSigning, "the caller is client ordererMember of OrdererOrg");
        assertNothingJoined();
    }

    @Test
    void anAdminOfAnotherOrganizationOfTheChannelMayNotMakeTheOrdererJoinIt() throws Exception {
        // ClientOrg is an organization of the genesis configuration, but not the orderer's (issue #12, item 7)
        var org = cluster.pki().organization("ClientOrg");
        TestPki.Credential memberAdminSigning = org.enroll("clientAdmin", Role.ADMIN);
        TestPki.Credential memberAdminTls = org.enrollTls("clientAdmin", Role.ADMIN);

        assertDeniedByAccessTable(cluster.connect(0, memberAdminTls), join(cluster.genesis().toByteString()), "ClientOrg",
                memberAdminSigning, "the caller is admin clientAdmin of ClientOrg");
        assertNothingJoined();
        // the same admin on the participation API's core is refused by the orderer's own check
        assertThatThrownBy(() -> orderer.administration().join(
                new AdminCaller(memberAdminTls.certificate(),
                        Optional.of(memberAdminSigning.certificate())), cluster.genesis().toByteArray()))
                .isInstanceOf(AdminRefusedException.class)
                .hasMessageContaining("only admins of OrdererOrg");
        assertNothingJoined();
    }

    @Test
    void anAdminOfAnOrganizationOutsideTheGenesisConfigurationIsRefused() throws Exception {
        var org = cluster.pki().organization("OutsiderOrg");
        TestPki.Credential outsiderSigning = org.enroll("outsiderAdmin", Role.ADMIN);
        TestPki.Credential outsiderTls = org.enrollTls("outsiderAdmin", Role.ADMIN);

        assertDeniedByAccessTable(cluster.connect(0, outsiderTls), join(cluster.genesis().toByteString()), "OutsiderOrg",
                outsiderSigning, "the caller is admin outsiderAdmin of OutsiderOrg");
        assertNothingJoined();
    }

    @Test
    void aRequestSignedByAnotherAdminThanTheConnectionsIsRefused() throws Exception {
        TestPki.Credential otherSigning = cluster.pki().organization("OrdererOrg").enroll("otherAdmin", Role.ADMIN);

        assertRefused(cluster.connect(0, adminTls), join(cluster.genesis().toByteString()), "OrdererOrg", otherSigning,
                OrdererAdminRefusal.CREATOR_MISMATCH);
        assertNothingJoined();
    }

    @Test
    void aGarbageOrNonGenesisBlockIsRefusedAndNothingIsJoined() throws Exception {
        TransportClient client = cluster.connect(0, adminTls);
        assertRefused(client, join(ByteString.copyFromUtf8("not a block at all")), "OrdererOrg", adminSigning,
                OrdererAdminRefusal.NOT_A_GENESIS_BLOCK);
        Block second = cluster.genesis().toBuilder()
                .setHeader(cluster.genesis().getHeader().toBuilder().setNumber(1)).build();
        assertRefused(client, join(second.toByteString()), "OrdererOrg", adminSigning, OrdererAdminRefusal.NOT_A_GENESIS_BLOCK);
        assertNothingJoined();
    }

    @Test
    void aChannelThatDoesNotListTheOrdererIsRefused() throws Exception {
        // the genesis names a second orderer only
        cluster.addMember();
        cluster.members().removeFirst();
        Block notListing = cluster.genesis(10, 1 << 20, 2 << 20, Duration.ofMillis(200));

        assertRefused(cluster.connect(0, adminTls), join(notListing.toByteString()), "OrdererOrg", adminSigning,
                OrdererAdminRefusal.NOT_A_CONSENTER);
        assertNothingJoined();
    }

    @Test
    void aReplayedRequestIsRefused() throws Exception {
        TransportClient client = cluster.connect(0, adminTls);
        ByteString signed = sign(join(cluster.genesis().toByteString()), "OrdererOrg", adminSigning);
        client.call(OrdererMethodNames.JOIN_CHANNEL, signed, CALL).get(40, TimeUnit.SECONDS);

        assertThatThrownBy(() -> client.call(OrdererMethodNames.JOIN_CHANNEL, signed, CALL).get(40, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TransportException.class)
                .satisfies(e -> assertThat(((TransportException) e).detail()).startsWith("REPLAYED_REQUEST: "));
    }

    @Test
    void aPeerAdminRequestIsNotAnOrdererAdminRequest() throws Exception {
        TransportClient client = cluster.connect(0, adminTls);
        ByteString peerTyped = SignedAdminEnvelopes.seal(HeaderType.PEER_ADMIN, join(cluster.genesis().toByteString())
                .toByteString(), ConfigUpdates.serialized("OrdererOrg", adminSigning.certificate()),
                EcdsaSigner.of(adminSigning.keys()), Instant.now());

        assertThatThrownBy(() -> client.call(OrdererMethodNames.JOIN_CHANNEL, peerTyped, CALL).get(40, TimeUnit.SECONDS))
                .cause().isInstanceOf(TransportException.class)
                .satisfies(e -> assertThat(((TransportException) e).detail()).startsWith("MALFORMED_REQUEST: "));
        assertNothingJoined();
    }

    @Test
    void theOrdererOrganizationsAdminReadsAndChangesTheLogLevelsAndNoOneElseNorABadSpecChangesThem() throws Exception {
        LogLevels levels = LogbackLevels.ofProcess().orElseThrow();
        LogSpec before = levels.current();
        var clientOrg = cluster.pki().organization("ClientOrg");
        TestPki.Credential otherAdminSigning = clientOrg.enroll("clientAdmin", Role.ADMIN);
        TestPki.Credential otherAdminTls = clientOrg.enrollTls("clientAdmin", Role.ADMIN);
        TransportClient asAdmin = cluster.connect(0, adminTls);
        try {
            assertThat(LogSpecResponse.parseFrom(call(asAdmin, OrdererMethodNames.LOG_SPEC, logSpec(""), "OrdererOrg",
                    adminSigning)).getSpec()).isEqualTo(before.toString());
            assertThatThrownBy(() -> call(cluster.connect(0, otherAdminTls), OrdererMethodNames.LOG_SPEC, logSpec("trace"),
                    "ClientOrg", otherAdminSigning)).isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                        assertThat(e.detail()).contains("orderer.LogSpec is for admin of OrdererOrg");
                    });
            assertThatThrownBy(() -> call(asAdmin, OrdererMethodNames.LOG_SPEC, logSpec("debug:io.charter..x=info"),
                    "OrdererOrg", adminSigning)).isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                        assertThat(e.reason()).contains("INVALID_LOG_SPEC");
                        assertThat(e.detail()).startsWith("INVALID_LOG_SPEC: 'io.charter..x' is not a logger name");
                    });
            // the participation API's core: another organization's admin, even one of the channel, is refused
            assertThatThrownBy(() -> orderer.administration().logSpec(new AdminCaller(otherAdminTls.certificate(),
                    Optional.of(otherAdminSigning.certificate())), Optional.of("trace")))
                    .isInstanceOf(AdminRefusedException.class).hasMessageContaining("only admins of OrdererOrg");
            assertThat(levels.current()).as("nothing changed by a refused request").isEqualTo(before);

            String set = LogSpecResponse.parseFrom(call(asAdmin, OrdererMethodNames.LOG_SPEC,
                    logSpec("warn:io.charter.orderer.consensus=debug"), "OrdererOrg", adminSigning)).getSpec();
            assertThat(set).isEqualTo("warn:io.charter.orderer.consensus=debug");
            assertThat(org.slf4j.LoggerFactory.getLogger("io.charter.orderer.consensus.Raft").isDebugEnabled()).isTrue();
        } finally {
            levels.apply(before);
        }
    }

    private static OrdererAdminRequest logSpec(String spec) {
        return OrdererAdminRequest.newBuilder().setLogSpec(LogSpecRequest.newBuilder().setSpec(spec)).build();
    }

    private void assertNothingJoined() throws Exception {
        assertThat(orderer.channels()).isEmpty();
        Path channels = dir.resolve("orderer0").resolve("channels");
        try (var folders = Files.list(channels)) {
            assertThat(folders.toList()).as("channel folders").isEmpty();
        }
    }

    private void assertRefused(TransportClient client, OrdererAdminRequest request, String mspId,
            TestPki.Credential signer, OrdererAdminRefusal refusal) {
        assertThatThrownBy(() -> call(client, OrdererMethodNames.JOIN_CHANNEL, request, mspId, signer))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    // what a client sees: the frame's reason names the wire value (the SDK's OrdererAdminException.refusal())
                    assertThat(e.reason().map(OrdererAdminRefusal::valueOf)).contains(refusal);
                    assertThat(e.detail()).startsWith(refusal.name() + ": ");
                });
    }

    /** Refused by the transport's access table, before the request was opened. */
    private void assertDeniedByAccessTable(TransportClient client, OrdererAdminRequest request, String mspId,
            TestPki.Credential signer, String who) {
        assertThatThrownBy(() -> call(client, OrdererMethodNames.JOIN_CHANNEL, request, mspId, signer))
                .isInstanceOf(TransportException.class)
                .satisfies(e -> {
                    TransportException refused = (TransportException) e;
                    assertThat(refused.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(refused.detail()).contains("orderer.JoinChannel is for admin of OrdererOrg", who);
                });
    }

    private static OrdererAdminRequest join(ByteString genesis) {
        return OrdererAdminRequest.newBuilder()
                .setJoinChannel(OrdererJoinChannelRequest.newBuilder().setGenesisBlock(genesis)).build();
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
