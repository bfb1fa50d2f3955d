package io.charter.common.policy;

import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.pki.Role;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Validated identities for policy tests. Policy code never looks inside the certificate, but it
 * does tell signers apart by certificate, so each identity gets its own self-signed certificate
 * (all from one key pair, which is cheap).
 */
final class TestIdentities {

    private static final KeyPair KEY_PAIR = keyPair();
    private static final AtomicLong SERIAL = new AtomicLong(1);

    private TestIdentities() {}

    static ValidatedIdentity identity(String mspId, Role role, String enrollmentId) {
        return new ValidatedIdentity(mspId, role, enrollmentId, certificate(mspId, role, enrollmentId), Map.of());
    }

    /** An identity named after its organization and role, e.g. {@code Org1-peer}. */
    static ValidatedIdentity identity(String mspId, Role role) {
        return identity(mspId, role, mspId + "-" + role.label());
    }

    private static X509Certificate certificate(String mspId, Role role, String enrollmentId) {
        X500Name subject = new X500Name("CN=" + enrollmentId + ",OU=" + role.label() + ",O=" + mspId);
        Instant now = Instant.now();
        try {
            var builder = new JcaX509v3CertificateBuilder(
                    subject,
                    BigInteger.valueOf(SERIAL.getAndIncrement()),
                    Date.from(now.minus(1, ChronoUnit.DAYS)),
                    Date.from(now.plus(1, ChronoUnit.DAYS)),
                    subject,
                    KEY_PAIR.getPublic());
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(KEY_PAIR.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test key pair", e);
        }
    }
}
