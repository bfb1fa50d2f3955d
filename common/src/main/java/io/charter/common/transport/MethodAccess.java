package io.charter.common.transport;

import io.charter.common.pki.Role;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may call a method, decided from the caller's TLS certificate alone, before the request's body
 * is read: the roles that may call, and whether the caller must belong to the node's own
 * organization. A node's methods and their access are its access table (docs/security.md);
 * channel-level rules (a channel's Readers or Writers policy, a channel member's admin) are checked
 * by the handler afterwards, once the body names the channel.
 *
 * @param roles the roles that may call
 * @param scope which organizations' members may call
 */
public record MethodAccess(Set<Role> roles, Scope scope) {

    /** Which organizations may call. */
    public enum Scope {
        /** Only the node's own organization: the organization of its TLS certificate. */
        OWN_ORGANIZATION,
        /**
         * Any organization whose certificates the node's TLS trust accepts; the handler then checks the
         * channel's policy for the channel the request names.
         */
        TRUSTED_ORGANIZATION
    }

    public MethodAccess {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a method needs at least one role that may call it");
        }
        roles = Set.copyOf(EnumSet.copyOf(roles));
        Objects.requireNonNull(scope, "scope");
    }

    /** The given roles of the node's own organization. */
    public static MethodAccess ownOrganization(Role... roles) {
        return new MethodAccess(Set.of(roles), Scope.OWN_ORGANIZATION);
    }

    /** The given roles of any trusted organization (the handler checks the channel's policy). */
    public static MethodAccess trustedOrganizations(Role... roles) {
        return new MethodAccess(Set.of(roles), Scope.TRUSTED_ORGANIZATION);
    }

    /** Whether {@code caller} may call on a node of {@code ownOrganization}. */
    public boolean admits(TransportCaller caller, String ownOrganization) {
        return roles.contains(caller.role())
                && (scope == Scope.TRUSTED_ORGANIZATION || caller.organization().equals(ownOrganization));
    }

    /** For refusals and the documented table, e.g. "peer of Org1MSP". */
    public String describe(String ownOrganization) {
        String names = Arrays.stream(Role.values()).filter(roles::contains).map(Role::label)
                .collect(Collectors.joining(", "));
        return names + (scope == Scope.OWN_ORGANIZATION ? " of " + ownOrganization : " of a trusted organization");
    }
}
