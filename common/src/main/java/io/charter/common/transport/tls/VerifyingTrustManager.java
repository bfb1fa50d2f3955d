package io.charter.common.transport.tls;

import io.charter.common.transport.tls.PeerChainVerifier.PeerRole;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Plugs {@link PeerChainVerifier} into JSSE. Being an {@link X509ExtendedTrustManager}, it is the
 * whole of the JDK's check of the peer: the JDK adds no hostname verification of its own, which is
 * why the verifier does it.
 */
final class VerifyingTrustManager extends X509ExtendedTrustManager {

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private final PeerChainVerifier verifier;
    private final Optional<String> expectedServerHost;
    private final Optional<ExpectedServer> expectedServer;

    /** For a server: checks its clients' chains. */
    VerifyingTrustManager(PeerChainVerifier verifier) {
        this.verifier = verifier;
        this.expectedServerHost = Optional.empty();
        this.expectedServer = Optional.empty();
    }

    /** For a client: checks the server's chain, host name and identity. */
    VerifyingTrustManager(PeerChainVerifier verifier, String expectedServerHost, ExpectedServer expectedServer) {
        this.verifier = verifier;
        this.expectedServerHost = Optional.of(expectedServerHost);
        this.expectedServer = Optional.of(expectedServer);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifier.verify(listOf(chain), PeerRole.CLIENT, Optional.empty());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        List<X509Certificate> verified = listOf(chain);
        verifier.verify(verified, PeerRole.SERVER, expectedServerHost);
        if (expectedServer.isPresent()) {
            expectedServer.get().check(verified);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    /**
     * None advertised: every peer has exactly one certificate to offer, and advertising the roots
     * would make a peer from an unknown CA send no certificate at all, hiding why it is refused.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }

    private static List<X509Certificate> listOf(X509Certificate[] chain) {
        return chain == null ? List.of() : Arrays.asList(chain);
    }
}
