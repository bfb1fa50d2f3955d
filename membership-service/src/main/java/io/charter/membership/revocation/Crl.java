package io.charter.membership.revocation;

import io.charter.common.pki.CertificatePurpose;
import java.security.cert.X509CRL;
import java.time.Instant;

/**
 * The current CRL of one issuing CA.
 *
 * @param number the CRL number (RFC 5280), increasing per issuing CA
 * @param crlVersion the global CRL version this CRL reflects
 */
public record Crl(String mspId, CertificatePurpose profile, X509CRL crl, long number, Instant thisUpdate,
                  Instant nextUpdate, long crlVersion) {}
