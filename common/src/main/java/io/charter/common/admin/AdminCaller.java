package io.charter.common.admin;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * Who asks: the TLS client certificate of the connection (REST or transport) and, for a signed transport
 * request, the creator's signing certificate whose signature has been verified.
 */
public record AdminCaller(X509Certificate tls, Optional<X509Certificate> signer) {

    public AdminCaller {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(signer, "signer");
    }

    public static AdminCaller tlsOnly(X509Certificate tls) {
        return new AdminCaller(tls, Optional.empty());
    }
}
