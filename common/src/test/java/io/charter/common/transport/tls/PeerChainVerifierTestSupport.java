package io.charter.common.transport.tls;

import io.charter.common.crypto.EcKeys;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates with an arbitrary subject, for the checks that read only the subject. */
final class PeerChainVerifierTestSupport {

    private PeerChainVerifierTestSupport() {}

    static X509Certificate withSubject(String subject) {
        try {
            KeyPair keys = EcKeys.generate();
            Instant now = Instant.now();
            X500Name name = new X500Name(subject);
            byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now),
                    Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
