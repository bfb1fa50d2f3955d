package io.charter.common.pki;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The subject of a Charter certificate: {@code CN=<enrollment id>, OU=<role>, O=<MSP id>}. The role
 * is absent on CA certificates. Keeping the organization and role in the subject (rather than in a
 * side table) lets every node decide who signed something from the certificate alone.
 */
public record SubjectName(String commonName, String organization, Optional<Role> role) {

    public SubjectName {
        requireText(commonName, "commonName");
        requireText(organization, "organization");
        Objects.requireNonNull(role, "role");
    }

    public static SubjectName of(String commonName, String organization, Role role) {
        return new SubjectName(commonName, organization, Optional.of(role));
    }

    public static SubjectName ca(String commonName, String organization) {
        return new SubjectName(commonName, organization, Optional.empty());
    }

    public X500Name toX500Name() {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        builder.addRDN(BCStyle.O, organization);
        role.ifPresent(r -> builder.addRDN(BCStyle.OU, r.label()));
        builder.addRDN(BCStyle.CN, commonName);
        return builder.build();
    }

    /**
     * Reads the subject of {@code certificate}. Empty when it lacks a CN or an O, or when its OU is
     * present but names no Charter role: such a certificate was not issued by a Charter CA.
     */
    public static Optional<SubjectName> from(X509Certificate certificate) {
        return from(certificate.getSubjectX500Principal());
    }

    /** Reads a distinguished name the same way as {@link #from(X509Certificate)} (for CSR subjects). */
    public static Optional<SubjectName> from(X500Principal principal) {
        X500Name name = X500Name.getInstance(principal.getEncoded());
        Optional<String> cn = single(name, BCStyle.CN);
        Optional<String> org = single(name, BCStyle.O);
        Optional<String> ou = single(name, BCStyle.OU);
        if (cn.isEmpty() || org.isEmpty()) {
            return Optional.empty();
        }
        if (ou.isEmpty()) {
            return Optional.of(ca(cn.get(), org.get()));
        }
        return Role.fromLabel(ou.get()).map(r -> of(cn.get(), org.get(), r));
    }

    private static Optional<String> single(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            return Optional.empty();
        }
        String value = IETFUtils.valueToString(rdns[0].getFirst().getValue());
        return value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
