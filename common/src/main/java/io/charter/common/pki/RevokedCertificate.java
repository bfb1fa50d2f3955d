package io.charter.common.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * An entry of a certificate revocation list.
 *
 * @param reasonCode an RFC 5280 CRLReason code (0 unspecified, 1 keyCompromise, 4 superseded, 5
 *     cessationOfOperation...)
 */
public record RevokedCertificate(BigInteger serialNumber, Instant revokedAt, int reasonCode) {

    public RevokedCertificate {
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(revokedAt, "revokedAt");
        if (reasonCode < 0 || reasonCode > 10 || reasonCode == 7) {
            throw new IllegalArgumentException("not an RFC 5280 CRL reason code: " + reasonCode);
        }
    }
}
