package io.charter.membership.api;

import java.security.cert.X509Certificate;

/**
 * A certificate whose key the caller has shown it holds (signed token or TLS handshake), not yet checked
 * for validity: what re-enrollment starts from, since it accepts recently expired certificates. The
 * re-enrollment endpoints declare it; the security filter puts it on the request once the key is proven.
 */
public record PresentedCertificate(X509Certificate certificate) {}
