package io.charter.common.pki;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The validity window of a certificate, to the second (X.509 has no finer precision). */
public record Validity(Instant notBefore, Instant notAfter) {

    public Validity {
        notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
        notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " must be after notBefore " + notBefore);
        }
    }

    public static Validity starting(Instant notBefore, Duration lifetime) {
        return new Validity(notBefore, notBefore.plus(lifetime));
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(notBefore) && !instant.isAfter(notAfter);
    }
}
