package io.charter.membership.ca;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/** PEM encoding of certificates and CRLs for answers; delegates to common's {@link io.charter.common.pki.Pem}. */
public final class Pem {

    private Pem() {}

    public static String certificate(X509Certificate certificate) {
        return io.charter.common.pki.Pem.encodeCertificate(certificate);
    }

    public static String certificates(List<X509Certificate> certificates) {
        return io.charter.common.pki.Pem.encodeCertificates(certificates);
    }

    public static String crl(X509CRL crl) {
        return io.charter.common.pki.Pem.encodeCrl(crl);
    }
}
