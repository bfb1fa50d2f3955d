package io.charter.client.wallet;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A TLS certificate (clientAuth and serverAuth) with its chain (issuing CA, root) and key. */
public record TlsCredential(X509Certificate certificate, List<X509Certificate> chain, PrivateKey privateKey) {

    public TlsCredential {
        chain = List.copyOf(chain);
    }
}
