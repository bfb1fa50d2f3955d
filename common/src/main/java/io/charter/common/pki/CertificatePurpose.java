package io.charter.common.pki;

/**
 * What an end-entity certificate is for. Signing and TLS use separate key pairs and separate
 * certificates (DESIGN section 2), so a stolen TLS key cannot sign transactions and vice versa.
 */
public enum CertificatePurpose {
    /** Signs transactions, proposals, endorsements and blocks: key usage digitalSignature only. */
    SIGNING,
    /**
     * Authenticates a TLS endpoint: digitalSignature, with extended key usages serverAuth and clientAuth
     * for a server, clientAuth only for a client ({@link CertificateTemplate#tlsServer()}).
     */
    TLS
}
