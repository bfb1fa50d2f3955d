package io.charter.common.pki;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Strict DER parsing of certificates and CRLs: the bytes must be exactly one DER object of the
 * expected kind (the JDK factory alone would also accept PEM text, BER, or trailing garbage).
 */
public final class Certificates {

    private Certificates() {}

    /** @throws PkiFormatException {@code CERTIFICATE_MALFORMED} */
    public static X509Certificate parseCertificate(byte[] der) {
        if (der == null || der.length == 0 || der[0] != 0x30) {
            throw new PkiFormatException(PkiFormatException.Code.CERTIFICATE_MALFORMED,
                    "not a DER-encoded X.509 certificate (it must start with a SEQUENCE)");
        }
        try {
            X509Certificate certificate = (X509Certificate) factory()
                    .generateCertificate(new ByteArrayInputStream(der));
            if (!Arrays.equals(certificate.getEncoded(), der)) {
                throw new PkiFormatException(PkiFormatException.Code.CERTIFICATE_MALFORMED,
                        "the bytes hold more or other than one DER certificate");
            }
            return certificate;
        } catch (PkiFormatException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new PkiFormatException(PkiFormatException.Code.CERTIFICATE_MALFORMED,
                    "not a DER-encoded X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** @throws PkiFormatException {@code CRL_MALFORMED} */
    public static X509CRL parseCrl(byte[] der) {
        if (der == null || der.length == 0 || der[0] != 0x30) {
            throw new PkiFormatException(PkiFormatException.Code.CRL_MALFORMED,
                    "not a DER-encoded X.509 CRL (it must start with a SEQUENCE)");
        }
        try {
            X509CRL crl = (X509CRL) factory().generateCRL(new ByteArrayInputStream(der));
            if (!Arrays.equals(crl.getEncoded(), der)) {
                throw new PkiFormatException(PkiFormatException.Code.CRL_MALFORMED,
                        "the bytes hold more or other than one DER CRL");
            }
            return crl;
        } catch (PkiFormatException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new PkiFormatException(PkiFormatException.Code.CRL_MALFORMED,
                    "not a DER-encoded X.509 CRL: " + e.getMessage(), e);
        }
    }

    private static CertificateFactory factory() throws CertificateException {
        return CertificateFactory.getInstance("X.509");
    }
}
