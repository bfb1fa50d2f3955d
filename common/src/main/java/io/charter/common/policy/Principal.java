package io.charter.common.policy;

import io.charter.common.identity.ValidatedIdentity;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who may sign: an organization's MSP id and the role its signer must have, written
 * {@code 'Org1.peer'}. The MSP id may itself contain dots; the role is what follows the last one.
 */
public record Principal(String mspId, PrincipalRole role) {

    static final Pattern MSP_ID = Pattern.compile("[A-Za-z0-9._-]+");

    public Principal {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(role, "role");
        if (!MSP_ID.matcher(mspId).matches()) {
            throw new IllegalArgumentException(
                    "MSP id must be non-empty and use only letters, digits, '.', '_' and '-': '" + mspId + "'");
        }
    }

    public boolean isSatisfiedBy(ValidatedIdentity signer) {
        return signer.mspId().equals(mspId) && role.accepts(signer.role());
    }

    /** The quoted form used in policy text, e.g. {@code 'Org1.peer'}. */
    public String text() {
        return "'" + mspId + "." + role.label() + "'";
    }

    @Override
    public String toString() {
        return text();
    }
}
