package io.charter.common.identity;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;

/**
 * The organizations a channel or node knows, by MSP id. Thread-safe; changes (a new channel
 * configuration, fresh CRLs) are rare and each one gives the changed organization a new version, which
 * makes {@link IdentityValidator} ignore what it had cached for that organization.
 */
public final class MspRegistry {

    private final Map<String, Organization> organizations = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    public MspRegistry() {}

    public MspRegistry(Collection<MspDefinition> definitions) {
        definitions.forEach(this::put);
    }

    /** Adds or replaces an organization. */
    public void put(MspDefinition definition) {
        organizations.put(definition.mspId(), new Organization(definition, versions.incrementAndGet()));
    }

    public void remove(String mspId) {
        organizations.remove(mspId);
        versions.incrementAndGet();
    }

    /**
     * Replaces the CRLs of an organization (as fetched from the membership service).
     *
     * @throws IllegalArgumentException for an unknown organization or a CRL none of its CAs signed
     */
    public void updateCrls(String mspId, List<X509CRL> crls) {
        organizations.compute(mspId, (id, current) -> {
            if (current == null) {
                throw new IllegalArgumentException("no organization " + mspId + " in this registry");
            }
            return new Organization(current.definition().withCrls(crls), versions.incrementAndGet());
        });
    }

    public Optional<MspDefinition> definition(String mspId) {
        return organization(mspId).map(Organization::definition);
    }

    public Set<String> mspIds() {
        return Set.copyOf(new TreeSet<>(organizations.keySet()));
    }

    /** The version of an organization's definition; it changes with every put or CRL update. */
    public Optional<Long> version(String mspId) {
        return organization(mspId).map(Organization::version);
    }

    /** The number of changes made to this registry so far. */
    public long epoch() {
        return versions.get();
    }

    Optional<Organization> organization(String mspId) {
        return mspId == null ? Optional.empty() : Optional.ofNullable(organizations.get(mspId));
    }

    /** One organization's definition, version, and its revoked serial numbers indexed by issuer. */
    record Organization(MspDefinition definition, long version, Map<X500Principal, Set<BigInteger>> revoked) {

        Organization(MspDefinition definition, long version) {
            this(definition, version, index(definition.crls()));
        }

        boolean isRevoked(X500Principal issuer, BigInteger serialNumber) {
            Set<BigInteger> serials = revoked.get(issuer);
            return serials != null && serials.contains(serialNumber);
        }

        private static Map<X500Principal, Set<BigInteger>> index(List<X509CRL> crls) {
            Map<X500Principal, Set<BigInteger>> index = new HashMap<>();
            for (X509CRL crl : crls) {
                Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
                if (entries == null) {
                    continue;
                }
                Set<BigInteger> serials = index.computeIfAbsent(crl.getIssuerX500Principal(), issuer -> new HashSet<>());
                for (X509CRLEntry entry : entries) {
                    // indirect CRL entries (another certificate issuer) are not used by Charter's CAs
                    serials.add(entry.getSerialNumber());
                }
            }
            index.replaceAll((issuer, serials) -> Set.copyOf(serials));
            return Map.copyOf(index);
        }
    }
}
