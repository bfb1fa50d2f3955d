package io.charter.orderer.consensus;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

/**
 * Mutual TLS for the Raft transport (Ratis over gRPC), with the orderer's TLS key and certificate
 * chain, trusting a peer whose certificate chains to the given roots (the TLS roots of the orderer
 * organizations) <em>and</em> is pinned: the TLS certificate of a consenter of a channel this orderer
 * serves ({@link ConsenterPinningTrustManager}). The same settings
 * serve Raft traffic between orderers, Ratis client requests (forwarded envelopes, block fetches)
 * and Ratis admin requests. Ratis' Netty transport has no TLS for its RPCs in 3.3 (only its data
 * stream has), which is why the orderer runs Ratis over gRPC.
 *
 * @param key the orderer's TLS private key
 * @param chain its TLS certificate chain, leaf first
 * @param trustAnchors the roots a peer's TLS certificate must chain to
 */
public record RaftTls(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trustAnchors) {

    static final String TLS_1_3 = "TLSv1.3";

    public RaftTls {
        chain = List.copyOf(chain);
        trustAnchors = List.copyOf(trustAnchors);
        if (chain.isEmpty() || trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("TLS needs a certificate chain and at least one trust anchor");
        }
    }

    /**
     * Ratis parameters carrying this TLS configuration for the server, admin and client sides.
     *
     * @param pinned the consenters' certificates currently allowed, read at every handshake
     */
    public Parameters toParameters(Supplier<PinnedCertificates> pinned) {
        return toParameters(trustManager(pinned));
    }

    /** The trust manager of {@link #toParameters}: PKIX against the roots, then the pinned certificates. */
    public ConsenterPinningTrustManager trustManager(Supplier<PinnedCertificates> pinned) {
        return new ConsenterPinningTrustManager(pkixTrustManager(), pinned);
    }

    /** Ratis parameters with {@code trustManager} (built by {@link #trustManager}) for the server, admin and client sides. */
    public Parameters toParameters(ConsenterPinningTrustManager trustManager) {
        GrpcTlsConfig config = tlsConfig(trustManager);
        Parameters parameters = new Parameters();
        GrpcConfigKeys.TLS.setConf(parameters, config);
        GrpcConfigKeys.Server.setTlsConf(parameters, config);
        GrpcConfigKeys.Admin.setTlsConf(parameters, config);
        GrpcConfigKeys.Client.setTlsConf(parameters, config);
        return parameters;
    }

    /** TLS 1.3 only, like every other link of the network, with client certificates required. */
    GrpcTlsConfig tlsConfig(ConsenterPinningTrustManager trustManager) {
        return GrpcTlsConfig.newBuilder()
                .setKeyManager(keyManager())
                .setTrustManager(trustManager)
                .setMutualTls(true)
                .setProtocols(TLS_1_3)
                .build();
    }

    private KeyManager keyManager() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("orderer", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers()[0];
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the Raft TLS key manager", e);
        }
    }

    private X509ExtendedTrustManager pkixTrustManager() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < trustAnchors.size(); i++) {
                store.setCertificateEntry("root-" + i, trustAnchors.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the PKIX trust manager factory gave no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the Raft TLS trust manager", e);
        }
    }
}
