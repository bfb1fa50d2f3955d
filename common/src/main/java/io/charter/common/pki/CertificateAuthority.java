package io.charter.common.pki;

import io.charter.common.crypto.CryptoProviders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
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
 *
 * <p>Issuing is a hot path of the membership service, so what depends only on the CA is prepared once
 * per instance: the issuer name, the authority key identifier and the signing key, opened on common's
 * {@linkplain CryptoProviders#preferred() preferred provider}, which is named explicitly rather than
 * looked up among the JVM's registered providers. A key that provider cannot take (not extractable, for
 * example) is used with the JVM's default providers as before. Each certificate is encoded once and
 * parsed once, into the JDK's own {@link X509Certificate}. Instances are immutable and thread-safe.
 */
public final class CertificateAuthority {

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final SecureRandom SERIALS = new SecureRandom();
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT);
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT);
    private static final ThreadLocal<CertificateFactory> FACTORIES = ThreadLocal.withInitial(() -> {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no X.509 certificate factory", e);
        }
    });

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;
    private final X500Name name;
    private final AuthorityKeyIdentifier authorityKeyIdentifier;
    private final Instant notAfter;
    private final CaSigner signer;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
        this.name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        this.authorityKeyIdentifier = new AuthorityKeyIdentifier(keyIdentifier(certificate.getPublicKey()));
        this.notAfter = certificate.getNotAfter().toInstant();
        this.signer = CaSigner.of(privateKey);
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
        SubjectPublicKeyInfo key = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        X509Certificate root = build(
                new X509v3CertificateBuilder(name, serialNumber(), time(validity.notBefore()),
                        time(validity.notAfter()), name, key),
                key, new AuthorityKeyIdentifier(keyIdentifier(key)), Extensions.ca(-1), CaSigner.of(keys.getPrivate()));
        return new CertificateAuthority(root, keys.getPrivate(), List.of(root));
    }

    /** Issues a subordinate CA that may issue end-entity certificates only (path length 0). */
    public CertificateAuthority createIntermediate(SubjectName subject, KeyPair keys, Validity validity) {
        X509Certificate issued = issue(subject, keys.getPublic(), validity, Extensions.ca(0));
        List<X509Certificate> newChain = new ArrayList<>();
        newChain.add(issued);
        newChain.addAll(chain);
        return new CertificateAuthority(issued, keys.getPrivate(), newChain);
    }

    /** Issues an end-entity certificate for a member or node. */
    public X509Certificate issue(CertificateTemplate template) {
        return issue(template.subject(), template.publicKey(), template.validity(), Extensions.endEntity(template));
    }

    /** Issues a CRL signed by this CA. */
    public X509CRL issueCrl(List<RevokedCertificate> revoked, BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate) {
        if (!nextUpdate.isAfter(thisUpdate)) {
            throw new IllegalArgumentException("nextUpdate must be after thisUpdate");
        }
        X509v2CRLBuilder builder = new X509v2CRLBuilder(name, Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(nextUpdate));
        for (RevokedCertificate entry : revoked) {
            builder.addCRLEntry(entry.serialNumber(), Date.from(entry.revokedAt()), entry.reasonCode());
        }
        try {
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
            X509CRLHolder holder = builder.build(signer.contentSigner());
            return (X509CRL) FACTORIES.get().generateCRL(new ByteArrayInputStream(holder.getEncoded()));
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

    private X509Certificate issue(SubjectName subject, PublicKey publicKey, Validity requested, Extensions extensions) {
        Validity validity = clamp(requested);
        SubjectPublicKeyInfo key = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
        return build(
                new X509v3CertificateBuilder(name, serialNumber(), time(validity.notBefore()),
                        time(validity.notAfter()), subject.toX500Name(), key),
                key, authorityKeyIdentifier, extensions, signer);
    }

    /** A certificate cannot outlive its issuer; clamping keeps every issued chain valid end to end. */
    private Validity clamp(Validity requested) {
        return requested.notAfter().isAfter(notAfter) ? new Validity(requested.notBefore(), notAfter) : requested;
    }

    private static X509Certificate build(
            X509v3CertificateBuilder builder, SubjectPublicKeyInfo subjectKey, AuthorityKeyIdentifier authorityKey,
            Extensions extensions, CaSigner signer) {
        try {
            builder.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(subjectKey)));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKey);
            extensions.addTo(builder);
            X509CertificateHolder holder = builder.build(signer.contentSigner());
            return (X509Certificate) FACTORIES.get().generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not build a certificate", e);
        }
    }

    /** RFC 5280 section 4.2.1.2, method 1: the SHA-1 hash of the subjectPublicKey bits. */
    private static byte[] keyIdentifier(SubjectPublicKeyInfo key) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(key.getPublicKeyData().getBytes());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }

    private static byte[] keyIdentifier(PublicKey key) {
        return keyIdentifier(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    }

    /**
     * RFC 5280 section 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, in whole seconds (as Bouncy
     * Castle's {@code Time(Date)} encodes them, without its per-call {@code SimpleDateFormat}).
     */
    static Time time(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        return utc.getYear() >= 1950 && utc.getYear() < 2050
                ? new Time(new DERUTCTime(UTC_TIME.format(utc)))
                : new Time(new DERGeneralizedTime(GENERALIZED_TIME.format(utc)));
    }

    private static BigInteger serialNumber() {
        // 127 random bits: unpredictable (RFC 5280 asks for no more than 20 octets) and always positive.
        return new BigInteger(127, SERIALS).setBit(126);
    }

    /**
     * The CA's signing key, opened once on the preferred provider. Signature objects are not thread-safe:
     * each thread keeps its own.
     */
    private static final class CaSigner {
        private final PrivateKey key;
        private final Provider provider;
        private final ThreadLocal<Signature> signatures;

        private CaSigner(PrivateKey key, Provider provider) {
            this.key = key;
            this.provider = provider;
            this.signatures = provider == null ? null : ThreadLocal.withInitial(() -> {
                try {
                    return Signature.getInstance(SIGNATURE_ALGORITHM, provider);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(provider.getName() + " has no " + SIGNATURE_ALGORITHM, e);
                }
            });
        }

        /** On the preferred provider when it takes the key; else with the JVM's default providers. */
        static CaSigner of(PrivateKey key) {
            try {
                Provider provider = CryptoProviders.preferred().jcaProvider();
                PrivateKey own = translate(key, provider);
                Signature probe = Signature.getInstance(SIGNATURE_ALGORITHM, provider);
                probe.initSign(own);
                return new CaSigner(own, provider);
            } catch (GeneralSecurityException | RuntimeException e) {
                return new CaSigner(key, null);
            }
        }

        private static PrivateKey translate(PrivateKey key, Provider provider) throws GeneralSecurityException {
            byte[] pkcs8 = key.getEncoded();
            if (pkcs8 == null || !"PKCS#8".equals(key.getFormat())) {
                throw new java.security.InvalidKeyException("the key cannot be exported to another provider");
            }
            try {
                return KeyFactory.getInstance(key.getAlgorithm(), provider)
                        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pkcs8));
            } finally {
                java.util.Arrays.fill(pkcs8, (byte) 0);
            }
        }

        ContentSigner contentSigner() {
            if (provider == null) {
                try {
                    return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
                } catch (OperatorCreationException e) {
                    throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
                }
            }
            Signature signature = signatures.get();
            try {
                signature.initSign(key);
            } catch (GeneralSecurityException e) {
                signatures.remove();
                throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
            }
            return new EcdsaContentSigner(data -> {
                try {
                    signature.update(data);
                    return signature.sign();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("could not sign", e);
                }
            });
        }
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
                        template.tlsServer() ? List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth)
                                : List.of(KeyPurposeId.id_kp_clientAuth),
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
