package io.charter.membership.api;

import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.Role;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import io.charter.membership.ca.Pem;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/** Conversions between the JSON forms of the API and core values. */
final class Json {

    private Json() {}

    static Role role(String label) {
        if (label == null) {
            throw invalid("type is required: one of client, peer, orderer, admin");
        }
        return Role.fromLabel(label.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> invalid("type '" + label + "' is not one of client, peer, orderer, admin"));
    }

    static CertificatePurpose profile(String profile) {
        if (profile == null || profile.isBlank()) {
            return CertificatePurpose.SIGNING;
        }
        return switch (profile.toLowerCase(Locale.ROOT)) {
            case "signing", "sign", "enrollment" -> CertificatePurpose.SIGNING;
            case "tls" -> CertificatePurpose.TLS;
            default -> throw invalid("profile '" + profile + "' is not one of signing, tls");
        };
    }

    static String label(CertificatePurpose profile) {
        return profile.name().toLowerCase(Locale.ROOT);
    }

    /** Serial numbers travel as lower-case hexadecimal, like Fabric CA's. */
    static String serial(BigInteger serial) {
        return serial.toString(16);
    }

    static BigInteger serial(String hex) {
        try {
            String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
            BigInteger value = new BigInteger(digits.replace(":", ""), 16);
            if (value.signum() <= 0) {
                throw invalid("serial must be positive");
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid("serial '" + hex + "' is not a hexadecimal number");
        }
    }

    static String pem(X509Certificate certificate) {
        return Pem.certificate(certificate);
    }

    static String pem(List<X509Certificate> certificates) {
        return Pem.certificates(certificates);
    }

    static MembershipException invalid(String message) {
        return new MembershipException(ErrorCode.INVALID_REQUEST, message);
    }
}
