package io.charter.client.cli.ledger;

import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.cli.MembershipErrors;
import io.charter.common.lifecycle.DefinitionProblem;
import io.charter.common.membership.MembershipException;
import io.charter.client.sdk.EndorsementFailure;
import io.charter.client.sdk.SdkErrorCode;
import io.charter.client.sdk.SdkException;
import java.util.List;
import java.util.function.Supplier;

/** The SDK's failures as the CLI's exit codes, each with what to do. */
final class SdkErrors {

    private SdkErrors() {}

    static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (SdkException e) {
            throw translate(e);
        }
    }

    static CliException translate(SdkException e) {
        String code = e.code().name();
        List<String> reasons = e.endorsementFailures().stream().map(EndorsementFailure::reason).distinct().toList();
        String message = e.getMessage();
        if (e.getCause() instanceof MembershipException membership
                && !MembershipException.UNREACHABLE.equals(membership.code())) {
            return MembershipErrors.translate(membership);
        }
        if (reasons.stream().anyMatch(r -> r.contains("REVOKED"))) {
            return new CliException(ExitCodes.REFUSED, "IDENTITY_REVOKED", "refused: the identity is revoked (" + message
                    + "): use another identity", e);
        }
        if (reasons.stream().anyMatch(r -> r.contains("CREATOR_NOT_ADMIN"))) {
            return new CliException(ExitCodes.REFUSED, "NOT_ADMIN", "refused: " + message
                    + " (act as an organization admin of the wallet, e.g. --as org1-admin)", e);
        }
        if (reasons.contains("APPROVAL_NOT_OWN_ORGANIZATION")) {
            return new CliException(ExitCodes.REFUSED, "APPROVAL_NOT_OWN_ORGANIZATION", "refused: " + message
                    + " (an admin approves for its own organization: act as an admin of the organization, e.g. --as org2-admin)", e);
        }
        if (reasons.contains("DEFINE_RETIRED")) {
            return new CliException(ExitCodes.REFUSED, "DEFINE_RETIRED", "refused: " + message, e);
        }
        for (String lifecycle : List.of("APPROVALS_INSUFFICIENT", "SEQUENCE_MISMATCH", "INVALID_DEFINITION")) {
            if (e.code() == SdkErrorCode.CONTRACT_FAILED && message.contains(lifecycle)) {
                return new CliException(lifecycle.equals("SEQUENCE_MISMATCH") ? ExitCodes.CONFLICT : ExitCodes.REFUSED,
                        lifecycle, message + switch (lifecycle) {
                            case "APPROVALS_INSUFFICIENT" -> " ('charter contract readiness' shows who approved exactly this"
                                    + " definition; the missing organizations' admins run 'charter contract approve')";
                            case "SEQUENCE_MISMATCH" -> " ('charter contract list' shows the committed sequence; use it + 1)";
                            default -> "";
                        }, e);
            }
        }
        if (e.code() == SdkErrorCode.CONTRACT_FAILED) {
            // the peer's "CONTRACT_ERROR <code>: <message>" for an ill-formed definition
            for (DefinitionProblem.Code problem : DefinitionProblem.Code.values()) {
                if (message.contains("CONTRACT_ERROR " + problem.name() + ":")) {
                    return new CliException(ExitCodes.REFUSED, problem.name(), message, e);
                }
            }
        }
        if (e.code() == SdkErrorCode.CONTRACT_NOT_DEFINED) {
            return new CliException(ExitCodes.NOT_FOUND, "CONTRACT_NOT_FOUND", message, e);
        }
        if (reasons.contains("UNDEFINED_CONTRACT") || reasons.contains("CONTRACT_NOT_INSTALLED")) {
            return new CliException(ExitCodes.NOT_FOUND, "CONTRACT_NOT_FOUND", message
                    + " (is the contract defined on the channel? check its name)", e);
        }
        if (reasons.contains("UNKNOWN_CHANNEL")) {
            return new CliException(ExitCodes.NOT_FOUND, "CHANNEL_NOT_FOUND", message + " (check --channel)", e);
        }
        return switch (e.code()) {
            case NO_PEERS, NO_ORDERERS, PEER_UNAVAILABLE, ORDERERS_UNAVAILABLE, MEMBERSHIP_FAILED ->
                    new CliException(ExitCodes.UNREACHABLE, code, message + " (is the network up? 'charter status')", e);
            case PROPOSAL_REFUSED, ENDORSEMENT_POLICY_NOT_SATISFIED, ORDERING_REFUSED, IDENTITY_INVALID ->
                    new CliException(ExitCodes.REFUSED, code, message, e);
            default -> new CliException(ExitCodes.FAILED, code, message, e);
        };
    }
}
