package io.charter.peer.lifecycle;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.policy.PolicyParser;
import io.charter.common.policy.PolicySyntaxException;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.KeyRead;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.NamespaceReadWriteSet;
import io.charter.protocol.TxReadWriteSet;
import java.util.regex.Pattern;

/**
 * The contract lifecycle's rules, shared by the endorser (which simulates approvals and commits), the
 * validator and the committer (which check them). Committed definitions live in the reserved namespace
 * {@value #NAMESPACE} under {@code definitions/<name>}, organizations' approvals under
 * {@code approvals/<name>/<mspId>}; names starting with {@code _} are reserved, so no contract can read,
 * write or be defined over the lifecycle's state. The governance rules are in docs/security.md, "Contract
 * governance".
 */
public final class Lifecycle {

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

    static final String KEY_PREFIX = "definitions/";
    static final String APPROVALS_PREFIX = "approvals/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern PACKAGE_HASH = Pattern.compile("[0-9a-f]{64}");

    private Lifecycle() {}

    /** The key of {@code contract}'s definition in {@value #NAMESPACE}. */
    public static String key(String contract) {
        return KEY_PREFIX + contract;
    }

    /** The key of {@code mspId}'s approval of a definition of {@code contract} in {@value #NAMESPACE}. */
    public static String approvalKey(String contract, String mspId) {
        return APPROVALS_PREFIX + contract + "/" + mspId;
    }

    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    /** Namespaces starting with {@code _} belong to the peer; no contract owns them. */
    public static boolean isReserved(String namespace) {
        return namespace.startsWith("_");
    }

    /** Null when {@code definition} is well-formed, else what is wrong. */
    public static String problem(ContractDefinition definition) {
        if (!isValidName(definition.getName())) {
            return "'" + definition.getName() + "' is not a contract name (letters, digits, '.', '_', '-', at most 64,"
                    + " not starting with '_', '.' or '-')";
        }
        if (definition.getVersion().isEmpty() || definition.getVersion().length() > 64) {
            return "a definition needs a version of 1 to 64 characters";
        }
        if (definition.getSequence() < 1) {
            return "the sequence starts at 1";
        }
        if (!definition.getEndorsementPolicy().isEmpty()) {
            try {
                PolicyParser.parse(definition.getEndorsementPolicy());
            } catch (PolicySyntaxException e) {
                return "the endorsement policy does not parse: " + e.getMessage();
            }
        }
        String packageId = definition.getPackageId();
        if (!packageId.isEmpty()) {
            int colon = packageId.lastIndexOf(':');
            if (colon < 0 || !packageId.substring(0, colon).equals(definition.getName())
                    || !PACKAGE_HASH.matcher(packageId.substring(colon + 1)).matches()) {
                return "package id '" + packageId + "' is not '" + definition.getName() + ":<sha-256 hex>'";
            }
        }
        if (definition.getApprovedByCount() > 0) {
            return "approved_by is written by the peers when the definition commits; leave it empty";
        }
        return null;
    }

    /** A definition that cannot be accepted, with the reason. */
    public static final class BadDefinition extends Exception {
        private static final long serialVersionUID = 1L;

        public BadDefinition(String message) {
            super(message);
        }
    }

    /**
     * What a CONTRACT_DEFINITION transaction writes, checked for form (not yet against committed state):
     * {@code define}, {@code approve} or {@code commit}; {@code readiness} is a query and writes nothing.
     *
     * @param creatorMspId the organization of the transaction's creator, who must be an admin (checked by the caller)
     * @throws ApprovalForAnotherOrganization when an approval is written for another organization than the creator's
     */
    public static LifecycleWrite writeOf(ContractInvocation invocation, TxReadWriteSet rwset, String creatorMspId)
            throws BadDefinition, ApprovalForAnotherOrganization {
        if (!invocation.getContractName().equals(NAMESPACE)) {
            throw new BadDefinition("a lifecycle transaction invokes " + NAMESPACE);
        }
        return switch (invocation.getFunction()) {
            case DEFINE -> new LifecycleWrite.Define(definitionOf(invocation, rwset));
            case APPROVE -> approvalOf(invocation, rwset, creatorMspId);
            case COMMIT -> commitOf(invocation, rwset);
            case READINESS -> throw new BadDefinition(NAMESPACE + "." + READINESS + " is a query: it is never submitted");
            default -> throw new BadDefinition(NAMESPACE + " has no function '" + invocation.getFunction() + "'");
        };
    }

    /** An approval written for another organization than its creator's. */
    public static final class ApprovalForAnotherOrganization extends Exception {
        private static final long serialVersionUID = 1L;

        public ApprovalForAnotherOrganization(String message) {
            super(message);
        }
    }

    private static ContractDefinition argument(ContractInvocation invocation, int args) throws BadDefinition {
        if (invocation.getArgsCount() != args) {
            throw new BadDefinition(NAMESPACE + "." + invocation.getFunction() + " takes " + args + " argument(s)");
        }
        ContractDefinition definition;
        try {
            definition = ContractDefinition.parseFrom(invocation.getArgs(0));
        } catch (InvalidProtocolBufferException e) {
            throw new BadDefinition("the argument is not a ContractDefinition");
        }
        String problem = problem(definition);
        if (problem != null) {
            throw new BadDefinition(problem);
        }
        return definition;
    }

