package io.charter.membership.revocation;

import java.math.BigInteger;
import java.util.List;

/**
 * What a revocation did.
 *
 * @param revokedSerials certificates newly revoked by this call
 * @param crlVersion the global CRL version after the revocation (nodes see it in heartbeat answers)
 */
public record RevocationResult(String enrollmentId, List<BigInteger> revokedSerials, long crlVersion) {

    public RevocationResult {
        revokedSerials = List.copyOf(revokedSerials);
    }
}
