package io.charter.membership.revocation;

import io.charter.common.pki.CertificatePurpose;
import io.charter.membership.Caller;
import java.math.BigInteger;

/** Revocation and CRLs. Every revocation bumps the global CRL version and regenerates the affected CRLs. */
public final class RevocationService {

    RevocationService() {}

    /**
     * Revokes an identity and every certificate it holds. Admins of its organization or consortium admins.
     *
     * @throws io.charter.membership.MembershipException FORBIDDEN, IDENTITY_NOT_FOUND, IDENTITY_REVOKED
     */
    public RevocationResult revokeIdentity(Caller caller, String enrollmentId, RevocationReason reason) {
        throw new UnsupportedOperationException();
    }

    /**
     * Revokes one certificate by serial number (the identity stays usable: it can enroll or re-enroll).
     *
     * @throws io.charter.membership.MembershipException FORBIDDEN, CERTIFICATE_NOT_FOUND, CERTIFICATE_REVOKED
     */
    public RevocationResult revokeCertificate(Caller caller, BigInteger serialNumber, RevocationReason reason) {
        throw new UnsupportedOperationException();
    }

    /**
     * The current CRL of an organization's issuing CA, regenerated first if half its next-update
     * distance has passed. Public: needs no caller.
     *
     * @throws io.charter.membership.MembershipException ORGANIZATION_NOT_FOUND
     */
    public Crl crl(String mspId, CertificatePurpose profile) {
        throw new UnsupportedOperationException();
    }

    /** The global CRL version: increases with every revocation. */
    public long crlVersion() {
        throw new UnsupportedOperationException();
    }
}
