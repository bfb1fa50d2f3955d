package io.charter.membership.identity;

import io.charter.membership.Caller;
import java.util.List;

/** Registration and administration of identities (Fabric CA's {@code register} and {@code identity}). */
public final class IdentityService {

    IdentityService() {}

    /**
     * Registers an identity and returns its one-time enrollment secret. An admin of the organization
     * or a consortium admin only.
     *
     * @throws io.charter.membership.MembershipException FORBIDDEN, ORGANIZATION_NOT_FOUND, IDENTITY_EXISTS, INVALID_REQUEST
     */
    public Registration register(Caller caller, RegistrationRequest request) {
        throw new UnsupportedOperationException();
    }

    /** The identities of {@code mspId}, ordered by id. Admins of that organization or consortium admins. */
    public List<IdentityInfo> list(Caller caller, String mspId) {
        throw new UnsupportedOperationException();
    }

    /** One identity with its certificates. Its organization's admins, consortium admins, or the identity itself. */
    public IdentityInfo show(Caller caller, String enrollmentId) {
        throw new UnsupportedOperationException();
    }

    /** Modifies attributes, max enrollments or type. Admins of its organization or consortium admins. */
    public IdentityInfo modify(Caller caller, String enrollmentId, IdentityUpdate update) {
        throw new UnsupportedOperationException();
    }
}
