package io.charter.membership.identity;

import io.charter.common.pki.CertificatePurpose;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/** A certificate this service issued, as recorded. */
public record CertificateInfo(
        BigInteger serialNumber,
        String enrollmentId,
        String mspId,
        CertificatePurpose profile,
        Instant notBefore,
        Instant notAfter,
        Instant issuedAt,
        Optional<Instant> revokedAt,
        Optional<Integer> revocationReason) {}
