package io.charter.common.lifecycle;

import io.charter.common.policy.PolicyParser;
import io.charter.common.policy.PolicySyntaxException;
import io.charter.protocol.ContractDefinition;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names of the contract lifecycle and the form of a contract definition: what the peers check when a
 * definition is approved or committed, and what the CLI and the SDK check before they send one, so that a
 * malformed definition is refused with the same words on both sides without a round trip. How approvals
 * and commits are simulated and validated is the peer's ({@code io.charter.peer.lifecycle}).
 */
public final class DefinitionRules {

    /** The reserved namespace of contract definitions. */
    public static final String NAMESPACE = "_lifecycle";
    /** The retired single-step definition: peers no longer endorse it; blocks that carry it still validate. */
    public static final String DEFINE = "define";
    /** {@code approve(definition, mspId)}: an admin approves a definition for its own organization. */
    public static final String APPROVE = "approve";
    /** {@code readiness(definition)}: which application organizations approved exactly this definition (a query). */
    public static final String READINESS = "readiness";
    /** {@code commit(definition)}: commits a definition whose approvals satisfy LifecycleEndorsement. */
    public static final String COMMIT = "commit";
    /** The channel policy that definitions must satisfy; default {@value #DEFAULT_LIFECYCLE_ENDORSEMENT}. */
    public static final String LIFECYCLE_ENDORSEMENT = "LifecycleEndorsement";
    public static final String DEFAULT_LIFECYCLE_ENDORSEMENT = "MAJORITY Endorsement";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern PACKAGE_HASH = Pattern.compile("[0-9a-f]{64}");

    private DefinitionRules() {}

    /** A contract name: letters, digits, '.', '_', '-', at most 64, starting with a letter or digit. */
    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    /** Namespaces starting with {@code _} belong to the peer; no contract owns them. */
    public static boolean isReserved(String namespace) {
        return namespace.startsWith("_");
    }

    /** What is wrong with the form of {@code definition}, or empty when it is well-formed. */
    public static Optional<String> problem(ContractDefinition definition) {
        if (!isValidName(definition.getName())) {
            return Optional.of("'" + definition.getName() + "' is not a contract name (letters, digits, '.', '_', '-',"
                    + " at most 64, not starting with '_', '.' or '-')");
        }
        if (definition.getVersion().isEmpty() || definition.getVersion().length() > 64) {
            return Optional.of("a definition needs a version of 1 to 64 characters");
        }
        if (definition.getSequence() < 1) {
            return Optional.of("the sequence starts at 1");
        }
        if (!definition.getEndorsementPolicy().isEmpty()) {
            try {
                PolicyParser.parse(definition.getEndorsementPolicy());
            } catch (PolicySyntaxException e) {
                return Optional.of("the endorsement policy does not parse: " + e.getMessage());
            }
        }
        String packageId = definition.getPackageId();
        if (!packageId.isEmpty()) {
            int colon = packageId.lastIndexOf(':');
            if (colon < 0 || !packageId.substring(0, colon).equals(definition.getName())
                    || !PACKAGE_HASH.matcher(packageId.substring(colon + 1)).matches()) {
                return Optional.of("package id '" + packageId + "' is not '" + definition.getName() + ":<sha-256 hex>'");
            }
        }
        if (definition.getApprovedByCount() > 0) {
            return Optional.of("approved_by is written by the peers when the definition commits; leave it empty");
        }
        return Optional.empty();
    }
}
