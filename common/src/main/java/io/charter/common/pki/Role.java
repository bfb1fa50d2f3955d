package io.charter.common.pki;

import java.util.Locale;
import java.util.Optional;

/**
 * The role a certificate holder plays in the network. It is carried in the certificate subject as
 * the organizational unit ({@code OU=peer}), the way Fabric's NodeOUs classify identities.
 */
public enum Role {
    CLIENT,
    PEER,
    ORDERER,
    ADMIN;

    /** The lower-case name used in certificate subjects and in policy principals ({@code 'Org1.peer'}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromLabel(String label) {
        for (Role role : values()) {
            if (role.label().equals(label)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
