package io.charter.common.transport.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.time.Clock;
import javax.net.ssl.SSLException;

/**
 * Builds Netty TLS contexts the way every Charter connection uses TLS: version 1.3 only, the JDK's
 * engine, the client always authenticated with its certificate, and peers verified by {@link
 * PeerChainVerifier} at each handshake.
 */
public final class TlsContexts {

    public static final String TLS_1_3 = "TLSv1.3";

    private TlsContexts() {}

    public static SslContext server(TlsCredentials credentials, TlsTrust trust) throws SSLException {
        return SslContextBuilder.forServer(credentials.privateKey(), credentials.chain())
                .sslProvider(SslProvider.JDK)
                .protocols(TLS_1_3)
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(new VerifyingTrustManager(new PeerChainVerifier(trust, Clock.systemUTC())))
                .build();
    }

    /**
     * @param serverName the name (DNS name or IP literal) the server's certificate must carry
     * @param expected the node the client means to reach: its role, and its organization and node id when known
     */
    public static SslContext client(TlsCredentials credentials, TlsTrust trust, String serverName, ExpectedServer expected)
            throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(TLS_1_3)
                .keyManager(credentials.privateKey(), credentials.chain())
                .trustManager(new VerifyingTrustManager(
                        new PeerChainVerifier(trust, Clock.systemUTC()), serverName, expected))
                // The trust manager checks the server name itself (see PeerChainVerifier).
                .endpointIdentificationAlgorithm(null)
                .build();
    }
}
