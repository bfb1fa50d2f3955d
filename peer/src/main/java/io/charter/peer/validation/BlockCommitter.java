package io.charter.peer.validation;

import io.charter.common.lifecycle.DefinitionProblem;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.common.protocol.BlockHashing;
import io.charter.common.protocol.ChainVerifier;
import io.charter.common.protocol.ChainVerdict;
import io.charter.common.protocol.Identifiers;
import io.charter.common.protocol.TransactionIds;
import io.charter.peer.ledger.BlockCommit;
import io.charter.peer.ledger.HashedKey;
import io.charter.peer.ledger.MissingPrivateData;
import io.charter.peer.ledger.PrivateCommit;
import io.charter.peer.privatedata.Collection;
import io.charter.peer.privatedata.PrivateDataHashes;
import io.charter.protocol.CollectionHashedReadWriteSet;
import io.charter.protocol.CollectionPrivateWrites;
import io.charter.protocol.KeyWriteHash;
import io.charter.peer.ledger.KeyVersion;
import io.charter.peer.ledger.Ledger;
import io.charter.peer.ledger.MvccConflictRecord;
import io.charter.peer.ledger.StateWrite;
import io.charter.peer.ledger.TxRecord;
import io.charter.peer.lifecycle.Approvals;
import io.charter.peer.lifecycle.Lifecycle;
import io.charter.peer.lifecycle.LifecycleWrite;
import com.google.protobuf.ByteString;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.BlockMetadata;
import io.charter.protocol.Envelope;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.MvccConflict;
import io.charter.protocol.NamespaceReadWriteSet;
import io.charter.protocol.Payload;
import io.charter.protocol.TxReadWriteSet;
import io.charter.protocol.TxValidationCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates blocks and commits them to a channel's ledger, one at a time, in order. For each block:
 * the stateless checks ({@link BlockValidator}, parallel), then, sequentially against the ledger:
 * the block must be the next one and link to the last committed block; a transaction id already in
 * the ledger or earlier in the block is a DUPLICATE_TXID; every read of a still-valid transaction
 * must see the version it was endorsed with, counting the writes of earlier valid transactions of
 * the same block (MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT for range reads: {@link MvccCheck}). Then the block, its
 * codes and conflicts, the transaction index and the valid writes are committed in one database
 * transaction.
 *
 * <p>Idempotent: a block already committed (same header hash) is skipped, so replaying blocks after a
 * restart is harmless; a block beyond the next one is refused. Not thread-safe: one thread commits.
 */
