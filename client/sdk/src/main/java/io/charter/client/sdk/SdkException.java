package io.charter.client.sdk;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A client operation failed. Always says in which {@link Step} and with which stable
 * {@link SdkErrorCode}, and carries the specifics a caller needs to act: the transaction id when one was
 * built, the organizations whose endorsement is missing and each peer's refusal, the key of an MVCC
 * conflict, the validation code of an invalidated transaction. The message is for people and already
 * says what to do; branch on {@link #code()}.
 */
public final class SdkException extends RuntimeException {

    private final Step step;
    private final SdkErrorCode code;
    private final String txId;
    private final List<String> missingOrganizations;
    private final List<EndorsementFailure> endorsementFailures;
    private final ReadConflict conflict;
    private final String validationCode;
    private final String ordererReason;

    private SdkException(Builder builder) {
        super(builder.step + " " + builder.code + ": " + builder.message, builder.cause);
        this.step = builder.step;
        this.code = builder.code;
        this.txId = builder.txId;
        this.missingOrganizations = List.copyOf(builder.missingOrganizations);
        this.endorsementFailures = List.copyOf(builder.endorsementFailures);
        this.conflict = builder.conflict;
        this.validationCode = builder.validationCode;
        this.ordererReason = builder.ordererReason;
    }

    static Builder of(Step step, SdkErrorCode code, String message) {
        return new Builder(step, code, message);
    }

    public Step step() {
        return step;
    }

    public SdkErrorCode code() {
        return code;
    }

    /** The id of the transaction concerned, when the failure happened after the proposal was built. */
    public Optional<String> txId() {
        return Optional.ofNullable(txId);
    }

    /** For {@link SdkErrorCode#ENDORSEMENT_POLICY_NOT_SATISFIED}: the organizations without an endorsement, sorted. */
    public List<String> missingOrganizations() {
        return missingOrganizations;
    }

    /** Every peer that was asked and did not endorse, with its reason. */
    public List<EndorsementFailure> endorsementFailures() {
        return endorsementFailures;
    }

    /** For MVCC and phantom conflicts: the key that conflicted, when the peer reported it. */
    public Optional<ReadConflict> conflict() {
        return Optional.ofNullable(conflict);
    }

    /** For a transaction ordered but invalidated: the peer's validation code name, e.g. {@code ENDORSEMENT_POLICY_FAILURE}. */
    /** The orderer's refusal reason ({@code CONFIG_UNAUTHORIZED}, {@code WRITERS_POLICY}, ...) of an {@code ORDERING_REFUSED}. */
    public Optional<String> ordererReason() {
        return Optional.ofNullable(ordererReason);
    }

    public Optional<String> validationCode() {
        return Optional.ofNullable(validationCode);
    }

    static final class Builder {
        private final Step step;
        private final SdkErrorCode code;
        private final String message;
        private Throwable cause;
        private String txId;
        private List<String> missingOrganizations = List.of();
        private List<EndorsementFailure> endorsementFailures = List.of();
        private ReadConflict conflict;
        private String validationCode;
        private String ordererReason;

        private Builder(Step step, SdkErrorCode code, String message) {
            this.step = Objects.requireNonNull(step, "step");
            this.code = Objects.requireNonNull(code, "code");
            this.message = Objects.requireNonNull(message, "message");
        }

        Builder cause(Throwable value) {
            this.cause = value;
            return this;
        }

        Builder txId(String value) {
            this.txId = value;
            return this;
        }

        Builder missingOrganizations(List<String> value) {
            this.missingOrganizations = value.stream().sorted().toList();
            return this;
        }

        Builder endorsementFailures(List<EndorsementFailure> value) {
            this.endorsementFailures = value;
            return this;
        }

        Builder conflict(ReadConflict value) {
            this.conflict = value;
            return this;
        }

        Builder validationCode(String value) {
            this.validationCode = value;
            return this;
        }

        Builder ordererReason(String value) {
            this.ordererReason = value;
            return this;
        }

        SdkException build() {
            return new SdkException(this);
        }
    }
}
