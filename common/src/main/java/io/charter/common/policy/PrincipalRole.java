package io.charter.common.policy;

import io.charter.common.pki.Role;
import java.util.Locale;
import java.util.Optional;

/**
 * The role part of a principal: either one of the certificate roles, or {@link #MEMBER}, which
 * accepts an identity of the organization in any role (as Fabric's {@code member} does).
 */
public enum PrincipalRole {
    MEMBER,
    CLIENT,
    PEER,
    ORDERER,
    ADMIN;

    /** The lower-case name written in principals, e.g. {@code peer} in {@code 'Org1.peer'}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean accepts(Role role) {
        return this == MEMBER || name().equals(role.name());
    }

    public static PrincipalRole of(Role role) {
        return valueOf(role.name());
    }

    /** Exact, case-sensitive: the canonical text uses lower case and there is one way to write each role. */
    public static Optional<PrincipalRole> fromLabel(String label) {
        for (PrincipalRole role : values()) {
            if (role.label().equals(label)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
