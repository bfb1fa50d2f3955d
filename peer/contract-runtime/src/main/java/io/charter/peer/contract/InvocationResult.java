package io.charter.peer.contract;

import java.util.Objects;

/** What running a contract function gave. */
public sealed interface InvocationResult {

    /** The function returned; {@code payload} is its return value as bytes (empty for void). */
    record Success(byte[] payload) implements InvocationResult {
        public Success {
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * The function did not complete.
     *
     * @param code the ContractException's code for a business error; otherwise the failure's name, or
     *     {@code UNEXPECTED_ERROR} for another exception
     */
    record Failure(ContractFailure failure, String code, String message) implements InvocationResult {
        public Failure {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
