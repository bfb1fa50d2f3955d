package io.charter.membership.index;

import io.charter.common.pki.CertificatePurpose;
import java.math.BigInteger;
import java.time.Instant;

/** A registered node's certificate that expires within the warning window. */
public record ExpiringCertificate(String nodeId, String mspId, CertificatePurpose profile, BigInteger serialNumber,
                                  Instant notAfter) {}
