package io.charter.common.identity;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.SubjectName;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates built by hand for the validator's tests, with exactly the basic constraints, key usage and
 * extensions a case needs: {@link io.charter.common.pki.CertificateAuthority} only issues well-formed ones,
 * and these are the ones another organization's CA (or a mistake in a channel configuration) could produce.
 */
final class RawCertificates {

    /** No key usage extension at all. */
    static final int NO_KEY_USAGE = -1;
    static final int CA_KEY_USAGE = KeyUsage.keyCertSign | KeyUsage.cRLSign;

    private static final AtomicLong SERIALS = new AtomicLong(1000);

    private RawCertificates() {}

    /** A certificate with the private key that signs what it issues. */
    record Issuer(X509Certificate certificate, PrivateKey key) {}

    /** What the builder adds to the certificate being built. */
    interface Extensions {
        void addTo(JcaX509v3CertificateBuilder builder) throws Exception;
    }

    /** A self-signed root CA with no path length limit. */
    static Issuer root(String commonName, String organization) {
        KeyPair keys = EcKeys.generate();
        X500Name name = SubjectName.ca(commonName, organization).toX500Name();
        return new Issuer(build(name, keys.getPrivate(), name, keys, ca(null, CA_KEY_USAGE)), keys.getPrivate());
    }

    /** A self-signed RSA root CA: an organization that brings its own PKI with another algorithm. */
    static Issuer rsaRoot(String commonName, String organization) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = SubjectName.ca(commonName, organization).toX500Name();
            return new Issuer(build(name, keys.getPrivate(), name, keys, ca(null, CA_KEY_USAGE)), keys.getPrivate());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CA certificate issued by {@code issuer} (null: self-signed); {@code pathLength} null for no limit. */
    static Issuer ca(Issuer issuer, String commonName, String organization, Integer pathLength, int keyUsage) {
        KeyPair keys = EcKeys.generate();
        X509Certificate certificate = issue(issuer, SubjectName.ca(commonName, organization), keys,
                ca(pathLength, keyUsage));
        return new Issuer(certificate, keys.getPrivate());
    }

    /**
     * An end-entity certificate (basic constraints CA false) that is nonetheless used to sign certificates;
     * issued by {@code issuer}, or self-signed when it is null.
     */
    static Issuer endEntityIssuer(Issuer issuer, String commonName, String organization) {
        KeyPair keys = EcKeys.generate();
        X509Certificate certificate = issue(issuer, SubjectName.ca(commonName, organization), keys, builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
        });
        return new Issuer(certificate, keys.getPrivate());
    }

    /** A signing identity as Charter's CAs issue it: not a CA, key usage digitalSignature. */
    static X509Certificate identity(Issuer issuer, SubjectName subject) {
        return identity(issuer, subject, KeyUsage.digitalSignature, builder -> {});
    }

    /** An identity certificate with the given key usage ({@link #NO_KEY_USAGE}: none) and extra extensions. */
    static X509Certificate identity(Issuer issuer, SubjectName subject, int keyUsage, Extensions more) {
        return issue(issuer, subject, EcKeys.generate(), builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (keyUsage != NO_KEY_USAGE) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            }
            more.addTo(builder);
        });
    }

    /** A signing identity whose subject is {@code subject} as given, whatever it names. */
    static X509Certificate identity(Issuer issuer, X500Name subject) {
        KeyPair keys = EcKeys.generate();
        return build(X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()), issuer.key(),
                subject, keys, builder -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                });
    }

    /** Issued by {@code issuer}, or self-signed when it is null. */
    static X509Certificate issue(Issuer issuer, SubjectName subject, KeyPair keys, Extensions extensions) {
        if (issuer == null) {
            return build(subject.toX500Name(), keys.getPrivate(), subject.toX500Name(), keys, extensions);
        }
        return build(X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                issuer.key(), subject.toX500Name(), keys, extensions);
    }

    private static Extensions ca(Integer pathLength, int keyUsage) {
        return builder -> {
            builder.addExtension(Extension.basicConstraints, true,
                    pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength));
            if (keyUsage != NO_KEY_USAGE) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            }
        };
    }

    private static X509Certificate build(X500Name issuer, PrivateKey signer, X500Name subject, KeyPair keys,
                                         Extensions extensions) {
        try {
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), subject,
                    keys.getPublic());
            extensions.addTo(builder);
            String algorithm = "RSA".equals(signer.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] der = builder.build(new JcaContentSignerBuilder(algorithm).build(signer)).getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
