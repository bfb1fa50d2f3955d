package io.charter.common.identity;

import java.util.Objects;
import java.util.Optional;

/** The outcome of validating a certificate as an identity: {@link Valid} or {@link Rejected}, never an exception. */
public sealed interface ValidationResult permits ValidationResult.Valid, ValidationResult.Rejected {

    boolean isValid();

    /** The validated identity, empty when rejected. */
    Optional<ValidatedIdentity> identity();

    record Valid(ValidatedIdentity validatedIdentity) implements ValidationResult {
        public Valid {
            Objects.requireNonNull(validatedIdentity, "validatedIdentity");
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public Optional<ValidatedIdentity> identity() {
            return Optional.of(validatedIdentity);
        }
    }

    /**
     * @param message what is wrong and what to do about it, for logs and error responses
     */
    record Rejected(RejectionReason reason, String message) implements ValidationResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean isValid() {
            return false;
        }

        @Override
        public Optional<ValidatedIdentity> identity() {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return reason + ": " + message;
        }
    }
}
