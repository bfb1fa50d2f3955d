package io.charter.common.transport.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A node's own TLS identity: its private key and certificate chain, leaf first. The chain should
 * include the issuing CA so that the peer can build a path to the root it trusts.
 */
public record TlsCredentials(PrivateKey privateKey, List<X509Certificate> chain) {

    public TlsCredentials {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a TLS identity needs at least its own certificate");
        }
    }

    public X509Certificate certificate() {
        return chain.getFirst();
    }
}
