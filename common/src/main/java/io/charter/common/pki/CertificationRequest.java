package io.charter.common.pki;

import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * A PKCS#10 certification request whose self-signature has been verified: proof that whoever sent it
 * holds the private key of {@link #publicKey()}. Everything else in it (subject, names) is only a
 * request; the CA decides what to certify. Made by {@link CertificationRequests}.
 */
public final class CertificationRequest {

    private final byte[] encoded;
    private final X500Principal subject;
    private final PublicKey publicKey;
    private final List<String> subjectAlternativeNames;

    CertificationRequest(byte[] encoded, X500Principal subject, PublicKey publicKey, List<String> subjectAlternativeNames) {
        this.encoded = encoded.clone();
        this.subject = Objects.requireNonNull(subject);
        this.publicKey = Objects.requireNonNull(publicKey);
        this.subjectAlternativeNames = List.copyOf(subjectAlternativeNames);
    }

    /** The DER encoding, exactly as received or built. */
    public byte[] encoded() {
        return encoded.clone();
    }

    public X500Principal subject() {
        return subject;
    }

    /** The subject as a Charter name ({@code CN=<id>, OU=<role>, O=<MSP id>}), when it is one. */
    public Optional<SubjectName> subjectName() {
        return SubjectName.from(subject);
    }

    /** The P-256 key to certify. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /**
     * The DNS names and IP addresses requested in a subjectAlternativeName extension (PKCS#9
     * extensionRequest), in order. Other kinds of names are not carried over.
     */
    public List<String> subjectAlternativeNames() {
        return subjectAlternativeNames;
    }

    @Override
    public String toString() {
        return "CertificationRequest[" + subject.getName() + ", names=" + subjectAlternativeNames + "]";
    }
}
