package io.charter.peer.lifecycle;

import static io.charter.common.lifecycle.DefinitionRules.APPROVE;
import static io.charter.common.lifecycle.DefinitionRules.COMMIT;
import static io.charter.common.lifecycle.DefinitionRules.DEFINE;
import static io.charter.common.lifecycle.DefinitionRules.NAMESPACE;
import static io.charter.common.lifecycle.DefinitionRules.READINESS;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.lifecycle.DefinitionProblem;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.KeyRead;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.NamespaceReadWriteSet;
import io.charter.protocol.TxReadWriteSet;
import java.util.Optional;
import java.util.Set;

/**
 * The contract lifecycle's rules, shared by the endorser (which simulates approvals and commits), the
 * validator and the committer (which check them). Committed definitions live in the reserved namespace
 * {@value DefinitionRules#NAMESPACE} under {@code definitions/<name>}, organizations' approvals under
 * {@code approvals/<name>/<mspId>}; names starting with {@code _} are reserved, so no contract can read,
 * write or be defined over the lifecycle's state. The governance rules are in docs/security.md, "Contract
 * governance".
 */
public final class Lifecycle {

    static final String KEY_PREFIX = "definitions/";
    static final String APPROVALS_PREFIX = "approvals/";

    private Lifecycle() {}

    /** The key of {@code contract}'s definition in {@value DefinitionRules#NAMESPACE}. */
    public static String key(String contract) {
        return KEY_PREFIX + contract;
    }

    /** The key of {@code mspId}'s approval of a definition of {@code contract} in {@value DefinitionRules#NAMESPACE}. */
    public static String approvalKey(String contract, String mspId) {
        return APPROVALS_PREFIX + contract + "/" + mspId;
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
     * @param organizations the application organizations of the channel, the only ones collections may name
     * @throws BadDefinition when the transaction or its definition is ill-formed ({@link DefinitionRules#check(
     *     ContractDefinition, Set)}: the message starts with the problem's code)
     * @throws ApprovalForAnotherOrganization when an approval is written for another organization than the creator's
     */
    public static LifecycleWrite writeOf(ContractInvocation invocation, TxReadWriteSet rwset, String creatorMspId,
                                         Set<String> organizations) throws BadDefinition, ApprovalForAnotherOrganization {
        if (!invocation.getContractName().equals(NAMESPACE)) {
            throw new BadDefinition("a lifecycle transaction invokes " + NAMESPACE);
        }
        return switch (invocation.getFunction()) {
            case DEFINE -> new LifecycleWrite.Define(definitionOf(invocation, rwset, organizations));
            case APPROVE -> approvalOf(invocation, rwset, creatorMspId, organizations);
            case COMMIT -> commitOf(invocation, rwset, organizations);
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

    private static ContractDefinition argument(ContractInvocation invocation, int args, Set<String> organizations)
            throws BadDefinition {
        if (invocation.getArgsCount() != args) {
            throw new BadDefinition(NAMESPACE + "." + invocation.getFunction() + " takes " + args + " argument(s)");
        }
        ContractDefinition definition;
        try {
            definition = ContractDefinition.parseFrom(invocation.getArgs(0));
        } catch (InvalidProtocolBufferException e) {
            throw new BadDefinition("the argument is not a ContractDefinition");
        }
        wellFormed(definition, organizations);
        return definition;
    }

    private static void wellFormed(ContractDefinition definition, Set<String> organizations) throws BadDefinition {
        Optional<DefinitionProblem> problem = DefinitionRules.check(definition, organizations);
        if (problem.isPresent()) {
            throw new BadDefinition(problem.get().toString());
        }
    }

    /** The single {@value DefinitionRules#NAMESPACE} write of a lifecycle transaction, which must also read {@code readKey}. */
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

    private static LifecycleWrite.Approve approvalOf(ContractInvocation invocation, TxReadWriteSet rwset, String creatorMspId,
                                                     Set<String> organizations)
            throws BadDefinition, ApprovalForAnotherOrganization {
        ContractDefinition definition = argument(invocation, 2, organizations);
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

    private static LifecycleWrite.Commit commitOf(ContractInvocation invocation, TxReadWriteSet rwset,
                                                  Set<String> organizations) throws BadDefinition {
        ContractDefinition definition = argument(invocation, 1, organizations);
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
     * {@value DefinitionRules#NAMESPACE}, reads the definition's key (so MVCC orders definitions) and writes exactly
     * that key with exactly the proposed bytes.
     */
    public static ContractDefinition definitionOf(ContractInvocation invocation, TxReadWriteSet rwset,
                                                  Set<String> organizations) throws BadDefinition {
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
        wellFormed(definition, organizations);
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
