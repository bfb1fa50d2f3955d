package io.charter.orderer.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import java.util.List;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.grpc.GrpcUtil;
import org.apache.ratis.thirdparty.io.netty.buffer.ByteBufAllocator;
import org.apache.ratis.thirdparty.io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;

/** Raft's gRPC links speak TLS 1.3 only, like every other link of the network, with client certificates required. */
class RaftTlsTest {

    private static final TestPki PKI = TestPki.create("OrdererOrg");

    private final TestPki.Credential self = PKI.organization("OrdererOrg").enrollTls("orderer0", Role.ORDERER);
    private final RaftTls tls = new RaftTls(self.keys().getPrivate(), self.chain(), List.of(PKI.root().certificate()));
    private final GrpcTlsConfig config = tls.tlsConfig(tls.trustManager(() -> PinnedCertificates.of(List.of())));

    @Test
    void theRaftServerAndClientEnableTls13AloneAndTheServerRequiresClientCertificates() throws Exception {
        SslContext server = GrpcUtil.buildSslContextForServer(config);
        SslContext client = GrpcUtil.buildSslContextForClient(config);

        // OpenSSL's engine lists the SSLv2Hello pseudo-protocol (a hello format, no protocol version) beside it
        assertThat(server.newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols()).contains("TLSv1.3")
                .doesNotContain("TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3");
        assertThat(client.newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols()).contains("TLSv1.3")
                .doesNotContain("TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3");
        assertThat(server.newEngine(ByteBufAllocator.DEFAULT).getNeedClientAuth()).isTrue();
        assertThat(config.getMtlsEnabled()).isTrue();
    }
}
