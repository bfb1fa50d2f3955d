package io.charter.membership.identity;

import io.charter.common.pki.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A modification of an identity: each present field replaces the stored value.
 *
 * @param hosts the node's approved hosts, replacing the stored ones (an empty list removes them all)
 */
public record IdentityUpdate(Optional<Map<String, String>> attributes, Optional<Integer> maxEnrollments, Optional<Role> type,
                             Optional<List<String>> hosts) {

    public static IdentityUpdate none() {
        return new IdentityUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public IdentityUpdate withAttributes(Map<String, String> value) {
        return new IdentityUpdate(Optional.of(Map.copyOf(value)), maxEnrollments, type, hosts);
    }

    public IdentityUpdate withMaxEnrollments(int value) {
        return new IdentityUpdate(attributes, Optional.of(value), type, hosts);
    }

    public IdentityUpdate withType(Role value) {
        return new IdentityUpdate(attributes, maxEnrollments, Optional.of(value), hosts);
    }

    public IdentityUpdate withHosts(List<String> value) {
        // null elements are kept for the checks to refuse with HOST_INVALID
        return new IdentityUpdate(attributes, maxEnrollments, type,
                Optional.of(java.util.Collections.unmodifiableList(new java.util.ArrayList<>(value))));
    }
}
