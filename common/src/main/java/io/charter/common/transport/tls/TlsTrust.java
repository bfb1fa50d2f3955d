package io.charter.common.transport.tls;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Whom a node accepts on the other end of a TLS connection: certificates chaining to one of the
 * trusted roots (the roots of the organizations the node knows) and revoked on none of the current
 * CRLs. Both are read again at every handshake, so a root added or a certificate revoked takes
 * effect on the next connection without restarting anything.
 *
 * <p>This is the transport's own trust boundary: who may call which method is decided above it,
 * from the peer certificate chain handed to handlers.
 */
public interface TlsTrust {

    /** The self-signed roots a peer's chain must end in. */
    Collection<X509Certificate> trustedRoots();

    /**
     * The CRLs currently known, from any CA of the trusted hierarchies. A CRL counts only when its
     * signature verifies with the key of the CA that issued the certificate being checked.
     */
    Collection<X509CRL> currentCrls();

    static TlsTrust of(Collection<X509Certificate> roots, Supplier<? extends Collection<X509CRL>> crls) {
        List<X509Certificate> fixedRoots = List.copyOf(roots);
        return new TlsTrust() {
            @Override
            public Collection<X509Certificate> trustedRoots() {
                return fixedRoots;
            }

            @Override
            public Collection<X509CRL> currentCrls() {
                return List.copyOf(crls.get());
            }
        };
    }

    static TlsTrust withoutCrls(Collection<X509Certificate> roots) {
        return of(roots, List::of);
    }
}
