package io.charter.membership.authentication;

import io.charter.membership.Caller;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Turns a presented certificate (chain) into a {@link Caller}, against this service's own records: the
 * leaf must be a certificate this service issued (same bytes), within its validity period, not
 * revoked, and its identity not revoked. Signing and TLS certificates both authenticate.
 */
public final class CertificateAuthenticator {

    CertificateAuthenticator() {}

    /**
     * @param presented the caller's certificate first; any further certificates are ignored (the leaf
     *     is looked up by serial and compared byte for byte with what this service issued)
     * @throws io.charter.membership.MembershipException CERTIFICATE_UNKNOWN, CERTIFICATE_EXPIRED,
     *     CERTIFICATE_REVOKED (also when its identity is revoked), INVALID_REQUEST when empty
     */
    public Caller authenticate(List<X509Certificate> presented) {
        throw new UnsupportedOperationException();
    }

    public Caller authenticate(X509Certificate certificate) {
        return authenticate(List.of(certificate));
    }
}
