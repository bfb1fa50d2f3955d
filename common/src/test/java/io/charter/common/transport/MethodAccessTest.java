package io.charter.common.transport;

import static io.charter.common.transport.TransportTestSupport.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.tls.ExpectedServer;
import io.charter.common.transport.tls.TlsCredentials;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transport decides who may call a method from the caller's certificate, before the handler
 * runs or the body is read; and a client checks that the server it reached is the node it meant.
 */
class MethodAccessTest {

    private final TransportTestSupport network = new TransportTestSupport();
    private final AtomicInteger handled = new AtomicInteger();
    private final List<AutoCloseable> open = new ArrayList<>();
    private TransportServer server;

    private TransportServer start() {
        server = network.server(network.tls("Org1MSP", "peer0.org1", Role.PEER))
                .unary("org.PeersOnly", MethodAccess.ownOrganization(Role.PEER), this::count)
                .unary("org.AdminsOnly", MethodAccess.ownOrganization(Role.ADMIN), this::count)
                .unary("channel.Members", MethodAccess.trustedOrganizations(Role.CLIENT, Role.ADMIN), this::count)
                .build().start();
        open.add(server);
        return server;
    }

    private CompletableFuture<ByteString> count(CallContext call, ByteString body) {
        handled.incrementAndGet();
        return CompletableFuture.completedFuture(ByteString.copyFromUtf8("ok"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    private ByteString call(TlsCredentials as, String method) throws Exception {
        TransportClient client = network.client(server, as).connect();
        open.add(client);
        return client.call(method, ByteString.copyFromUtf8("x".repeat(1000)), PATIENCE).get();
    }

    private void assertRefused(TlsCredentials as, String method, String... messageParts) {
        assertThatThrownBy(() -> call(as, method))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(e.getMessage()).contains(messageParts);
                });
    }

    @Test
    void aPeerOfTheNodesOrganizationCallsThePeersMethod() throws Exception {
        start();
        assertThat(call(network.tls("Org1MSP", "peer1.org1", Role.PEER), "org.PeersOnly").toStringUtf8()).isEqualTo("ok");
        assertThat(handled).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"CLIENT", "ADMIN", "ORDERER"})
    void anotherRoleOfTheSameOrganizationIsRefusedBeforeTheHandlerRuns(Role role) {
        start();
        assertRefused(network.tls("Org1MSP", "someone", role), "org.PeersOnly",
                "org.PeersOnly is for peer of Org1MSP", role.label() + " someone of Org1MSP");
        assertThat(handled).hasValue(0);
        assertThat(server.refusals().total(TransportRefusals.Reason.PERMISSION_DENIED)).isEqualTo(1);
    }

    @Test
    void aPeerOfAnotherOrganizationIsRefused() {
        start();
        assertRefused(network.tls("Org2MSP", "peer0.org2", Role.PEER), "org.PeersOnly", "peer peer0.org2 of Org2MSP");
        assertRefused(network.tls("Org2MSP", "admin2", Role.ADMIN), "org.AdminsOnly", "is for admin of Org1MSP");
        assertThat(handled).hasValue(0);
    }

    @Test
    void membersOfAnyTrustedOrganizationReachTheHandlerOfAChannelMethodInTheirRoles() throws Exception {
        start();
        call(network.tls("Org2MSP", "alice", Role.CLIENT), "channel.Members");
        call(network.tls("Org1MSP", "admin1", Role.ADMIN), "channel.Members");
        assertRefused(network.tls("Org2MSP", "peer0.org2", Role.PEER), "channel.Members", "is for client, admin");
        assertThat(handled).hasValue(2);
    }

    @Test
    void aCertificateClaimingAnOrganizationWhoseCaDidNotIssueItIsNoMemberOfIt() {
        start();
        // Org2's TLS CA issues a certificate whose subject says Org1MSP: the chain is valid up to the
        // consortium root, but Org1 never issued it
        TestPki.Organization org2 = network.pki.organization("Org2MSP");
        KeyPair keys = EcKeys.generate();
        X509Certificate forged = org2.tlsCa().issue(CertificateTemplate.tls(SubjectName.of("peer9", "Org1MSP", Role.PEER),
                keys.getPublic(), new Validity(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(1))),
                List.of("localhost", "127.0.0.1")));
        List<X509Certificate> chain = new ArrayList<>(List.of(forged));
        chain.addAll(org2.tlsCa().chain());
        assertRefused(new TlsCredentials(keys.getPrivate(), chain), "org.PeersOnly",
                "names no role of an organization whose CA issued it");
        assertThat(handled).hasValue(0);
    }

    @Test
    void theAccessTableListsEveryMethodWithWhoMayCallIt() {
        start();
        assertThat(server.organization()).isEqualTo("Org1MSP");
        assertThat(server.accessTable()).containsOnlyKeys("org.PeersOnly", "org.AdminsOnly", "channel.Members");
        assertThat(server.accessTable().get("org.PeersOnly").describe(server.organization())).isEqualTo("peer of Org1MSP");
        assertThat(server.accessTable().get("channel.Members").describe(server.organization()))
                .isEqualTo("client, admin of a trusted organization");
    }

    @Test
    void aClientRefusesAServerThatPresentsAClientsCertificate() {
        // an enrolled client's TLS certificate with the host's name, served by a rogue server
        server = network.server(network.tls("Org1MSP", "mallory", Role.CLIENT))
                .unary("channel.Members", MethodAccess.trustedOrganizations(Role.CLIENT), this::count)
                .build().start();
        open.add(server);
        assertThatThrownBy(() -> call(network.tls("Org2MSP", "alice", Role.CLIENT), "channel.Members"))
                .cause().isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.code()).isIn(ErrorCode.UNAVAILABLE, ErrorCode.UNAUTHENTICATED));
        assertThat(handled).hasValue(0);
    }

    @Test
    void aClientThatMeantAnOrdererRefusesAPeerAndOneThatNamedANodeRefusesAnother() throws Exception {
        start();
        TlsCredentials alice = network.tls("Org2MSP", "alice", Role.CLIENT);
        TransportClient wantsOrderer = network.client(server, alice).expectServer(ExpectedServer.orderer()).connect();
        open.add(wantsOrderer);
        assertThatThrownBy(() -> wantsOrderer.call("channel.Members", ByteString.EMPTY, PATIENCE).get())
                .cause().isInstanceOf(TransportException.class);
        TransportClient wantsPeer1 = network.client(server, alice)
                .expectServer(ExpectedServer.peer().ofOrganization("Org1MSP").withNodeId("peer1.org1")).connect();
        open.add(wantsPeer1);
        assertThatThrownBy(() -> wantsPeer1.call("channel.Members", ByteString.EMPTY, PATIENCE).get())
                .cause().isInstanceOf(TransportException.class);
        assertThat(handled).hasValue(0);
        TransportClient wantsPeer0 = network.client(server, alice)
                .expectServer(ExpectedServer.peer().ofOrganization("Org1MSP").withNodeId("peer0.org1")).connect();
        open.add(wantsPeer0);
        assertThat(wantsPeer0.call("channel.Members", ByteString.EMPTY, PATIENCE).get().toStringUtf8()).isEqualTo("ok");
    }
}
