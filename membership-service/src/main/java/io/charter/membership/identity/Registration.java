package io.charter.membership.identity;

/**
 * The answer to a registration: the enrollment secret, shown this once. The service keeps only a
 * salted hash of it; callers cannot choose secrets (they are 32 random bytes, base64url).
 */
public record Registration(String enrollmentId, String mspId, String secret) {

    @Override
    public String toString() {
        return "Registration[enrollmentId=" + enrollmentId + ", mspId=" + mspId + ", secret=<redacted>]";
    }
}
