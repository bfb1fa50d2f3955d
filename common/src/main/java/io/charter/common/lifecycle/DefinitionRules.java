package io.charter.common.lifecycle;

import io.charter.common.lifecycle.DefinitionProblem.Code;
import io.charter.common.policy.ImplicitMeta;
import io.charter.common.policy.NOutOf;
import io.charter.common.policy.Policy;
import io.charter.common.policy.PolicyParser;
import io.charter.common.policy.PolicySyntaxException;
import io.charter.common.policy.SignedBy;
import io.charter.protocol.CollectionConfig;
import io.charter.protocol.ContractDefinition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
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

    /** The most collections a definition may declare. */
    public static final int MAX_COLLECTIONS = 64;

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
        return check(definition).map(DefinitionProblem::message);
    }

    /**
     * What is wrong with the form of {@code definition} alone (no channel needed: what the CLI and the SDK can check
     * before sending), or empty when it is well-formed. The first problem found, in field order.
     */
    public static Optional<DefinitionProblem> check(ContractDefinition definition) {
        if (!isValidName(definition.getName())) {
            return problem(Code.INVALID_NAME, "'" + definition.getName() + "' is not a contract name (letters, digits,"
                    + " '.', '_', '-', at most 64, not starting with '_', '.' or '-')");
        }
        if (definition.getVersion().isEmpty() || definition.getVersion().length() > 64) {
            return problem(Code.INVALID_VERSION, "a definition needs a version of 1 to 64 characters");
        }
        if (definition.getSequence() < 1) {
            return problem(Code.INVALID_SEQUENCE, "the sequence starts at 1");
        }
        if (!definition.getEndorsementPolicy().isEmpty()) {
            try {
                PolicyParser.parse(definition.getEndorsementPolicy());
            } catch (PolicySyntaxException e) {
                return problem(Code.ENDORSEMENT_POLICY_UNPARSABLE, "the endorsement policy does not parse: " + e.getMessage());
            }
        }
        String packageId = definition.getPackageId();
        if (!packageId.isEmpty()) {
            String prefix = definition.getName() + ":"; // a contract name has no ':'
            if (!packageId.startsWith(prefix) || !PACKAGE_HASH.matcher(packageId.substring(prefix.length())).matches()) {
                return problem(Code.INVALID_PACKAGE_ID, "package id '" + packageId + "' is not '" + definition.getName()
                        + ":<sha-256 hex>'");
            }
        }
        if (definition.getApprovedByCount() > 0) {
            return problem(Code.APPROVED_BY_NOT_EMPTY,
                    "approved_by is written by the peers when the definition commits; leave it empty");
        }
        if (definition.getCollectionsCount() > MAX_COLLECTIONS) {
            return problem(Code.TOO_MANY_COLLECTIONS, "a definition has at most " + MAX_COLLECTIONS + " collections, not "
                    + definition.getCollectionsCount());
        }
        Set<String> names = new HashSet<>();
        for (CollectionConfig collection : definition.getCollectionsList()) {
            Optional<DefinitionProblem> problem = collectionProblem(collection, names);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /**
     * What is wrong with {@code definition} on a channel whose application organizations are {@code organizations}:
     * its form ({@link #check(ContractDefinition)}), then every organization its collections' member policies name
     * must be one of them ({@link Code#COLLECTION_UNKNOWN_ORGANIZATION}). What the peers check when a definition is
     * proposed and again when its transaction is validated.
     */
    public static Optional<DefinitionProblem> check(ContractDefinition definition, Set<String> organizations) {
        Optional<DefinitionProblem> form = check(definition);
        if (form.isPresent()) {
            return form;
        }
        for (CollectionConfig collection : definition.getCollectionsList()) {
            SortedSet<String> unknown = new TreeSet<>(members(collection));
            unknown.removeAll(organizations);
            if (!unknown.isEmpty()) {
                return problem(Code.COLLECTION_UNKNOWN_ORGANIZATION, "collection '" + collection.getName()
                        + "' names " + unknown + ", not application organizations of the channel "
                        + new TreeSet<>(organizations));
            }
        }
        return Optional.empty();
    }

    /**
     * What is wrong with {@code next} as the successor of the committed definition {@code committed}, as Fabric's
     * rules for changing collections: every collection of the committed definition is still there
     * ({@link Code#COLLECTION_REMOVED}: hashes of its values are on the ledger) with the same blockToLive
     * ({@link Code#COLLECTION_BLOCK_TO_LIVE_CHANGED}: purges already scheduled would disagree); collections may be
     * added and their other fields changed. Empty when it may follow.
     */
    public static Optional<DefinitionProblem> updateProblem(ContractDefinition committed, ContractDefinition next) {
        Map<String, CollectionConfig> nextCollections = new HashMap<>();
        for (CollectionConfig collection : next.getCollectionsList()) {
            nextCollections.put(collection.getName(), collection);
        }
        for (CollectionConfig before : committed.getCollectionsList()) {
            CollectionConfig after = nextCollections.get(before.getName());
            if (after == null) {
                return problem(Code.COLLECTION_REMOVED, "collection '" + before.getName() + "' of " + committed.getName()
                        + " sequence " + committed.getSequence() + " cannot be removed: keep it in the new definition");
            }
            if (after.getBlockToLive() != before.getBlockToLive()) {
                return problem(Code.COLLECTION_BLOCK_TO_LIVE_CHANGED, "collection '" + before.getName() + "' keeps its"
                        + " blockToLive " + before.getBlockToLive() + ", not " + after.getBlockToLive());
            }
        }
        return Optional.empty();
    }

    /**
     * The organizations (MSP ids) that a well-formed collection's member policy names: its members.
     *
     * @throws IllegalArgumentException when the member policy is not an OR of principals
     */
    public static SortedSet<String> members(CollectionConfig collection) {
        SortedSet<String> members = new TreeSet<>();
        try {
            if (membership(PolicyParser.parse(collection.getMemberPolicy()), members)) {
                return members;
            }
        } catch (PolicySyntaxException e) {
            throw new IllegalArgumentException("collection '" + collection.getName() + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("collection '" + collection.getName() + "': not an OR of principals");
    }

    private static Optional<DefinitionProblem> collectionProblem(CollectionConfig collection, Set<String> names) {
        String name = collection.getName();
        if (name.startsWith("_")) {
            return problem(Code.COLLECTION_NAME_RESERVED, "collection names starting with '_' are reserved ('" + name
                    + "'): each organization has its implicit collection " + ImplicitCollections.PREFIX + "<mspId>");
        }
        if (!isValidName(name)) {
            return problem(Code.COLLECTION_INVALID_NAME, "'" + name + "' is not a collection name (letters, digits,"
                    + " '.', '_', '-', at most 64, starting with a letter or digit)");
        }
        if (!names.add(name)) {
            return problem(Code.COLLECTION_DUPLICATE_NAME, "collection '" + name + "' is defined twice");
        }
        Policy policy;
        try {
            policy = PolicyParser.parse(collection.getMemberPolicy());
        } catch (PolicySyntaxException e) {
            return problem(Code.COLLECTION_POLICY_UNPARSABLE, "the member policy of collection '" + name
                    + "' does not parse: " + e.getMessage());
        }
        if (!membership(policy, new TreeSet<>())) {
            return problem(Code.COLLECTION_POLICY_NOT_MEMBERSHIP, "the member policy of collection '" + name + "' ("
                    + collection.getMemberPolicy() + ") must be an OR of principals, e.g."
                    + " OR('Org1MSP.member', 'Org2MSP.member'): it says which organizations are members");
        }
        if (collection.getRequiredPeerCount() < 0 || collection.getMaxPeerCount() < 0) {
            return problem(Code.COLLECTION_NEGATIVE_COUNT, "collection '" + name + "': requiredPeerCount ("
                    + collection.getRequiredPeerCount() + ") and maxPeerCount (" + collection.getMaxPeerCount()
                    + ") cannot be negative");
        }
        if (collection.getRequiredPeerCount() > collection.getMaxPeerCount()) {
            return problem(Code.COLLECTION_REQUIRED_ABOVE_MAX, "collection '" + name + "': requiredPeerCount ("
                    + collection.getRequiredPeerCount() + ") is above maxPeerCount (" + collection.getMaxPeerCount() + ")");
        }
        if (collection.getBlockToLive() < 0) {
            return problem(Code.COLLECTION_NEGATIVE_BLOCK_TO_LIVE, "collection '" + name + "': blockToLive ("
                    + collection.getBlockToLive() + ") cannot be negative (0 keeps the values forever)");
        }
        if (!collection.getEndorsementPolicy().isEmpty()) {
            try {
                PolicyParser.parse(collection.getEndorsementPolicy());
            } catch (PolicySyntaxException e) {
                return problem(Code.COLLECTION_ENDORSEMENT_POLICY_UNPARSABLE, "the endorsement policy of collection '"
                        + name + "' does not parse: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Whether {@code policy} is a principal or an OR (1 out of n) of such, adding the MSP ids it names to {@code members}. */
    private static boolean membership(Policy policy, Set<String> members) {
        return switch (policy) {
            case SignedBy signedBy -> {
                members.add(signedBy.principal().mspId());
                yield true;
            }
            case NOutOf outOf -> outOf.isOr() && outOf.rules().stream().allMatch(rule -> membership(rule, members));
            case ImplicitMeta meta -> false;
        };
    }

    private static Optional<DefinitionProblem> problem(Code code, String message) {
        return Optional.of(new DefinitionProblem(code, message));
    }
}
