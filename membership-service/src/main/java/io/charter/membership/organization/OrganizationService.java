package io.charter.membership.organization;

import io.charter.membership.Caller;
import java.util.List;

/** Organizations of the consortium, each with its own issuing CAs under the consortium root. */
public final class OrganizationService {

    OrganizationService() {}

    /**
     * Creates an organization and its signing and TLS issuing CAs. Consortium admins only.
     *
     * @throws io.charter.membership.MembershipException FORBIDDEN, ORGANIZATION_EXISTS, INVALID_REQUEST
     */
    public OrganizationInfo create(Caller caller, String mspId) {
        throw new UnsupportedOperationException();
    }

    /** Every organization, ordered by MSP id. Any authenticated caller. */
    public List<OrganizationInfo> list(Caller caller) {
        throw new UnsupportedOperationException();
    }

    /** @throws io.charter.membership.MembershipException ORGANIZATION_NOT_FOUND */
    public OrganizationInfo show(Caller caller, String mspId) {
        throw new UnsupportedOperationException();
    }
}
