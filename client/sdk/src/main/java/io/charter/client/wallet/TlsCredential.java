package io.charter.client.wallet;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;

/** A TLS certificate (clientAuth and serverAuth) with its chain (issuing CA, root) and key. */
public record TlsCredential(X509Certificate certificate, List<X509Certificate> chain, PrivateKey privateKey) {

    public TlsCredential {
        chain = List.copyOf(chain);
    }

    /** The certificate then its chain: what a TLS key manager presents. */
    public List<X509Certificate> fullChain() {
        return Stream.concat(Stream.of(certificate), chain.stream()).toList();
    }
}
