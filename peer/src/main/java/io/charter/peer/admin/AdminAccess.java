package io.charter.peer.admin;

import io.charter.peer.administration.AdminAuthorization;
import io.charter.common.admin.AdminCaller;
import io.charter.peer.administration.AdminRefusal;
import io.charter.peer.administration.AdminRefusedException;
import io.charter.peer.node.PeerNode;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import org.springframework.stereotype.Component;

/**
 * Who may call the admin API: the TLS client certificate (already verified by the HTTPS listener against
 * {@code charter.peer.tls.trusted-roots}) checked by the core's {@link AdminAuthorization}, the same rule as
 * for the transport's administration methods: an ADMIN of the peer's organization, a valid TLS identity of
 * it in every joined channel that defines it, and for a join an ADMIN of it in the genesis configuration.
 */
@Component
public class AdminAccess {

    static final String CLIENT_CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final PeerNode node;

    public AdminAccess(PeerNode node) {
        this.node = node;
    }

    /** The calling admin's certificate, or an {@link AdminRefusedException}. */
    public X509Certificate requireAdmin(HttpServletRequest request) {
        AdminCaller caller = caller(request);
        node.administration().authorize(caller);
        return caller.tls();
    }

    /** The caller as the core's operations take it (they authorize it themselves). */
    public AdminCaller caller(HttpServletRequest request) {
        if (request.getAttribute(CLIENT_CERTIFICATES) instanceof X509Certificate[] chain && chain.length > 0) {
            return AdminCaller.tlsOnly(chain[0]);
        }
        throw new AdminRefusedException(AdminRefusal.CLIENT_CERTIFICATE_REQUIRED, "a TLS client certificate is required");
    }
}
