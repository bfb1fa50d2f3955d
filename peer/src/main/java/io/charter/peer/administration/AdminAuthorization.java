package io.charter.peer.administration;

import io.charter.common.admin.AdminCaller;
import io.charter.common.identity.IdentityValidator;
import io.charter.common.identity.ValidationResult;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.peer.validation.ChannelContext;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who may administer the peer (install contracts, join channels, list them), on the admin REST API and
 * on the transport alike: an ADMIN of the peer's own organization.
 *
 * <ul>
 *   <li>The TLS certificate of the caller (already verified by the listener: the HTTPS listener against
 *       {@code charter.peer.tls.trusted-roots}, the transport against those and the joined channels' TLS
 *       roots) names the peer's organization and the ADMIN role, and in every joined channel that defines
 *       the organization it is a valid TLS identity of it (the channel's TLS CAs and CRLs: a revoked admin
 *       is refused).</li>
 *   <li>A signed transport request's creator (its signing certificate) names the same subject and is a
 *       valid signing identity of the organization in every joined channel that defines it.</li>
 *   <li>A join also checks both against the genesis block's configuration: the organization must be in
 *       the channel and the caller an ADMIN of it there.</li>
 * </ul>
 */
public final class AdminAuthorization {

    private final String mspId;
    private final Supplier<? extends Collection<? extends AdministeredChannel>> channels;
    private final Clock clock;

    public AdminAuthorization(String mspId, Supplier<? extends Collection<? extends AdministeredChannel>> channels, Clock clock) {
        this.mspId = mspId;
        this.channels = channels;
        this.clock = clock;
    }

    /** The organization whose admins may administer the peer. */
    public String mspId() {
        return mspId;
    }

    /**
     * Checks the caller's TLS certificate and, for a signed request, its creator's signing certificate;
     * with {@code genesis}, also against the configuration of the channel about to be joined.
     *
     * @throws AdminRefusedException NOT_ADMIN, OTHER_ORGANIZATION, CREATOR_MISMATCH or ORGANIZATION_NOT_IN_CHANNEL
     */
    public void requireAdmin(AdminCaller caller, Optional<ChannelContext> genesis) {
        SubjectName tlsSubject = requireAdminSubject(caller.tls(), "TLS certificate");
        for (AdministeredChannel channel : channels.get()) {
            if (channel.context().registry().mspIds().contains(mspId)
                    && channel.tlsCaller(caller.tls()).filter(id -> id.mspId().equals(mspId)).isEmpty()) {
                throw notAdmin("the TLS certificate of " + tlsSubject.commonName() + " is not a valid TLS identity of "
                        + mspId + " on channel " + channel.channelId() + " (revoked, expired or not issued by its TLS CAs)");
            }
        }
        if (caller.signer().isPresent()) {
            X509Certificate signer = caller.signer().get();
            SubjectName signerSubject = requireAdminSubject(signer, "signing certificate");
            if (!signerSubject.commonName().equals(tlsSubject.commonName())) {
                throw new AdminRefusedException(AdminRefusal.CREATOR_MISMATCH, "the request is signed by "
                        + signerSubject.commonName() + " but the connection's TLS certificate is "
                        + tlsSubject.commonName() + "'s: sign with the identity whose TLS certificate you connect with");
            }
            for (AdministeredChannel channel : channels.get()) {
                if (channel.context().registry().mspIds().contains(mspId)
                        && channel.context().identities().validate(mspId, signer) instanceof ValidationResult.Rejected r) {
                    throw notAdmin("the signing certificate of " + signerSubject.commonName() + " is not a valid identity of "
                            + mspId + " on channel " + channel.channelId() + ": " + r);
                }
            }
        }
        if (genesis.isPresent()) {
            requireAdminIn(genesis.get(), caller);
        }
    }

    private void requireAdminIn(ChannelContext genesis, AdminCaller caller) {
        if (!genesis.registry().mspIds().contains(mspId)) {
            throw new AdminRefusedException(AdminRefusal.ORGANIZATION_NOT_IN_CHANNEL, "channel " + genesis.channelId()
                    + " has no organization " + mspId + ": this peer cannot join it");
        }
        ValidationResult tls = new IdentityValidator(genesis.registry(), CertificatePurpose.TLS, clock, 0)
                .validate(mspId, caller.tls(), Role.ADMIN);
        if (tls instanceof ValidationResult.Rejected rejected) {
            throw notAdmin("the TLS certificate is not an admin of " + mspId + " in channel " + genesis.channelId() + ": "
                    + rejected);
        }
        if (caller.signer().isPresent()) {
            ValidationResult signing = new IdentityValidator(genesis.registry(), CertificatePurpose.SIGNING, clock, 0)
                    .validate(mspId, caller.signer().get(), Role.ADMIN);
            if (signing instanceof ValidationResult.Rejected rejected) {
                throw notAdmin("the signing certificate is not an admin of " + mspId + " in channel " + genesis.channelId()
                        + ": " + rejected);
            }
        }
    }

    private SubjectName requireAdminSubject(X509Certificate certificate, String what) {
        SubjectName subject = SubjectName.from(certificate)
                .orElseThrow(() -> notAdmin("the " + what + " has no usable subject (organization and role)"));
        if (!subject.organization().equals(mspId)) {
            throw new AdminRefusedException(AdminRefusal.OTHER_ORGANIZATION, "the " + what + " of " + subject.commonName()
                    + " is of " + subject.organization() + ", not of " + mspId + ": act as an admin of " + mspId);
        }
        if (subject.role().filter(Role.ADMIN::equals).isEmpty()) {
            throw notAdmin("the " + what + " of " + subject.commonName() + " is not an ADMIN of " + mspId
                    + " (role " + subject.role().map(Role::name).orElse("none") + "): act as an admin of " + mspId);
        }
        return subject;
    }

    private static AdminRefusedException notAdmin(String message) {
        return new AdminRefusedException(AdminRefusal.NOT_ADMIN, message);
    }
}
