package io.charter.membership.identity;

import io.charter.common.identity.Role;
import java.util.Map;
import java.util.Optional;

/** A modification of an identity: each present field replaces the stored value. */
public record IdentityUpdate(Optional<Map<String, String>> attributes, Optional<Integer> maxEnrollments, Optional<Role> type) {

    public static IdentityUpdate none() {
        return new IdentityUpdate(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public IdentityUpdate withAttributes(Map<String, String> value) {
        return new IdentityUpdate(Optional.of(Map.copyOf(value)), maxEnrollments, type);
    }

    public IdentityUpdate withMaxEnrollments(int value) {
        return new IdentityUpdate(attributes, Optional.of(value), type);
    }

    public IdentityUpdate withType(Role value) {
        return new IdentityUpdate(attributes, maxEnrollments, Optional.of(value));
    }
}