    /** The single {@value #NAMESPACE} write of a lifecycle transaction, which must also read {@code readKey}. */
    private static KeyWrite onlyWrite(TxReadWriteSet rwset, String key, String readKey) throws BadDefinition {
        if (rwset.getNamespacesCount() != 1 || !rwset.getNamespaces(0).getNamespace().equals(NAMESPACE)) {
            throw new BadDefinition("a lifecycle transaction touches the " + NAMESPACE + " namespace only");
        }
        NamespaceReadWriteSet ns = rwset.getNamespaces(0);
        if (ns.getWritesCount() != 1 || ns.getRangeQueriesCount() != 0) {
            throw new BadDefinition("a lifecycle transaction writes exactly one key");
        }
        KeyWrite write = ns.getWrites(0);
        if (!write.getKey().equals(key) || write.getIsDelete()) {
            throw new BadDefinition("the transaction writes " + write.getKey() + ", not " + key);
        }
        boolean reads = false;
        for (KeyRead read : ns.getReadsList()) {
            reads |= read.getKey().equals(readKey);
        }
        if (!reads) {
            throw new BadDefinition("a lifecycle transaction reads the committed definition (" + readKey + ")");
        }
        return write;
    }

    private static LifecycleWrite.Approve approvalOf(ContractInvocation invocation, TxReadWriteSet rwset, String creatorMspId)
            throws BadDefinition, ApprovalForAnotherOrganization {
        ContractDefinition definition = argument(invocation, 2);
        String mspId = invocation.getArgs(1).toStringUtf8();
        if (!mspId.equals(creatorMspId)) {
            throw new ApprovalForAnotherOrganization("an admin of " + creatorMspId + " may approve for " + creatorMspId
                    + " only, not for '" + mspId + "'");
        }
        KeyWrite write = onlyWrite(rwset, approvalKey(definition.getName(), mspId), key(definition.getName()));
        if (!write.getValue().equals(invocation.getArgs(0))) {
            throw new BadDefinition("an approval writes the approved definition's own bytes");
        }
        return new LifecycleWrite.Approve(mspId, definition);
    }

    private static LifecycleWrite.Commit commitOf(ContractInvocation invocation, TxReadWriteSet rwset) throws BadDefinition {
        ContractDefinition definition = argument(invocation, 1);
        KeyWrite write = onlyWrite(rwset, key(definition.getName()), key(definition.getName()));
        ContractDefinition written;
        try {
            written = ContractDefinition.parseFrom(write.getValue());
        } catch (InvalidProtocolBufferException e) {
            throw new BadDefinition("the committed value is not a ContractDefinition");
        }
        if (!Approvals.approvable(written).equals(definition)) {
            throw new BadDefinition("the commit writes another definition than its argument");
        }
        return new LifecycleWrite.Commit(written);
    }

    /**
     * The definition a CONTRACT_DEFINITION transaction carries, checked for form: the invocation is
     * {@code _lifecycle.define(definition bytes)}, and the read-write set touches only
     * {@value #NAMESPACE}, reads the definition's key (so MVCC orders definitions) and writes exactly
     * that key with exactly the proposed bytes.
     */
    public static ContractDefinition definitionOf(ContractInvocation invocation, TxReadWriteSet rwset) throws BadDefinition {
        if (!invocation.getContractName().equals(NAMESPACE) || !invocation.getFunction().equals(DEFINE)
                || invocation.getArgsCount() != 1) {
            throw new BadDefinition("a definition invokes " + NAMESPACE + "." + DEFINE + " with one argument");
        }
        ByteString bytes = invocation.getArgs(0);
        ContractDefinition definition;
        try {
            definition = ContractDefinition.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new BadDefinition("the argument is not a ContractDefinition");
        }
        String problem = problem(definition);
        if (problem != null) {
            throw new BadDefinition(problem);
        }
        if (rwset.getNamespacesCount() != 1 || !rwset.getNamespaces(0).getNamespace().equals(NAMESPACE)) {
            throw new BadDefinition("a definition touches the " + NAMESPACE + " namespace only");
        }
        NamespaceReadWriteSet ns = rwset.getNamespaces(0);
        String key = key(definition.getName());
        if (ns.getWritesCount() != 1 || ns.getRangeQueriesCount() != 0) {
            throw new BadDefinition("a definition writes exactly one key");
        }
        KeyWrite write = ns.getWrites(0);
        if (!write.getKey().equals(key) || write.getIsDelete() || !write.getValue().equals(bytes)) {
            throw new BadDefinition("a definition writes its own bytes under " + key);
        }
        boolean readsKey = false;
        for (KeyRead read : ns.getReadsList()) {
            readsKey |= read.getKey().equals(key);
        }
        if (!readsKey) {
            throw new BadDefinition("a definition reads the previous definition of " + definition.getName());
        }
        return definition;
    }
}
