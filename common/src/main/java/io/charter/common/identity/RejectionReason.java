package io.charter.common.identity;

/** Why a certificate was not accepted as an identity. The names are stable: they are logged and returned. */
public enum RejectionReason {
    /** The claimed MSP id is not one of the organizations known here. */
    UNKNOWN_ORGANIZATION,
    /** The bytes are not a DER X.509 certificate, or its subject has no common name. */
    MALFORMED_CERTIFICATE,
    /** A CA certificate, or one whose key usage or critical extensions do not allow it to sign as an identity. */
    UNSUITABLE_CERTIFICATE,
    /** The chain does not reach the organization's roots through its issuing CAs, or the subject's O is another organization. */
    NOT_ISSUED_BY_ORGANIZATION,
    /** The certificate, or a CA certificate of its chain, is past its notAfter. */
    EXPIRED,
    /** The certificate, or a CA certificate of its chain, is before its notBefore. */
    NOT_YET_VALID,
    /** The certificate, or a CA certificate of its chain, is on a CRL of the organization. */
    REVOKED,
    /** The subject's OU names a role other than the one required. */
    WRONG_ROLE,
    /** The subject has no OU, several, or one that names no Charter role. */
    MISSING_ROLE,
    /** The attribute extension is present but not well-formed. */
    BAD_ATTRIBUTES
}
