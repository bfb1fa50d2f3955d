package io.charter.peer.endorsement;

import io.charter.peer.contract.ContractFailure;
import io.charter.protocol.EndorsementRefusal;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.Response;
import java.util.Objects;

/** The outcome of {@link Endorser#endorse}; {@link #response} is what goes back to the client. */
public sealed interface EndorsementResult {

    ProposalResponse response();

    /** Simulated and signed: status 200, the response payload and the endorsement. */
    record Endorsed(ProposalResponse response) implements EndorsementResult {
        public Endorsed {
            Objects.requireNonNull(response, "response");
        }
    }

    /**
     * The proposal was checked and the contract ran, but failed: status 500, message
     * {@code "<FAILURE> <code>: <message>"}, no endorsement.
     *
     * @param code the ContractException's code (or the failure's name)
     */
    record ContractFailed(ContractFailure failure, String code, String message) implements EndorsementResult {
        public ContractFailed {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public ProposalResponse response() {
            return ProposalResponse.newBuilder()
                    .setResponse(Response.newBuilder().setStatus(500).setMessage(failure + " " + code + ": " + message))
                    .setRefusal(wireCode(failure))
                    .build();
        }
    }

    /** Refused before running anything: a 4xx/5xx status, message {@code "<REASON>: <detail>"}, no endorsement. */
    record Refused(RefusalReason reason, String detail) implements EndorsementResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public ProposalResponse response() {
            return ProposalResponse.newBuilder()
                    .setResponse(Response.newBuilder().setStatus(reason.status()).setMessage(reason + ": " + detail))
                    .setRefusal(wireCode(reason))
                    .build();
        }
    }

    /**
     * The wire code of a refusal: the proto enum value of the same name, so the stable names of docs/peer.md
     * are the codes clients read (a reason without a counterpart fails EndorsementRefusalWireTest).
     */
    static EndorsementRefusal wireCode(RefusalReason reason) {
        return EndorsementRefusal.valueOf(reason.name());
    }

    /** The wire code of a contract failure, by the same rule. */
    static EndorsementRefusal wireCode(ContractFailure failure) {
        return EndorsementRefusal.valueOf(failure.name());
    }
}
