package io.charter.common.identity;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.charter.common.crypto.EcKeys;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.common.pki.CertificateAttributes;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.Certificates;
import io.charter.common.pki.PkiFormatException;
import io.charter.common.pki.Role;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;

/**
 * Decides whether a certificate is a valid identity of an organization, like Fabric's MSP: its chain
 * reaches the organization's roots through the organization's issuing CAs (each link's signature
 * verified, every issuer a CA allowed to sign certificates, path lengths respected), its subject names
 * the organization and a role, neither it nor a CA of its chain is revoked by the organization's CRLs,
 * and every certificate of the chain is within its validity period now.
 *
 * <p>The same few certificates sign thousands of transactions, so the time-independent part of the
 * verdict (chain, subject, revocation, attributes) is cached per certificate and MSP id in a bounded LRU
 * map. A cached verdict is used only while the organization's {@linkplain MspRegistry#version version} is
 * the one it was computed under (new CRLs or a new definition invalidate it), and the validity period is
 * checked against the clock on every call, so expiry is noticed even on a cache hit; an entry is dropped
 * once the chain has expired. Thread-safe.
 */
public final class IdentityValidator {

    public static final int DEFAULT_CACHE_SIZE = 10_000;

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    /** The most certificates a chain may hold, the identity's and the root's included. */
    private static final int MAX_CHAIN_LENGTH = 8;
    private static final int KEY_USAGE_DIGITAL_SIGNATURE = 0;
    private static final int KEY_USAGE_KEY_CERT_SIGN = 5;
    private static final Set<String> UNDERSTOOD_CRITICAL_EXTENSIONS = Set.of(
            Extension.basicConstraints.getId(), Extension.keyUsage.getId(), Extension.extendedKeyUsage.getId(),
            Extension.subjectAlternativeName.getId());

    private final MspRegistry registry;
    private final CertificatePurpose purpose;
    private final Clock clock;
    private final SignatureVerifier verifier;
    private final int cacheSize;
    private final Map<CacheKey, Verdict> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /** A validator of signing identities with the system clock and a cache of {@value #DEFAULT_CACHE_SIZE}. */
    public IdentityValidator(MspRegistry registry) {
        this(registry, CertificatePurpose.SIGNING, Clock.systemUTC(), DEFAULT_CACHE_SIZE);
    }

    /**
     * @param purpose which CAs of each organization anchor the certificates: signing or TLS
     * @param cacheSize the most certificates whose verdicts are kept; 0 disables the cache
     */
    public IdentityValidator(MspRegistry registry, CertificatePurpose purpose, Clock clock, int cacheSize) {
        this(registry, purpose, clock, cacheSize, new EcdsaVerifier());
    }