public final class BlockCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(BlockCommitter.class);

    /** Transient entries whose transaction has not committed this many blocks after they arrived are deleted (Fabric's default). */
    public static final long TRANSIENT_RETENTION_BLOCKS = 1000;

    private final Ledger ledger;
    private final BlockValidator validator;
    private final ValidationStats stats;
    private final String ownMspId;

    public BlockCommitter(Ledger ledger, BlockValidator validator) {
        this(ledger, validator, new ValidationStats(), "");
    }

    /**
     * @param ownMspId this peer's organization: the private values of the collections it is a member of are checked
     *     against the block's hashes and kept (or recorded as missing); of the others, only the hashes
     */
    public BlockCommitter(Ledger ledger, BlockValidator validator, String ownMspId) {
        this(ledger, validator, new ValidationStats(), ownMspId);
    }

    public BlockCommitter(Ledger ledger, BlockValidator validator, ValidationStats stats, String ownMspId) {
        this.ownMspId = java.util.Objects.requireNonNull(ownMspId, "ownMspId");
        if (!ledger.channelId().equals(validator.channel().channelId())) {
            throw new IllegalArgumentException("the ledger of " + ledger.channelId() + " cannot be validated with the"
                    + " configuration of " + validator.channel().channelId());
        }
        this.ledger = ledger;
        this.validator = validator;
        this.stats = stats;
    }

    /**
     * Commits a channel's genesis block to an empty ledger (joining the channel); on a ledger that
     * has it already, checks it is the same block. The genesis block is trusted because the operator
     * hands it over, so it is not signature-checked.
     *
     * @throws IllegalArgumentException when the block is not a genesis block of the ledger's channel,
     *     or another genesis block is committed
     */
    public static void commitGenesis(Ledger ledger, Block genesis) {
        ChainVerdict verdict = ChainVerifier.verifyFromGenesis(List.of(genesis));
        if (!verdict.isIntact()) {
            throw new IllegalArgumentException("not a genesis block: " + verdict);
        }
        String channelId = ChannelContext.configOf(genesis).getChannelId();
        if (!channelId.equals(ledger.channelId())) {
            throw new IllegalArgumentException("the genesis block is for channel " + channelId + ", not " + ledger.channelId());
        }
        if (ledger.height() > 0) {
            Block committed = ledger.block(0).orElseThrow();
            if (!BlockHashing.headerHash(committed.getHeader()).equals(BlockHashing.headerHash(genesis.getHeader()))) {
                throw new IllegalArgumentException("channel " + channelId + " was joined with another genesis block");
            }
            return;
        }
        String txId;
        try {
            txId = Payload.parseFrom(Envelope.parseFrom(genesis.getData().getEnvelopes(0)).getPayload()).getHeader().getTxId();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("the genesis envelope is malformed", e);
        }
        Block withCodes = genesis.toBuilder()
                .setMetadata(genesis.getMetadata().toBuilder().clearValidationCodes().addValidationCodes(TxValidationCode.VALID))
                .build();
        ledger.commit(new BlockCommit(withCodes, List.of(new TxRecord(txId, 0, 0, TxValidationCode.VALID)), List.of(), List.of(),
                Optional.of(ChannelContext.configOf(genesis))));
    }

    public Ledger ledger() {
        return ledger;
    }

    public ValidationStats stats() {
        return stats;
    }

    /** Validates and commits {@code block}. */
    public CommitResult commit(Block block) {
        CommitResult early = sequenceCheck(block);
        if (early != null) {
            return early;
        }
        return commit(validator.prevalidate(block));
    }

    /**
     * Completes the validation of a block checked by {@link BlockValidator#prevalidate} (possibly on
     * another thread while the previous block was committing) and commits it.
     *
     * @throws io.charter.peer.ledger.LedgerException when the database fails; nothing is committed then
     */
    public CommitResult commit(PrevalidatedBlock prevalidated) {
        Block block = prevalidated.block();
        CommitResult early = sequenceCheck(block);
        if (early != null) {
            return early;
        }
        if (prevalidated.context() != validator.channel()
                || (!prevalidated.isRefused() && prevalidated.policyEpoch() != validator.endorsementPolicies().epoch())) {
            // Checked (in parallel, ahead) against a configuration or definitions that a block committed
            // since has replaced.
            prevalidated = validator.prevalidate(block);
        }
        if (prevalidated.isRefused()) {
            return refuse(block.getHeader().getNumber(), prevalidated.refusal(), prevalidated.refusalDetail());
        }
        long number = block.getHeader().getNumber();
        BlockHeader last = ledger.lastHeader().orElseThrow();
        if (!block.getHeader().getPreviousHash().equals(BlockHashing.headerHash(last))) {
            return refuse(number, BlockRefusal.BROKEN_CHAIN,
                    "block " + number + " does not link to block " + last.getNumber() + " of the ledger");
        }

        Optional<ChannelContext> newContext = Optional.empty();
        if (prevalidated.newConfig().isPresent()) {
            try {
                newContext = Optional.of(validator.currentConfig().contextOf(prevalidated.newConfig().get()));
            } catch (IllegalArgumentException e) {
                return refuse(number, BlockRefusal.INVALID_CONFIG_UPDATE, "config block " + number
                        + ": the new configuration is not usable: " + e.getMessage());
            }
        }

        List<TxCheck> checks = prevalidated.transactions();
        int n = checks.size();
        TxValidationCode[] codes = new TxValidationCode[n];
        boolean[] indexed = new boolean[n];
        for (TxCheck check : checks) {
            codes[check.position()] = check.code();
            indexed[check.position()] = check.authenticated();
        }

        // Duplicate tx ids: in the ledger, or earlier in this block.
        List<String> candidates = new ArrayList<>();
        for (TxCheck check : checks) {
            check.trustedTxId().ifPresent(candidates::add);
        }
        Set<String> existing = ledger.existingTransactions(candidates);
        Set<String> seen = new HashSet<>();
        for (TxCheck check : checks) {
            Optional<String> txId = check.trustedTxId();
            if (txId.isPresent() && (existing.contains(txId.get()) || !seen.add(txId.get()))) {
                codes[check.position()] = TxValidationCode.DUPLICATE_TXID;
                indexed[check.position()] = false;
            }
        }

        if (newContext.isPresent() && codes[0] != TxValidationCode.VALID) {
            // an orderer never writes a config envelope twice; applying or skipping it would both be wrong
            return refuse(number, BlockRefusal.INVALID_CONFIG_UPDATE, "config block " + number + ": its transaction is "
                    + codes[0]);
        }

        // MVCC, sequentially, against the ledger plus the writes of earlier valid transactions of the block.
        List<TxCheck.Passed> passed = new ArrayList<>();
        for (TxCheck check : checks) {
            if (check instanceof TxCheck.Passed tx && codes[tx.position()] == TxValidationCode.VALID) {
                passed.add(tx);
            }
        }
        List<TxReadWriteSet> stillValid = passed.stream().map(TxCheck.Passed::rwset).toList();
        MvccCheck mvcc = MvccCheck.of(ledger, number, stillValid);
        List<StateWrite> writes = new ArrayList<>();
        List<MvccConflictRecord> conflicts = new ArrayList<>();
        PrivateDataCollector privateData = new PrivateDataCollector(number);
        Map<String, Long> definedSequences = new HashMap<>();
        Map<String, Optional<ByteString>> lifecycleWrites = new HashMap<>();
        for (TxCheck.Passed check : passed) {
            int position = check.position();
            Optional<MvccConflictRecord> conflict = mvcc.conflict(check.txId(), position, check.rwset());
            if (conflict.isPresent()) {
                codes[position] = conflict.get().phantom() ? TxValidationCode.PHANTOM_READ_CONFLICT
                        : TxValidationCode.MVCC_READ_CONFLICT;
                conflicts.add(conflict.get());
                LOG.info("channel {}: {}", ledger.channelId(), conflict.get());
                continue;
            }
            if (check.lifecycle().isPresent()) {
                LifecycleWrite lifecycle = check.lifecycle().get();
                LifecycleRefusal refusal = lifecycleRefusal(lifecycle, definedSequences, lifecycleWrites);
                if (refusal != null) {
                    codes[position] = refusal.code();
                    LOG.info("channel {} block {} tx {}: {} {}", ledger.channelId(), number, position, refusal.code(),
                            refusal.detail());
                    continue;
                }
                if (!(lifecycle instanceof LifecycleWrite.Approve)) {
                    definedSequences.put(lifecycle.definition().getName(), lifecycle.definition().getSequence());
                }
            }
            KeyVersion version = new KeyVersion(number, position);
            mvcc.written(check.rwset(), version);
            privateData.add(check.txId(), version, check.rwset());
            for (NamespaceReadWriteSet ns : check.rwset().getNamespacesList()) {
                for (KeyWrite write : ns.getWritesList()) {
                    writes.add(new StateWrite(ns.getNamespace(), write.getKey(),
                            write.getIsDelete() ? null : write.getValue().toByteArray(), version, check.txId()));
                    if (ns.getNamespace().equals(DefinitionRules.NAMESPACE)) {
                        lifecycleWrites.put(write.getKey(), write.getIsDelete() ? Optional.empty() : Optional.of(write.getValue()));
                    }
                }
            }
        }

        List<TxRecord> index = new ArrayList<>();
        List<TxRecord> claims = new ArrayList<>();
        for (TxCheck check : checks) {
            if (indexed[check.position()]) {
                index.add(new TxRecord(check.trustedTxId().orElseThrow(), number, check.position(), codes[check.position()]));
            } else {
                // kept apart: the id in the header is the sender's claim (or a repeat), never an answer for whoever
                // waits on it; an envelope without a well-formed id is found through its block only
                TransactionIds.claimedBy(block.getData().getEnvelopes(check.position())).filter(Identifiers::isTxId)
                        .ifPresent(claimed -> claims.add(new TxRecord(claimed, number, check.position(),
                                codes[check.position()])));
            }
            if (codes[check.position()] != TxValidationCode.VALID && codes[check.position()] != TxValidationCode.MVCC_READ_CONFLICT
                    && codes[check.position()] != TxValidationCode.PHANTOM_READ_CONFLICT) {
                LOG.debug("channel {} block {} tx {}: {} {}", ledger.channelId(), number, check.position(),
                        codes[check.position()], check.detail());
            }
        }
        BlockMetadata.Builder metadata = block.getMetadata().toBuilder().clearValidationCodes().clearMvccConflicts();
        List<TxValidationCode> codeList = List.of(codes);
        metadata.addAllValidationCodes(codeList);
        for (MvccConflictRecord conflict : conflicts) {
            MvccConflict.Builder proto = MvccConflict.newBuilder()
                    .setTxIndex(conflict.txNumber())
                    .setNamespace(conflict.namespace())
                    .setKey(conflict.key());
            conflict.readVersion().ifPresent(version -> proto.setReadVersion(version.toProto()));
            conflict.committedVersion().ifPresent(version -> proto.setCommittedVersion(version.toProto()));
            metadata.addMvccConflicts(proto);
        }
        Block annotated = block.toBuilder().setMetadata(metadata).build();
        Optional<ChannelContext> applied = newContext;
        boolean configApplied = applied.isPresent();
        List<String> blockTxIds = new ArrayList<>();
        checks.forEach(check -> check.trustedTxId().ifPresent(blockTxIds::add));
        // the configuration and the definitions switch before the height shows the block: a client that sees the
        // height of a contract's definition, or of a configuration update, is served by them
        ledger.commit(new BlockCommit(annotated, index, writes, conflicts,
                configApplied ? prevalidated.newConfig() : Optional.empty(), claims, privateData.commit(blockTxIds)), () -> {
            if (configApplied) {
                ChannelContext next = applied.get();
                LOG.info("channel {}: config block {} committed, configuration sequence {} in force ({} organizations: {})",
                        ledger.channelId(), number, next.config().getSequence(), next.registry().mspIds().size(),
                        next.registry().mspIds());
                validator.currentConfig().switchTo(next);
            }
            if (!definedSequences.isEmpty() || configApplied) {
                // a new configuration may change the Endorsement policy that definitions without their own use
                validator.endorsementPolicies().refresh(ledger);
            }
        });
        stats.committed(codeList);
        return new CommitResult.Committed(number, codeList);
    }

    /**
     * The private data of a block's valid transactions: every peer keeps the hashes; a member peer of a collection
     * takes the values from its transient store when they match the hashes, and records them as missing otherwise
     * (reconciliation fetches them from other member peers). Nothing of a value is logged.
     */
    private final class PrivateDataCollector {
        private final long number;
        private final List<PrivateCommit.HashWrite> hashes = new ArrayList<>();
        /** Member collections' writes whose values come from the transient store, looked up once for the block. */
        private final List<Wanted> wanted = new ArrayList<>();

        private record Wanted(String txId, KeyVersion version, String namespace, CollectionHashedReadWriteSet hashed,
                              Optional<Long> expiry) {}

        PrivateDataCollector(long number) {
            this.number = number;
        }

        void add(String txId, KeyVersion version, TxReadWriteSet rwset) {
            for (NamespaceReadWriteSet ns : rwset.getNamespacesList()) {
                for (CollectionHashedReadWriteSet hashed : ns.getCollectionsList()) {
                    if (hashed.getWritesCount() == 0) {
                        continue;
                    }
                    // validated: the collection exists in the definitions this block is validated with
                    Collection collection = validator.endorsementPolicies()
                            .collection(ns.getNamespace(), hashed.getCollection(), validator.channel()).orElseThrow();
                    Optional<Long> expiry = collection.expiryBlock(number);
                    for (KeyWriteHash write : hashed.getWritesList()) {
                        hashes.add(new PrivateCommit.HashWrite(new HashedKey(ns.getNamespace(), hashed.getCollection(),
                                write.getKeyHash()), write.getIsDelete() ? Optional.empty() : Optional.of(write.getValueHash()),
                                version, expiry));
                    }
                    if (collection.isMember(ownMspId)) {
                        wanted.add(new Wanted(txId, version, ns.getNamespace(), hashed, expiry));
                    }
                }
            }
        }

        PrivateCommit commit(List<String> blockTxIds) {
            List<PrivateCommit.ValueWrites> values = new ArrayList<>();
            List<MissingPrivateData> missing = new ArrayList<>();
            Map<String, List<CollectionPrivateWrites>> received = wanted.isEmpty() ? Map.of()
                    : ledger.transientWrites(wanted.stream().map(Wanted::txId).distinct().toList());
            for (Wanted w : wanted) {
                Optional<CollectionPrivateWrites> clear = received.getOrDefault(w.txId(), List.of()).stream()
                        .filter(writes -> writes.getNamespace().equals(w.namespace())
                                && writes.getCollection().equals(w.hashed().getCollection()))
                        .findFirst();
                Optional<String> mismatch = clear.flatMap(writes -> PrivateDataHashes.mismatch(writes, w.hashed()));
                if (clear.isPresent() && mismatch.isEmpty()) {
                    values.add(new PrivateCommit.ValueWrites(clear.get(), w.version(), w.expiry()));
                    continue;
                }
                if (mismatch.isPresent()) {
                    LOG.warn("channel {} block {} tx {}: the private writes received for collection {} of {} do not"
                            + " match the transaction's hashes ({}); refused, to be reconciled from other member peers",
                            ledger.channelId(), number, w.version().txNumber(), w.hashed().getCollection(), w.namespace(),
                            mismatch.get());
                }
                missing.add(new MissingPrivateData(w.txId(), w.version(), w.namespace(), w.hashed().getCollection(),
                        w.expiry()));
            }
            if (!missing.isEmpty()) {
                LOG.info("channel {} block {}: {} private write sets of member collections not received; reconciling",
                        ledger.channelId(), number, missing.size());
            }
            return new PrivateCommit(hashes, values, missing, blockTxIds, Math.max(0, number - TRANSIENT_RETENTION_BLOCKS));
        }
    }

    private record LifecycleRefusal(TxValidationCode code, String detail) {}

    /**
     * Null when a lifecycle write may commit after the earlier transactions of its block, else why not: its sequence
     * must be the committed definition's + 1 (counting definitions earlier in the block); an approval or a commit keeps
     * the committed definition's collections and their blockToLive ({@link DefinitionRules#updateProblem}, else
     * BAD_CONTRACT_DEFINITION); a commit's definition must
     * record exactly the application organizations whose approval, as committed (with the earlier writes of the
     * block), is this definition, and they must satisfy LifecycleEndorsement.
     */
    private LifecycleRefusal lifecycleRefusal(LifecycleWrite write, Map<String, Long> definedInBlock,
                                              Map<String, Optional<ByteString>> lifecycleWrites) {
        ContractDefinition definition = write.definition();
        String name = definition.getName();
        Optional<ContractDefinition> committed = lifecycleValue(Lifecycle.key(name), lifecycleWrites);
        long current = definedInBlock.containsKey(name) ? definedInBlock.get(name)
                : committed.map(ContractDefinition::getSequence).orElse(0L);
        if (definition.getSequence() != current + 1) {
            String detail = "the definition of " + name + " has sequence " + definition.getSequence()
                    + "; the next one is " + (current + 1);
            return new LifecycleRefusal(write instanceof LifecycleWrite.Define ? TxValidationCode.BAD_CONTRACT_DEFINITION
                    : TxValidationCode.SEQUENCE_MISMATCH, detail);
        }
        if (!(write instanceof LifecycleWrite.Define) && committed.isPresent()) {
            Optional<DefinitionProblem> update = DefinitionRules.updateProblem(committed.get(), definition);
            if (update.isPresent()) {
                return new LifecycleRefusal(TxValidationCode.BAD_CONTRACT_DEFINITION, update.get().toString());
            }
        }
        if (write instanceof LifecycleWrite.Commit) {
            ChannelContext channel = validator.channel();
            Map<String, Optional<ContractDefinition>> approvals = new TreeMap<>();
            for (String mspId : channel.applicationOrganizations()) {
                approvals.put(mspId, lifecycleValue(Lifecycle.approvalKey(name, mspId), lifecycleWrites));
            }
            SortedSet<String> approvers = Approvals.approvers(definition, approvals);
            if (!Approvals.satisfy(channel.lifecycleEndorsement(), approvers, channel.applicationSubPolicies())) {
                SortedSet<String> missing = new TreeSet<>(channel.applicationOrganizations());
                missing.removeAll(approvers);
                return new LifecycleRefusal(TxValidationCode.APPROVALS_INSUFFICIENT, "the approvals of " + name
                        + " sequence " + definition.getSequence() + " by " + approvers + " do not satisfy LifecycleEndorsement "
                        + channel.lifecycleEndorsement() + "; missing " + missing);
            }
            if (!List.copyOf(approvers).equals(definition.getApprovedByList())) {
                return new LifecycleRefusal(TxValidationCode.APPROVALS_INSUFFICIENT, "the definition of " + name
                        + " records approvers " + definition.getApprovedByList() + "; the committed approvals are "
                        + approvers);
            }
        }
        return null;
    }

    /** A lifecycle value as the block's earlier valid transactions left it, else as committed. */
    private Optional<ContractDefinition> lifecycleValue(String key, Map<String, Optional<ByteString>> lifecycleWrites) {
        Optional<ByteString> bytes = lifecycleWrites.containsKey(key) ? lifecycleWrites.get(key)
                : ledger.get(DefinitionRules.NAMESPACE, key).map(value -> ByteString.copyFrom(value.value()));
        return bytes.map(value -> {
            try {
                return ContractDefinition.parseFrom(value);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException("the lifecycle value under " + key + " is corrupt", e);
            }
        });
    }

    /** Null when {@code block} is the next one; else the result for an old or future block. */
    private CommitResult sequenceCheck(Block block) {
        if (!block.hasHeader()) {
            return refuse(-1, BlockRefusal.MALFORMED_BLOCK, "the block has no header");
        }
        long number = block.getHeader().getNumber();
        long height = ledger.height();
        if (height == 0) {
            throw new IllegalStateException("channel " + ledger.channelId() + " has no genesis block yet; join it first");
        }
        if (number < height) {
            Block committed = ledger.block(number).orElseThrow();
            if (BlockHashing.headerHash(committed.getHeader()).equals(BlockHashing.headerHash(block.getHeader()))) {
                return new CommitResult.AlreadyCommitted(number);
            }
            return refuse(number, BlockRefusal.CONFLICTS_WITH_LEDGER,
                    "block " + number + " differs from the committed block " + number);
        }
        if (number > height) {
            return refuse(number, BlockRefusal.OUT_OF_SEQUENCE,
                    "block " + number + " arrived but the ledger is at height " + height + " (next block " + height + ")");
        }
        return null;
    }

    private CommitResult refuse(long number, BlockRefusal reason, String detail) {
        stats.refused(reason);
        LOG.warn("ALERT channel {}: block {} refused, {}: {}", ledger.channelId(), number, reason, detail);
        return new CommitResult.Refused(number, reason, detail);
    }
}
