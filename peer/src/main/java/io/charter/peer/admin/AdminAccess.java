package io.charter.peer.admin;

import io.charter.common.pki.CertificatePurpose;
import io.charter.common.identity.IdentityValidator;
import io.charter.common.identity.Role;
import io.charter.common.identity.ValidationResult;
import io.charter.common.pki.SubjectName;
import io.charter.peer.node.ChannelPeer;
import io.charter.peer.node.PeerNode;
import io.charter.peer.validation.ChannelContext;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Who may call the admin API: a TLS client certificate (already verified by the HTTPS listener against
 * {@code charter.peer.tls.trusted-roots}) whose subject names the peer's organization and the ADMIN
 * role; and, for every joined channel that defines the organization, a valid TLS identity of it there
 * (the channel's TLS CAs and CRLs, so a revoked admin is refused). A join also checks the caller
 * against the genesis block's configuration.
 */
@Component
public class AdminAccess {

    static final String CLIENT_CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final PeerNode node;

    public AdminAccess(PeerNode node) {
        this.node = node;
    }

    /** The calling admin's certificate, or an {@link AdminException}. */
    public X509Certificate requireAdmin(HttpServletRequest request) {
        X509Certificate caller = caller(request);
        String mspId = node.settings().mspId();
        SubjectName subject = SubjectName.from(caller).orElseThrow(() -> notAdmin("the certificate has no usable subject"));
        if (!subject.organization().equals(mspId) || subject.role().filter(Role.ADMIN::equals).isEmpty()) {
            throw notAdmin("the client certificate of " + subject.commonName() + " (" + subject.organization()
                    + ") is not an ADMIN of " + mspId);
        }
        for (ChannelPeer channel : node.channels()) {
            if (channel.context().registry().mspIds().contains(mspId)
                    && channel.tlsCaller(caller).filter(id -> id.mspId().equals(mspId)).isEmpty()) {
                throw notAdmin("the client certificate is not a valid TLS identity of " + mspId + " on channel "
                        + channel.channelId() + " (revoked, expired or not issued by its TLS CAs)");
            }
        }
        return caller;
    }

    /** {@link #requireAdmin} and a valid ADMIN TLS identity of the peer's organization in {@code genesis}. */
    public X509Certificate requireAdmin(HttpServletRequest request, ChannelContext genesis) {
        X509Certificate caller = requireAdmin(request);
        String mspId = node.settings().mspId();
        if (!genesis.registry().mspIds().contains(mspId)) {
            throw new AdminException(HttpStatus.BAD_REQUEST, "ORGANIZATION_NOT_IN_CHANNEL", "channel "
                    + genesis.channelId() + " has no organization " + mspId + ": this peer cannot join it");
        }
        ValidationResult result = new IdentityValidator(genesis.registry(), CertificatePurpose.TLS, Clock.systemUTC(), 16)
                .validate(mspId, caller, Role.ADMIN);
        if (result instanceof ValidationResult.Rejected rejected) {
            throw notAdmin("not an admin of " + mspId + " in channel " + genesis.channelId() + ": " + rejected);
        }
        return caller;
    }

    private static X509Certificate caller(HttpServletRequest request) {
        if (request.getAttribute(CLIENT_CERTIFICATES) instanceof X509Certificate[] chain && chain.length > 0) {
            return chain[0];
        }
        throw new AdminException(HttpStatus.UNAUTHORIZED, "CLIENT_CERTIFICATE_REQUIRED", "a TLS client certificate is required");
    }

    private static AdminException notAdmin(String message) {
        return new AdminException(HttpStatus.FORBIDDEN, "NOT_ADMIN", message);
    }
}
