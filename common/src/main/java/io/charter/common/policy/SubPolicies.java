package io.charter.common.policy;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The organizations of a channel and their named policies, which {@link ImplicitMeta} policies
 * refer to. A policy an organization does not define explicitly falls back to Fabric's defaults:
 * {@value #READERS} and {@value #WRITERS} = {@code 'Org.member'}, {@value #ADMINS} =
 * {@code 'Org.admin'}, {@value #ENDORSEMENT} = {@code 'Org.peer'}. Any other name must be defined.
 *
 * @param explicitPolicies per organization MSP id, its explicitly defined policies by name
 */
public record SubPolicies(Map<String, Map<String, SignaturePolicy>> explicitPolicies) {

    public static final String READERS = "Readers";
    public static final String WRITERS = "Writers";
    public static final String ADMINS = "Admins";
    public static final String ENDORSEMENT = "Endorsement";

    public SubPolicies {
        // Sorted so that explanations list organizations in a stable order.
        TreeMap<String, Map<String, SignaturePolicy>> copy = new TreeMap<>();
        explicitPolicies.forEach((mspId, policies) -> {
            if (!Principal.MSP_ID.matcher(mspId).matches()) {
                throw new IllegalArgumentException("not an MSP id: '" + mspId + "'");
            }
            copy.put(mspId, Collections.unmodifiableSortedMap(new TreeMap<>(policies)));
        });
        explicitPolicies = Collections.unmodifiableSortedMap(copy);
    }

    /** Organizations with only the default policies. */
    public static SubPolicies withDefaults(Collection<String> mspIds) {
        TreeMap<String, Map<String, SignaturePolicy>> policies = new TreeMap<>();
        mspIds.forEach(mspId -> policies.put(mspId, Map.of()));
        return new SubPolicies(policies);
    }

    public static SubPolicies withDefaults(String... mspIds) {
        return withDefaults(List.of(mspIds));
    }

    /** A copy in which {@code mspId} (added if new) defines {@code name} as {@code policy}. */
    public SubPolicies withPolicy(String mspId, String name, SignaturePolicy policy) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        TreeMap<String, Map<String, SignaturePolicy>> policies = new TreeMap<>(explicitPolicies);
        TreeMap<String, SignaturePolicy> ofOrganization = new TreeMap<>(policies.getOrDefault(mspId, Map.of()));
        ofOrganization.put(name, policy);
        policies.put(mspId, ofOrganization);
        return new SubPolicies(policies);
    }

    public SortedSet<String> organizations() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(explicitPolicies.keySet()));
    }

    /** The organization's policy of that name, explicit or default; empty if there is neither. */
    public Optional<SignaturePolicy> policy(String mspId, String name) {
        Map<String, SignaturePolicy> ofOrganization = explicitPolicies.get(mspId);
        if (ofOrganization == null) {
            return Optional.empty();
        }
        SignaturePolicy explicit = ofOrganization.get(name);
        return explicit != null ? Optional.of(explicit) : defaultPolicy(mspId, name);
    }

    public static Optional<SignaturePolicy> defaultPolicy(String mspId, String name) {
        return switch (name) {
            case READERS, WRITERS -> Optional.of(SignaturePolicy.signedBy(mspId, PrincipalRole.MEMBER));
            case ADMINS -> Optional.of(SignaturePolicy.signedBy(mspId, PrincipalRole.ADMIN));
            case ENDORSEMENT -> Optional.of(SignaturePolicy.signedBy(mspId, PrincipalRole.PEER));
            default -> Optional.empty();
        };
    }
}
