package io.charter.membership.security;

import java.security.cert.X509Certificate;

/**
 * A certificate whose key the caller has shown it holds (signed token or TLS handshake), not yet checked
 * for validity: what re-enrollment starts from, since it accepts recently expired certificates.
 */
public record PresentedCertificate(X509Certificate certificate) {}