    public IdentityValidator(
            MspRegistry registry, CertificatePurpose purpose, Clock clock, int cacheSize, SignatureVerifier verifier) {
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize must not be negative");
        }
        this.registry = registry;
        this.purpose = purpose;
        this.clock = clock;
        this.verifier = verifier;
        this.cacheSize = cacheSize;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<CacheKey, Verdict> eldest) {
                boolean evict = size() > IdentityValidator.this.cacheSize;
                if (evict) {
                    evictions.increment();
                }
                return evict;
            }
        };
    }

    /** Validates a DER certificate claimed for {@code mspId}, with any role ("member"). */
    public ValidationResult validate(String mspId, byte[] certificateDer) {
        return validate(mspId, certificateDer, null);
    }

    /**
     * Validates a DER certificate claimed for {@code mspId}.
     *
     * @param requiredRole the role the certificate must name, or null for any role ("member")
     */
    public ValidationResult validate(String mspId, byte[] certificateDer, Role requiredRole) {
        if (certificateDer == null) {
            return malformed("no certificate");
        }
        return validate(mspId, ByteString.copyFrom(certificateDer), null, requiredRole);
    }

    /**
     * Validates a DER certificate claimed for {@code mspId}, with any role ("member"), as carried in a
     * message: no copy of the bytes is made to look the verdict up (validators call this for every
     * signature of every transaction).
     */
    public ValidationResult validate(String mspId, ByteString certificateDer) {
        if (certificateDer == null) {
            return malformed("no certificate");
        }
        return validate(mspId, certificateDer, null, null);
    }

    /** Validates a certificate claimed for {@code mspId}, with any role ("member"). */
    public ValidationResult validate(String mspId, X509Certificate certificate) {
        return validate(mspId, certificate, null);
    }

    /**
     * Validates a certificate claimed for {@code mspId}.
     *
     * @param requiredRole the role the certificate must name, or null for any role ("member")
     */
    public ValidationResult validate(String mspId, X509Certificate certificate, Role requiredRole) {
        if (certificate == null) {
            return malformed("no certificate");
        }
        try {
            // getEncoded returns a fresh copy, so wrapping it without another copy is safe
            return validate(mspId, UnsafeByteOperations.unsafeWrap(certificate.getEncoded()), certificate, requiredRole);
        } catch (CertificateEncodingException e) {
            return malformed("the certificate cannot be encoded: " + e.getMessage());
        }
    }

    /** Counters of the verdict cache, for metrics and tests. */
    public CacheStats cacheStats() {
        synchronized (cache) {
            return new CacheStats(hits.sum(), misses.sum(), evictions.sum(), cache.size(), cacheSize);
        }
    }

    public void clearCache() {
        synchronized (cache) {
            cache.clear();
        }
    }

    /** @param hits validations answered from the cache; misses: computed (first sight, stale, expired entry) */
    public record CacheStats(long hits, long misses, long evictions, int size, int capacity) {}

    // ---- the validation ----

    private ValidationResult validate(String mspId, ByteString der, X509Certificate parsed, Role requiredRole) {
        Optional<MspRegistry.Organization> found = registry.organization(mspId);
        if (found.isEmpty()) {
            return new ValidationResult.Rejected(RejectionReason.UNKNOWN_ORGANIZATION, "'" + mspId
                    + "' is not an organization of this channel (known: " + registry.mspIds()
                    + "); check the MSP id of the signer, or add the organization to the channel configuration");
        }
        MspRegistry.Organization organization = found.get();
        Instant now = clock.instant();
        CacheKey key = new CacheKey(mspId, der);

        Verdict verdict = cached(key, organization.version(), now);
        if (verdict == null) {
            misses.increment();
            X509Certificate certificate = parsed;
            if (certificate == null) {
                try {
                    certificate = Certificates.parseCertificate(der.toByteArray());
                } catch (PkiFormatException e) {
                    return malformed(e.getMessage());
                }
            }
            verdict = judge(mspId, certificate, organization);
            if (cacheSize > 0 && !now.isAfter(verdict.notAfter())) {
                synchronized (cache) {
                    cache.put(key, verdict);
                }
            }
        } else {
            hits.increment();
        }
        if (verdict.rejection() != null) {
            return verdict.rejection();
        }
        if (now.isBefore(verdict.notBefore()) || now.isAfter(verdict.notAfter())) {
            // Outside the chain's common validity window: find the certificate to name (rare, so not cached).
            ValidationResult timely = checkTime(verdict.chain(), now);
            if (timely != null) {
                return timely;
            }
        }
        ValidatedIdentity identity = verdict.identity();
        if (requiredRole != null && identity.role() != requiredRole) {
            return new ValidationResult.Rejected(RejectionReason.WRONG_ROLE, "'" + identity.enrollmentId() + "' of "
                    + mspId + " is a " + identity.role().label() + ", but a " + requiredRole.label()
                    + " is required; sign with a " + requiredRole.label() + " identity of the organization");
        }
        return new ValidationResult.Valid(identity);
    }

    /** The cached verdict if it is current: same organization version and the chain not yet expired. */
    private Verdict cached(CacheKey key, long version, Instant now) {
        synchronized (cache) {
            Verdict verdict = cache.get(key);
            if (verdict == null) {
                return null;
            }
            if (verdict.version() != version || now.isAfter(verdict.notAfter())) {
                cache.remove(key);
                return null;
            }
            return verdict;
        }
    }

    /** Everything that does not depend on the time: chain, revocation, subject, attributes. */
    private Verdict judge(String mspId, X509Certificate certificate, MspRegistry.Organization organization) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        ValidationResult.Rejected rejection = checkEndEntity(certificate);
        if (rejection == null) {
            rejection = buildChain(mspId, chain, organization.definition());
        }
        if (rejection == null) {
            rejection = checkRevocation(mspId, chain, organization);
        }
        ValidatedIdentity identity = null;
        if (rejection == null) {
            Object subjectCheck = checkSubject(mspId, certificate);
            if (subjectCheck instanceof ValidationResult.Rejected rejected) {
                rejection = rejected;
            } else {
                identity = (ValidatedIdentity) subjectCheck;
            }
        }
        Instant notBefore = chain.stream().map(c -> c.getNotBefore().toInstant()).max(Instant::compareTo).orElseThrow();
        Instant notAfter = chain.stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo).orElseThrow();
        return new Verdict(organization.version(), List.copyOf(chain), notBefore, notAfter, identity, rejection);
    }

    private ValidationResult.Rejected checkEndEntity(X509Certificate certificate) {
        if (certificate.getBasicConstraints() != -1) {
            return new ValidationResult.Rejected(RejectionReason.UNSUITABLE_CERTIFICATE, "the certificate of "
                    + certificate.getSubjectX500Principal() + " is a CA certificate; identities sign with an "
                    + "end-entity certificate enrolled from the organization's CA");
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && (keyUsage.length <= KEY_USAGE_DIGITAL_SIGNATURE || !keyUsage[KEY_USAGE_DIGITAL_SIGNATURE])) {
            return new ValidationResult.Rejected(RejectionReason.UNSUITABLE_CERTIFICATE, "the certificate of "
                    + certificate.getSubjectX500Principal() + " does not allow digital signatures (key usage); "
                    + "enroll a signing certificate");
        }
        Set<String> critical = certificate.getCriticalExtensionOIDs();
        if (critical != null) {
            for (String oid : critical) {
                if (!UNDERSTOOD_CRITICAL_EXTENSIONS.contains(oid)) {
                    return new ValidationResult.Rejected(RejectionReason.UNSUITABLE_CERTIFICATE, "the certificate of "
                            + certificate.getSubjectX500Principal() + " has a critical extension " + oid
                            + " that Charter does not understand");
                }
            }
        }
        return null;
    }

    /**
     * Extends {@code chain} (holding the leaf) up to one of the organization's roots. The leaf's issuer
     * must be one of the organization's issuing CAs when it lists any, one of its roots otherwise.
     */
    private ValidationResult.Rejected buildChain(String mspId, List<X509Certificate> chain, MspDefinition definition) {
        List<X509Certificate> roots = definition.roots(purpose);
        List<X509Certificate> intermediates = definition.intermediates(purpose);
        List<X509Certificate> candidates = intermediates.isEmpty() ? roots : intermediates;
        List<X509Certificate> upper = new ArrayList<>(intermediates);
        upper.addAll(roots);
        String trusted = intermediates.isEmpty() ? "root CAs" : "issuing (intermediate) CAs";

        while (chain.size() < MAX_CHAIN_LENGTH) { // room for one more certificate: its issuer
            X509Certificate current = chain.getLast();
            X509Certificate issuer = findIssuer(current, candidates);
            if (issuer == null) {
                return notIssued(mspId, current == chain.getFirst()
                        ? "it was not issued by one of " + mspId + "'s " + purposeName() + trusted
                                + " (issuer: " + current.getIssuerX500Principal() + ")"
                        : "its CA " + current.getSubjectX500Principal() + " does not chain to a root of " + mspId);
            }
            ValidationResult.Rejected notCa = checkIssuerIsCa(mspId, issuer, chain.size() - 1);
            if (notCa != null) {
                return notCa;
            }
            chain.add(issuer);
            if (roots.contains(issuer)) {
                return null;
            }
            candidates = upper;
        }
        return notIssued(mspId, "its chain is longer than " + MAX_CHAIN_LENGTH + " certificates");
    }

    private String purposeName() {
        return purpose == CertificatePurpose.TLS ? "TLS " : "";
    }

    private X509Certificate findIssuer(X509Certificate certificate, List<X509Certificate> candidates) {
        for (X509Certificate candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                    && !candidate.equals(certificate)
                    && signedBy(certificate, candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            if (ECDSA_WITH_SHA256.equals(certificate.getSigAlgOID()) && EcKeys.isP256(issuer.getPublicKey())) {
                return verifier.verify(issuer.getPublicKey(), certificate.getTBSCertificate(), certificate.getSignature());
            }
            certificate.verify(issuer.getPublicKey()); // an organization's own PKI with other algorithms
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** @param caCertificatesBelow how many CA certificates sit between {@code issuer} and the leaf */
    private static ValidationResult.Rejected checkIssuerIsCa(String mspId, X509Certificate issuer, int caCertificatesBelow) {
        if (issuer.getBasicConstraints() < 0) {
            return notIssued(mspId, "its issuer " + issuer.getSubjectX500Principal() + " is not a CA (basic constraints)");
        }
        if (issuer.getBasicConstraints() < caCertificatesBelow) {
            return notIssued(mspId, "its issuer " + issuer.getSubjectX500Principal()
                    + " may not have CAs below it (path length " + issuer.getBasicConstraints() + ")");
        }
        boolean[] keyUsage = issuer.getKeyUsage();
        if (keyUsage != null && (keyUsage.length <= KEY_USAGE_KEY_CERT_SIGN || !keyUsage[KEY_USAGE_KEY_CERT_SIGN])) {
            return notIssued(mspId, "its issuer " + issuer.getSubjectX500Principal()
                    + " may not sign certificates (key usage lacks keyCertSign)");
        }
        return null;
    }

    private static ValidationResult.Rejected checkRevocation(
            String mspId, List<X509Certificate> chain, MspRegistry.Organization organization) {
        for (int i = 0; i < chain.size() - 1; i++) { // the root is trusted as configured
            X509Certificate certificate = chain.get(i);
            if (organization.isRevoked(certificate.getIssuerX500Principal(), certificate.getSerialNumber())) {
                String what = i == 0 ? "the certificate of " + certificate.getSubjectX500Principal()
                        : "its issuing CA " + certificate.getSubjectX500Principal();
                return new ValidationResult.Rejected(RejectionReason.REVOKED, what + " (serial "
                        + certificate.getSerialNumber().toString(16) + ") is revoked by a CRL of " + mspId
                        + (i == 0 ? "; the holder must enroll again to get a new certificate"
                                  : "; every certificate it issued must be re-issued by a valid CA"));
            }
        }
        return null;
    }

    /** The identity, or a rejection, from the subject and the attribute extension. */
    private static Object checkSubject(String mspId, X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        List<String> organizations = values(subject, BCStyle.O);
        if (organizations.size() != 1 || !organizations.getFirst().equals(mspId)) {
            return notIssued(mspId, "its subject names organization " + organizations + ", not " + mspId);
        }
        List<String> commonNames = values(subject, BCStyle.CN);
        if (commonNames.size() != 1 || commonNames.getFirst().isBlank()) {
            return new ValidationResult.Rejected(RejectionReason.MALFORMED_CERTIFICATE,
                    "the subject " + certificate.getSubjectX500Principal() + " needs exactly one CN (the enrollment id)");
        }
        List<String> units = values(subject, BCStyle.OU);
        Optional<Role> role = units.size() == 1 ? Role.fromLabel(units.getFirst()) : Optional.empty();
        if (role.isEmpty()) {
            return new ValidationResult.Rejected(RejectionReason.MISSING_ROLE, "the subject "
                    + certificate.getSubjectX500Principal() + " must name exactly one role in OU (client, peer, "
                    + "orderer or admin), found " + units + "; enroll with a role");
        }
        Optional<Map<String, String>> attributes = CertificateAttributes.read(certificate);
        if (attributes.isEmpty()) {
            return new ValidationResult.Rejected(RejectionReason.BAD_ATTRIBUTES, "the attribute extension of "
                    + certificate.getSubjectX500Principal() + " is not well-formed; re-enroll to get a correct certificate");
        }
        return new ValidatedIdentity(mspId, role.get(), commonNames.getFirst(), certificate, attributes.get());
    }

    private static List<String> values(X500Name name, ASN1ObjectIdentifier type) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : name.getRDNs(type)) {
            if (rdn.isMultiValued()) {
                values.add(""); // never a valid single value
            } else {
                values.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
            }
        }
        return values;
    }

    private static ValidationResult checkTime(List<X509Certificate> chain, Instant now) {
        for (X509Certificate certificate : chain) {
            String what = certificate == chain.getFirst() ? "the certificate of " + certificate.getSubjectX500Principal()
                    : "its CA " + certificate.getSubjectX500Principal();
            if (now.isAfter(certificate.getNotAfter().toInstant())) {
                return new ValidationResult.Rejected(RejectionReason.EXPIRED, what + " expired at "
                        + certificate.getNotAfter().toInstant() + "; re-enroll to get a fresh certificate");
            }
            if (now.isBefore(certificate.getNotBefore().toInstant())) {
                return new ValidationResult.Rejected(RejectionReason.NOT_YET_VALID, what + " is valid only from "
                        + certificate.getNotBefore().toInstant() + "; check the clocks of signer and validator");
            }
        }
        return null;
    }

    private static ValidationResult.Rejected notIssued(String mspId, String why) {
        return new ValidationResult.Rejected(RejectionReason.NOT_ISSUED_BY_ORGANIZATION, "not an identity of "
                + mspId + ": " + why + "; sign with a certificate enrolled from " + mspId + "'s CA");
    }

    private static ValidationResult.Rejected malformed(String why) {
        return new ValidationResult.Rejected(RejectionReason.MALFORMED_CERTIFICATE,
                "not a usable X.509 certificate (" + why + "); send the DER encoding of the signer's certificate");
    }

    /**
     * The certificate's DER bytes (immutable) with the MSP id it is claimed for. Hashed over the last
     * bytes of the DER only, which are the certificate's signature and so differ between any two
     * certificates: hashing all of a ~700-byte certificate on every lookup (ByteString's own hash, not
     * cached across the fresh ByteStrings that each parsed message carries) was the validator's largest
     * cost after the signature checks. Equality still compares every byte.
     */
    private record CacheKey(String mspId, ByteString der, int hash) {
        private static final int HASHED_TAIL = 32;

        CacheKey(String mspId, ByteString der) {
            this(mspId, der, tailHash(mspId, der));
        }

        private static int tailHash(String mspId, ByteString der) {
            int h = 31 * mspId.hashCode() + der.size();
            for (int i = Math.max(0, der.size() - HASHED_TAIL); i < der.size(); i++) {
                h = 31 * h + der.byteAt(i);
            }
            return h;
        }

        @Override
        public boolean equals(Object other) {
            // ByteBuffer comparison is vectorized; ByteString's compares byte by byte
            return other instanceof CacheKey that && hash == that.hash && mspId.equals(that.mspId)
                    && der.asReadOnlyByteBuffer().equals(that.der.asReadOnlyByteBuffer());
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * The time-independent verdict on one certificate for one organization version: the identity, or a
     * rejection; the chain, and the latest notBefore and earliest notAfter in it for the time checks.
     */
    private record Verdict(long version, List<X509Certificate> chain, Instant notBefore, Instant notAfter,
                           ValidatedIdentity identity, ValidationResult.Rejected rejection) {}
}
