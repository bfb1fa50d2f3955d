package io.charter.common.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * A certificate authority: a CA certificate with its private key, able to issue intermediate CAs,
 * end-entity certificates and CRLs. Certificates are built with Bouncy Castle and returned as plain
 * JDK {@link X509Certificate}s so that JSSE and the JDK's path validation accept them as they are.
 *
 * <p>Charter's hierarchy is consortium root, then one issuing CA per organization (one for signing
 * certificates, one for TLS certificates), then members and nodes.
 */
public final class CertificateAuthority {

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final SecureRandom SERIALS = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    /**
     * Restores a CA from its certificate, key and chain (for example loaded from encrypted storage).
     *
     * @param chain the CA certificate first, then its issuers up to and including the root
     */
    public static CertificateAuthority of(PrivateKey privateKey, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a CA needs at least its own certificate");
        }
        return new CertificateAuthority(chain.getFirst(), privateKey, chain);
    }

    /** Creates a self-signed root CA. */
    public static CertificateAuthority createRoot(SubjectName subject, KeyPair keys, Validity validity) {
        X500Name name = subject.toX500Name();
        X509Certificate root = build(
                new JcaX509v3CertificateBuilder(
                        name, serialNumber(), Date.from(validity.notBefore()), Date.from(validity.notAfter()),
                        name, keys.getPublic()),
                keys.getPublic(), keys.getPublic(), Extensions.ca(-1), keys.getPrivate());
        return new CertificateAuthority(root, keys.getPrivate(), List.of(root));
    }

    /** Issues a subordinate CA that may issue end-entity certificates only (path length 0). */
    public CertificateAuthority createIntermediate(SubjectName subject, KeyPair keys, Validity validity) {
        X509Certificate issued = build(
                builderFor(subject, keys.getPublic(), clamp(validity)),
                keys.getPublic(), certificate.getPublicKey(), Extensions.ca(0), privateKey);
        List<X509Certificate> newChain = new ArrayList<>();
        newChain.add(issued);
        newChain.addAll(chain);
        return new CertificateAuthority(issued, keys.getPrivate(), newChain);
    }

    /** Issues an end-entity certificate for a member or node. */
    public X509Certificate issue(CertificateTemplate template) {
        Extensions extensions = Extensions.endEntity(template);
        return build(
                builderFor(template.subject(), template.publicKey(), clamp(template.validity())),
                template.publicKey(), certificate.getPublicKey(), extensions, privateKey);
    }

    /** Issues a CRL signed by this CA. */
    public X509CRL issueCrl(List<RevokedCertificate> revoked, BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate) {
        if (!nextUpdate.isAfter(thisUpdate)) {
            throw new IllegalArgumentException("nextUpdate must be after thisUpdate");
        }
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(nextUpdate));
        for (RevokedCertificate entry : revoked) {
            builder.addCRLEntry(entry.serialNumber(), Date.from(entry.revokedAt()), entry.reasonCode());
        }
        try {
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate.getPublicKey()));
            X509CRLHolder holder = builder.build(signer(privateKey));
            return (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(holder.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not build a CRL for " + certificate.getSubjectX500Principal(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** This CA's certificate followed by its issuers, root last. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The root of this CA's chain. */
    public X509Certificate root() {
        return chain.getLast();
    }

    /** The CA's private key, for the membership service's encrypted key store; no API returns it. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    private JcaX509v3CertificateBuilder builderFor(SubjectName subject, PublicKey publicKey, Validity validity) {
        return new JcaX509v3CertificateBuilder(
                certificate, serialNumber(), Date.from(validity.notBefore()), Date.from(validity.notAfter()),
                subject.toX500Name(), publicKey);
    }

    /** A certificate cannot outlive its issuer; clamping keeps every issued chain valid end to end. */
    private Validity clamp(Validity requested) {
        Instant issuerEnd = certificate.getNotAfter().toInstant();
        return requested.notAfter().isAfter(issuerEnd) ? new Validity(requested.notBefore(), issuerEnd) : requested;
    }

    private static X509Certificate build(
            X509v3CertificateBuilder builder, PublicKey subjectKey, PublicKey issuerKey, Extensions extensions,
            PrivateKey signingKey) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerKey));
            extensions.addTo(builder);
            X509CertificateHolder holder = builder.build(signer(signingKey));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not build a certificate", e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
        }
    }

    private static BigInteger serialNumber() {
        // 127 random bits: unpredictable (RFC 5280 asks for no more than 20 octets) and always positive.
        return new BigInteger(127, SERIALS).setBit(126);
    }

    /** The extensions that distinguish a CA, a signing certificate and a TLS certificate. */
    private record Extensions(boolean ca, int pathLength, KeyUsage keyUsage, List<KeyPurposeId> extendedUsages,
                              List<GeneralName> alternativeNames, java.util.Map<String, String> attributes) {

        static Extensions ca(int pathLength) {
            return new Extensions(true, pathLength, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign),
                    List.of(), List.of(), java.util.Map.of());
        }

        static Extensions endEntity(CertificateTemplate template) {
            Objects.requireNonNull(template);
            return switch (template.purpose()) {
                case SIGNING -> new Extensions(false, -1, new KeyUsage(KeyUsage.digitalSignature),
                        List.of(), names(template.subjectAlternativeNames()), template.attributes());
                case TLS -> new Extensions(false, -1, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement),
                        List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth),
                        names(template.subjectAlternativeNames()), template.attributes());
            };
        }

        void addTo(X509v3CertificateBuilder builder) throws IOException {
            builder.addExtension(Extension.basicConstraints, true,
                    ca ? (pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength))
                       : new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, keyUsage);
            if (!extendedUsages.isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(extendedUsages.toArray(KeyPurposeId[]::new)));
            }
            if (!alternativeNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternativeNames.toArray(GeneralName[]::new)));
            }
            if (!attributes.isEmpty()) {
                ASN1Encodable encoded = CertificateAttributes.encode(attributes);
                builder.addExtension(CertificateAttributes.EXTENSION_OID, false, encoded);
            }
        }

        private static List<GeneralName> names(List<String> hosts) {
            return hosts.stream().map(Extensions::name).toList();
        }

        private static GeneralName name(String host) {
            return isIpLiteral(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host);
        }

        private static boolean isIpLiteral(String host) {
            return IPAddress.isValid(host);
        }
    }
}
