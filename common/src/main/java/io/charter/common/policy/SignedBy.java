package io.charter.common.policy;

import java.util.Objects;

/** Satisfied by one signer that {@link Principal#isSatisfiedBy matches} the principal. */
public record SignedBy(Principal principal) implements SignaturePolicy {

    public SignedBy {
        Objects.requireNonNull(principal, "principal");
    }

    @Override
    public String text() {
        return principal.text();
    }

    @Override
    public String toString() {
        return text();
    }
}
