package io.charter.common.transport;

import static io.charter.common.transport.TransportTestSupport.ANYONE;

import static io.charter.common.transport.TransportTestSupport.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.pki.RevokedCertificate;
import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.tls.TlsCredentials;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MutualTlsTest {

    private final TransportTestSupport network = new TransportTestSupport();
    private final List<X509Certificate> callersSeen = new CopyOnWriteArrayList<>();
    private final AtomicInteger handled = new AtomicInteger();
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private TransportServer whoAmIServer(TlsCredentials credentials) {
        TransportServer server = network.server(credentials)
                .unary("whoami", ANYONE, (call, request) -> {
                    handled.incrementAndGet();
                    callersSeen.add(call.peerCertificate());
                    return CompletableFuture.completedFuture(
                            ByteString.copyFromUtf8(call.peerCertificate().getSubjectX500Principal().getName()));
                })
                .build()
                .start();
        toClose.add(server);
        return server;
    }

    private TransportClient client(TransportServer server, TlsCredentials credentials) {
        TransportClient client = network.client(server, credentials).connect();
        toClose.add(client);
        return client;
    }

    private static ByteString whoAmI(TransportClient client) throws Exception {
        return client.call("whoami", ByteString.EMPTY, PATIENCE).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static ErrorCode failureOf(CompletableFuture<?> call) {
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertThat(failure.getCause()).isInstanceOf(TransportException.class);
        return ((TransportException) failure.getCause()).code();
    }

    @Test
    void peersOfTwoTrustedOrganizationsConnectAndTheHandlerSeesTheCallersCertificate() throws Exception {
        TransportServer server = whoAmIServer(network.tls("Org1MSP", "peer0", Role.PEER));
        TlsCredentials org2Peer = network.tls("Org2MSP", "peer0", Role.PEER);

        ByteString answer = whoAmI(client(server, org2Peer));

        assertThat(callersSeen).containsExactly(org2Peer.certificate());
        assertThat(answer.toStringUtf8()).contains("O=Org2MSP").contains("CN=peer0");
    }

    @Test
    void aClientWhoseCertificateComesFromAnUntrustedCaIsRefused() {
        TransportServer server = whoAmIServer(network.tls("Org1MSP", "peer0", Role.PEER));
        TlsCredentials outsider = TransportTestSupport.credentials(
                TestPki.create("EvilMSP").organization("EvilMSP").enrollTls("peer0", Role.PEER));
        // The outsider trusts our root, so only the server's verdict can stop it.
        TransportClient client = network.client(server, outsider).connect();
        toClose.add(client);

        assertThat(failureOf(client.call("whoami", ByteString.EMPTY, PATIENCE)))
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(handled).hasValue(0);
    }

    @Test
    void aClientRevokedOnItsOrganizationsTlsCrlIsRefusedOnItsNextConnection() throws Exception {
        TransportServer server = whoAmIServer(network.tls("Org1MSP", "peer0", Role.PEER));
        TlsCredentials org2Peer = network.tls("Org2MSP", "peer0", Role.PEER);
        TransportClient before = client(server, org2Peer);
        whoAmI(before);

        revoke(network.pki.organization("Org2MSP"), org2Peer.certificate().getSerialNumber());
        TransportClient after = client(server, org2Peer);

        assertThat(failureOf(after.call("whoami", ByteString.EMPTY, PATIENCE)))
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(handled).hasValue(1);
    }

    @Test
    void aCrlFromAnotherCaDoesNotRevokeACertificateWithTheSameSerial() throws Exception {
        TransportServer server = whoAmIServer(network.tls("Org1MSP", "peer0", Role.PEER));
        TlsCredentials org2Peer = network.tls("Org2MSP", "peer0", Role.PEER);

        revoke(network.pki.organization("Org1MSP"), org2Peer.certificate().getSerialNumber());

        assertThat(whoAmI(client(server, org2Peer)).toStringUtf8()).contains("O=Org2MSP");
    }

    @Test
    void aServerWithARevokedCertificateIsRefusedByTheClient() {
        TlsCredentials serverCredentials = network.tls("Org1MSP", "peer0", Role.PEER);
        TransportServer server = whoAmIServer(serverCredentials);
        revoke(network.pki.organization("Org1MSP"), serverCredentials.certificate().getSerialNumber());

        TransportClient client = client(server, network.tls("Org2MSP", "peer0", Role.PEER));

        assertThat(failureOf(client.call("whoami", ByteString.EMPTY, PATIENCE))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(handled).hasValue(0);
    }

    @Test
    void aServerWithACertificateFromAnUntrustedCaIsRefusedByTheClient() {
        TlsCredentials outsider = TransportTestSupport.credentials(
                TestPki.create("EvilMSP").organization("EvilMSP").enrollTls("peer0", Role.PEER));
        // The server trusts our clients, so only the client's verdict can stop the call.
        TransportServer server = TransportServer.builder(outsider, network.trust).bind("127.0.0.1", 0).ioThreads(1)
                .unary("whoami", ANYONE, (call, request) -> {
                    handled.incrementAndGet();
                    return CompletableFuture.completedFuture(ByteString.EMPTY);
                })
                .build().start();
        toClose.add(server);

        TransportClient client = client(server, network.tls("Org2MSP", "peer0", Role.PEER));

        assertThat(failureOf(client.call("whoami", ByteString.EMPTY, PATIENCE))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(handled).hasValue(0);
    }

    @Test
    void aServerWhoseCertificateDoesNotNameTheExpectedHostIsRefused() {
        TransportServer server = whoAmIServer(network.tls("Org1MSP", "peer0", Role.PEER));

        TransportClient client = network.client(server, network.tls("Org2MSP", "peer0", Role.PEER))
                .serverName("orderer0.example.org").connect();
        toClose.add(client);

        assertThatThrownBy(() -> client.call("whoami", ByteString.EMPTY, PATIENCE).get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(TransportException.class)
                .hasMessageContaining("is not valid for orderer0.example.org");
        assertThat(handled).hasValue(0);
    }

    private void revoke(TestPki.Organization org, BigInteger serial) {
        Instant now = Instant.now();
        network.crls.add(org.tlsCa().issueCrl(List.of(new RevokedCertificate(serial, now.minusSeconds(1), 1)),
                BigInteger.valueOf(network.crls.size() + 1L), now.minusSeconds(60), now.plus(Duration.ofDays(1))));
    }
}
