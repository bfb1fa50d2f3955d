package io.charter.membership.app;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds PKCS#10 certification requests, as a client of the membership service does before enrolling. */
public final class Csrs {

    private Csrs() {}

    /** A CSR with subject {@code CN=<enrollmentId>}, signed with {@code keys}; DER encoded. */
    public static byte[] der(String enrollmentId, KeyPair keys) {
        try {
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name("CN=" + enrollmentId), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return request.getEncoded();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a CSR with a " + keys.getPrivate().getAlgorithm() + " key", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same CSR, PEM encoded ({@code CERTIFICATE REQUEST}). */
    public static String pem(String enrollmentId, KeyPair keys) {
        try (StringWriter text = new StringWriter(); JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new PKCS10CertificationRequest(der(enrollmentId, keys)));
            writer.flush();
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
