package io.charter.peer.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.config.ConfigUpdateChecker;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.identity.RejectionReason;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.identity.ValidationResult;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.common.pki.Role;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.Policy;
import io.charter.common.protocol.BlockHashing;
import io.charter.common.protocol.Endorsements;
import io.charter.common.protocol.OrdererSignatureCheck;
import io.charter.common.protocol.EnvelopeUnpacking;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.Parsing;
import io.charter.common.protocol.Proposals;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.protocol.UnpackedEnvelope;
import io.charter.peer.lifecycle.Lifecycle;
import io.charter.peer.lifecycle.LifecycleWrite;
import io.charter.common.policy.PrincipalRole;
import io.charter.common.policy.SignaturePolicy;
import io.charter.common.pki.Role;
import io.charter.protocol.Block;
import io.charter.protocol.ConfigEnvelope;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.EndorsedAction;
import io.charter.protocol.Endorsement;
import io.charter.protocol.HeaderType;
import io.charter.protocol.KeyRead;
import io.charter.protocol.KeyReadHash;
import io.charter.protocol.KeyWriteHash;
import io.charter.protocol.CollectionHashedReadWriteSet;
import io.charter.peer.privatedata.Collection;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.NamespaceReadWriteSet;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.ProposalResponsePayload;
import io.charter.protocol.RangeQueryInfo;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.Transaction;
import io.charter.protocol.TransactionAction;
import io.charter.protocol.TxReadWriteSet;
import io.charter.protocol.TxValidationCode;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The checks of a block that do not depend on the ledger, run in parallel across cores: the data
 * hash, the orderer signatures against BlockValidation, and per transaction the envelope's
 * structure, the creator (certificate, Writers, signature, tx id), the endorsements (identities,
 * signatures, the endorsement policy of every namespace the transaction touches) and the proposal
 * hash. Certificate verdicts are cached by the channel's {@code IdentityValidator}; public keys,
 * converted once to the verifying provider's own key type, by certificate.
 *
 * <p>Each block is checked against the configuration in force when its check starts ({@link CurrentConfig});
 * a config block (one CONFIG envelope) is checked as an update of that configuration with common's
 * {@link ConfigUpdateChecker}, the same code the orderers run, and refused whole
 * ({@link BlockRefusal#INVALID_CONFIG_UPDATE}) when it may not be applied.
 *
 * <p>Transactions are checked on a dedicated {@link ForkJoinPool} of {@code parallelism} workers
 * (default: the available processors). {@link #close} stops it.
 */
public final class BlockValidator implements AutoCloseable {

    private static final int KEY_CACHE_SIZE = 10_000;
    private static final int HASH_BYTES = 32;
    private static final int EVALUATION_CACHE_SIZE = 1_000;

    private final CurrentConfig config;
    private final ConfigUpdateChecker configChecker;
    private final EndorsementPolicies endorsementPolicies;
    private final EcdsaVerifier verifier;
    private final ForkJoinPool pool;
    private final ClearingCache<CertificateBytes, PublicKey> keys = new ClearingCache<>(KEY_CACHE_SIZE);
    private final ClearingCache<PolicyShape, Evaluation> evaluations = new ClearingCache<>(EVALUATION_CACHE_SIZE);

    /** A validator of a channel whose configuration it never sees change (tests and tools). */
    public BlockValidator(ChannelContext channel, EndorsementPolicies endorsementPolicies) {
        this(CurrentConfig.fixed(channel), endorsementPolicies);
    }

    public BlockValidator(ChannelContext channel, EndorsementPolicies endorsementPolicies, EcdsaVerifier verifier,
                          int parallelism) {
        this(CurrentConfig.fixed(channel), endorsementPolicies, verifier, parallelism);
    }

    public BlockValidator(CurrentConfig config, EndorsementPolicies endorsementPolicies) {
        this(config, endorsementPolicies, new EcdsaVerifier(), Runtime.getRuntime().availableProcessors());
    }

    public BlockValidator(CurrentConfig config, EndorsementPolicies endorsementPolicies, EcdsaVerifier verifier,
                          int parallelism) {
        this.config = config;
        this.endorsementPolicies = endorsementPolicies;
        this.verifier = verifier;
        this.configChecker = new ConfigUpdateChecker(verifier, config.clock());
        this.pool = new ForkJoinPool(parallelism);
    }

    /** The context of the configuration in force now. */
    public ChannelContext channel() {
        return config.get();
    }

    /** The channel's configuration in force, switched by the committer after a config block. */
    public CurrentConfig currentConfig() {
        return config;
    }

    public EndorsementPolicies endorsementPolicies() {
        return endorsementPolicies;
    }

    public EcdsaVerifier verifier() {
        return verifier;
    }

    /** Checks a block (number 1 or later) as far as possible without the ledger. Never throws for bad input. */
    public PrevalidatedBlock prevalidate(Block block) {
        ChannelContext channel = config.get();
        if (!block.hasHeader() || !block.hasData() || !block.hasMetadata()) {
            return PrevalidatedBlock.refused(block, BlockRefusal.MALFORMED_BLOCK,
                    "the block lacks its header, data or metadata", channel);
        }
        long number = block.getHeader().getNumber();
        // Read before any policy: if the definitions change during the checks, the epoch tells the committer.
        long policyEpoch = endorsementPolicies.epoch();
        ByteString dataHash = BlockHashing.dataHash(block.getData());
        if (!dataHash.equals(block.getHeader().getDataHash())) {
            return PrevalidatedBlock.refused(block, BlockRefusal.BROKEN_CHAIN,
                    "block " + number + " declares a data hash its envelopes do not have", channel);
        }
        List<ByteString> envelopes = block.getData().getEnvelopesList();
        TxCheck[] checks = new TxCheck[envelopes.size()];
        String[] signatureVerdict = new String[1];
        pool.submit(() -> IntStream.range(-1, envelopes.size()).parallel().forEach(i -> {
            if (i < 0) {
                signatureVerdict[0] = checkOrdererSignatures(block, channel);
            } else {
                checks[i] = checkTransaction(i, envelopes.get(i), channel);
            }
        })).join();
        if (signatureVerdict[0] != null) {
            return PrevalidatedBlock.refused(block, BlockRefusal.BAD_ORDERER_SIGNATURES,
                    "block " + number + ": " + signatureVerdict[0], channel);
        }
        for (TxCheck check : checks) {
            boolean config = check.code() == TxValidationCode.INVALID_CONFIG
                    || check instanceof TxCheck.Passed passed && passed.config().isPresent();
            if (config && checks.length != 1) {
                return PrevalidatedBlock.refused(block, BlockRefusal.INVALID_CONFIG_UPDATE, "block " + number
                        + " carries a CONFIG transaction at position " + check.position() + " among " + checks.length
                        + " envelopes; a config block carries exactly one", channel);
            }
            if (check.code() == TxValidationCode.INVALID_CONFIG) {
                return PrevalidatedBlock.refused(block, BlockRefusal.INVALID_CONFIG_UPDATE,
                        "config block " + number + ": " + check.detail(), channel);
            }
        }
        return new PrevalidatedBlock(block, List.of(checks), null, null, policyEpoch, channel);
    }

    /**
     * The checks of a CONFIG envelope after genesis, as Fabric's peers make them: written by an orderer of
     * the channel (a valid ORDERER identity whose signature verifies), carrying a {@link ConfigEnvelope}
     * whose {@code last_update} is a CONFIG_UPDATE that common's {@link ConfigUpdateChecker} accepts against
     * the configuration in force (channel, sequence + 1, well-formed, Admins signatures) and whose
     * {@code config} is exactly the configuration that update proposes. Any failure is INVALID_CONFIG,
     * which refuses the whole block.
     */
    private TxCheck checkConfig(int position, UnpackedEnvelope envelope, ChannelContext channel) {
        PayloadHeader header = envelope.header();
        if (!header.getChannelId().equals(channel.channelId())) {
            return TxCheck.untrusted(position, TxValidationCode.INVALID_CONFIG,
                    "the CONFIG envelope is for channel '" + header.getChannelId() + "', not " + channel.channelId());
        }
        if (header.getNonce().isEmpty()
                || !header.getTxId().equals(TransactionIds.compute(header.getNonce(), envelope.creatorBytes()))) {
            return TxCheck.untrusted(position, TxValidationCode.INVALID_CONFIG,
                    "the CONFIG envelope's tx id is not SHA-256(nonce || creator)");
        }
        SerializedIdentity creator = envelope.creator();
        ValidationResult creatorResult = channel.identities().validate(creator.getMspId(), creator.getCertificate());
        if (!(creatorResult instanceof ValidationResult.Valid validCreator)
                || validCreator.validatedIdentity().role() != Role.ORDERER) {
            return TxCheck.untrusted(position, TxValidationCode.INVALID_CONFIG,
                    "the CONFIG envelope was not written by an orderer of the channel: " + creatorResult);
        }
        if (!envelope.verifySignature(verifier, key(creator.getCertificate(), validCreator.validatedIdentity()))) {
            return TxCheck.untrusted(position, TxValidationCode.INVALID_CONFIG,
                    "the orderer's signature of the CONFIG envelope does not verify");
        }
        ConfigEnvelope configEnvelope;
        try {
            configEnvelope = Parsing.parse(ConfigEnvelope.parser(), envelope.data());
        } catch (InvalidProtocolBufferException e) {
            return TxCheck.failed(position, TxValidationCode.INVALID_CONFIG, header.getTxId(),
                    "the CONFIG envelope does not carry a ConfigEnvelope");
        }
        if (configEnvelope.getLastUpdate().isEmpty() || !configEnvelope.hasConfig()) {
            return TxCheck.failed(position, TxValidationCode.INVALID_CONFIG, header.getTxId(),
                    "the ConfigEnvelope lacks its configuration or the update that produced it");
        }
        UnpackedEnvelope update;
        switch (Envelopes.unpack(configEnvelope.getLastUpdate())) {
            case EnvelopeUnpacking.Malformed malformed -> {
                return TxCheck.failed(position, TxValidationCode.INVALID_CONFIG, header.getTxId(),
                        "the last update is not an envelope: " + malformed.error() + ": " + malformed.detail());
            }
            case EnvelopeUnpacking.Unpacked unpacked -> update = unpacked.envelope();
        }
        ConfigUpdateChecker.Outcome outcome = configChecker.check(channel.config(), update);
        if (!outcome.accepted()) {
            return TxCheck.failed(position, TxValidationCode.INVALID_CONFIG, header.getTxId(),
                    "the update is refused against configuration sequence " + channel.config().getSequence() + ", "
                            + outcome.refusal().orElseThrow() + ": " + outcome.detail());
        }
        if (!outcome.proposed().orElseThrow().equals(configEnvelope.getConfig())) {
            return TxCheck.failed(position, TxValidationCode.INVALID_CONFIG, header.getTxId(),
                    "the block's configuration is not the one its update proposes");
        }
        return TxCheck.Passed.config(position, header.getTxId(), configEnvelope.getConfig());
    }

    /** Null when the signatures satisfy BlockValidation, else why not (the check shared with the orderer). */
    private String checkOrdererSignatures(Block block, ChannelContext channel) {
        return OrdererSignatureCheck.problem(block, channel.blockValidation(), new OrdererSignatureCheck.Signers() {
            @Override
            public ValidationResult validate(String mspId, ByteString certificate) {
                return channel.identities().validate(mspId, certificate);
            }

            @Override
            public PublicKey publicKey(ByteString certificate, ValidatedIdentity identity) {
                return key(certificate, identity);
            }

            @Override
            public Evaluation evaluate(Policy policy, java.util.Collection<ValidatedIdentity> signers) {
                return BlockValidator.this.evaluate(false, policy, List.copyOf(signers), channel);
            }
        }, verifier).orElse(null);
    }

    /** The stateless checks of one envelope against the configuration in force. */
    TxCheck checkTransaction(int position, ByteString envelopeBytes) {
        return checkTransaction(position, envelopeBytes, config.get());
    }

    /** The stateless checks of one envelope, in the order that gives the most precise code. */
    private TxCheck checkTransaction(int position, ByteString envelopeBytes, ChannelContext channel) {
        if (envelopeBytes.isEmpty()) {
            return TxCheck.untrusted(position, TxValidationCode.NIL_ENVELOPE, "empty envelope");
        }
        UnpackedEnvelope envelope;
        switch (Envelopes.unpack(envelopeBytes)) {
            case EnvelopeUnpacking.Malformed malformed -> {
                TxValidationCode code = switch (malformed.error()) {
                    case MALFORMED_ENVELOPE, MALFORMED_PAYLOAD -> TxValidationCode.BAD_PAYLOAD;
                    case MISSING_HEADER, MISSING_CREATOR, MALFORMED_CREATOR -> TxValidationCode.BAD_HEADER;
                };
                return TxCheck.untrusted(position, code, malformed.error() + ": " + malformed.detail());
            }
            case EnvelopeUnpacking.Unpacked unpacked -> envelope = unpacked.envelope();
        }
        PayloadHeader header = envelope.header();
        String claimedTxId = header.getTxId();
        if (header.getType() == HeaderType.CONFIG) {
            return checkConfig(position, envelope, channel);
        }
        boolean definitionTx = header.getType() == HeaderType.CONTRACT_DEFINITION;
        if (header.getType() != HeaderType.ENDORSER_TRANSACTION && !definitionTx) {
            return TxCheck.untrusted(position, TxValidationCode.UNKNOWN_HEADER_TYPE,
                    "header type " + header.getType() + " is not validated by this peer");
        }
        if (!header.getChannelId().equals(channel.channelId())) {
            return TxCheck.untrusted(position, TxValidationCode.UNKNOWN_CHANNEL,
                    "for channel '" + header.getChannelId() + "', not " + channel.channelId());
        }
        if (header.getNonce().isEmpty()
                || !claimedTxId.equals(TransactionIds.compute(header.getNonce(), envelope.creatorBytes()))) {
            return TxCheck.untrusted(position, TxValidationCode.BAD_TXID,
                    "tx id '" + claimedTxId + "' is not SHA-256(nonce || creator)");
        }
        SerializedIdentity creator = envelope.creator();
        ValidationResult creatorResult = channel.identities().validate(creator.getMspId(), creator.getCertificate());
        if (!(creatorResult instanceof ValidationResult.Valid validCreator)) {
            ValidationResult.Rejected rejected = (ValidationResult.Rejected) creatorResult;
            TxValidationCode code = rejected.reason() == RejectionReason.REVOKED ? TxValidationCode.REVOKED_CREATOR
                    : rejected.reason() == RejectionReason.EXPIRED ? TxValidationCode.EXPIRED_CREATOR
                    : TxValidationCode.UNAUTHORIZED_CREATOR;
            return TxCheck.untrusted(position, code, "creator: " + rejected);
        }
        ValidatedIdentity creatorIdentity = validCreator.validatedIdentity();
        Evaluation writers = evaluate(false, channel.writers(), List.of(creatorIdentity), channel);
        if (!writers.satisfied()) {
            return TxCheck.untrusted(position, TxValidationCode.UNAUTHORIZED_CREATOR,
                    "creator may not write to the channel: " + writers.explanation());
        }
        if (!envelope.verifySignature(verifier, key(creator.getCertificate(), creatorIdentity))) {
            return TxCheck.untrusted(position, TxValidationCode.BAD_CREATOR_SIGNATURE,
                    "the creator's signature does not verify");
        }
        // From here on the tx id is the creator's own: it is indexed whatever the outcome.
        String txId = claimedTxId;
        Transaction transaction;
        TransactionAction action;
        ContractInvocation invocation;
        ProposalResponsePayload response;
        try {
            transaction = Parsing.parse(Transaction.parser(), envelope.data());
            if (transaction.getActionsCount() != 1) {
                return TxCheck.failed(position, TxValidationCode.BAD_PAYLOAD, txId,
                        "a transaction carries exactly one action, not " + transaction.getActionsCount());
            }
            action = transaction.getActions(0);
            if (!Parsing.parse(PayloadHeader.parser(), action.getHeader()).equals(header)) {
                return TxCheck.failed(position, TxValidationCode.BAD_HEADER, txId,
                        "the proposal header differs from the envelope header");
            }
            invocation = Parsing.parse(ContractInvocation.parser(), action.getEndorsedAction().getProposalPayload());
            response = Parsing.parse(ProposalResponsePayload.parser(), action.getEndorsedAction().getProposalResponsePayload());
        } catch (InvalidProtocolBufferException e) {
            return TxCheck.failed(position, TxValidationCode.BAD_PAYLOAD, txId, "malformed: " + e.getMessage());
        }
        if (invocation.getContractName().isEmpty()) {
            return TxCheck.failed(position, TxValidationCode.BAD_PAYLOAD, txId, "the invocation names no contract");
        }
        if (!response.getProposalHash().equals(Proposals.hash(action))) {
            return TxCheck.failed(position, TxValidationCode.BAD_PROPOSAL_HASH, txId,
                    "the endorsed results are for another proposal");
        }
        TxReadWriteSet rwset;
        try {
            rwset = Parsing.parse(TxReadWriteSet.parser(), response.getResults());
        } catch (InvalidProtocolBufferException e) {
            return TxCheck.failed(position, TxValidationCode.BAD_RWSET, txId, "malformed read-write set");
        }
        String rwsetProblem = rwsetProblem(rwset);
        if (rwsetProblem != null) {
            return TxCheck.failed(position, TxValidationCode.BAD_RWSET, txId, rwsetProblem);
        }

        // Endorsements: all sign the one proposal_response_payload the transaction carries, so their
        // results are identical by construction. An endorser whose certificate is not valid is not
        // counted; a signature that does not verify makes the transaction invalid.
        EndorsedAction endorsed = action.getEndorsedAction();
        List<ValidatedIdentity> endorsers = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (Endorsement endorsement : endorsed.getEndorsementsList()) {
            SerializedIdentity endorser;
            try {
                endorser = SerializedIdentity.parseFrom(endorsement.getEndorser());
            } catch (InvalidProtocolBufferException e) {
                return TxCheck.failed(position, TxValidationCode.INVALID_ENDORSER_SIGNATURE, txId,
                        "an endorser identity is malformed");
            }
            ValidationResult endorserResult = channel.identities().validate(endorser.getMspId(), endorser.getCertificate());
            if (!(endorserResult instanceof ValidationResult.Valid validEndorser)) {
                ignored.add(endorser.getMspId() + ": " + endorserResult);
                continue;
            }
            if (!Endorsements.verify(endorsed.getProposalResponsePayload(), endorsement, verifier,
                    key(endorser.getCertificate(), validEndorser.validatedIdentity()))) {
                return TxCheck.failed(position, TxValidationCode.INVALID_ENDORSER_SIGNATURE, txId,
                        "the endorsement of " + validEndorser.validatedIdentity().enrollmentId() + " (" + endorser.getMspId()
                                + ") does not verify");
            }
            endorsers.add(validEndorser.validatedIdentity());
        }
        for (NamespaceReadWriteSet ns : rwset.getNamespacesList()) {
            if (!definitionTx && DefinitionRules.isReserved(ns.getNamespace())) {
                return TxCheck.failed(position, TxValidationCode.UNDEFINED_CONTRACT, txId,
                        "namespace '" + ns.getNamespace() + "' is reserved to the peer; only CONTRACT_DEFINITION"
                                + " transactions touch " + DefinitionRules.NAMESPACE);
            }
        }
        if (definitionTx) {
            return checkLifecycle(position, txId, invocation, rwset, creatorIdentity, endorsers, ignored, channel);
        }
        Set<String> namespaces = new LinkedHashSet<>();
        List<Collection> ownPolicies = new ArrayList<>();
        for (NamespaceReadWriteSet ns : rwset.getNamespacesList()) {
            if (ns.getWritesCount() > 0) {
                namespaces.add(ns.getNamespace());
            }
            for (CollectionHashedReadWriteSet hashed : ns.getCollectionsList()) {
                Optional<Collection> collection = DefinitionRules.isReserved(ns.getNamespace()) ? Optional.empty()
                        : endorsementPolicies.collection(ns.getNamespace(), hashed.getCollection(), channel);
                if (collection.isEmpty()) {
                    return TxCheck.failed(position, TxValidationCode.UNKNOWN_COLLECTION, txId, "contract '"
                            + ns.getNamespace() + "' has no collection '" + hashed.getCollection() + "' on " + channel.channelId());
                }
                if (hashed.getWritesCount() == 0) {
                    continue;
                }
                if (collection.get().config().getMemberOnlyWrite() && !collection.get().isMember(creatorIdentity.mspId())) {
                    return TxCheck.failed(position, TxValidationCode.PRIVATE_WRITE_DENIED, txId, "collection "
                            + hashed.getCollection() + " of " + ns.getNamespace() + " is memberOnlyWrite; the creator's"
                            + " organization " + creatorIdentity.mspId() + " is not a member " + collection.get().members());
                }
                if (collection.get().endorsementPolicy().isPresent()) {
                    ownPolicies.add(collection.get());
                } else {
                    namespaces.add(ns.getNamespace());
                }
            }
        }
        // The invoked contract's policy applies too, unless what it writes is only private data of collections with
        // policies of their own (as Fabric's collection-level endorsement policies).
        boolean onlyOwnPolicyWrites = !ownPolicies.isEmpty()
                && ownPolicies.stream().allMatch(c -> c.namespace().equals(invocation.getContractName()));
        if (!onlyOwnPolicyWrites || namespaces.contains(invocation.getContractName())) {
            Set<String> contractFirst = new LinkedHashSet<>();
            contractFirst.add(invocation.getContractName());
            contractFirst.addAll(namespaces);
            namespaces = contractFirst;
        }
        for (Collection collection : ownPolicies) {
            Policy policy = collection.endorsementPolicy().orElseThrow();
            Evaluation evaluation = evaluate(true, policy, endorsers, channel);
            if (!evaluation.satisfied()) {
                return TxCheck.failed(position, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, txId,
                        "endorsement policy " + policy + " of collection " + collection.name() + " of "
                                + collection.namespace() + " not satisfied: " + evaluation.explanation()
                                + (ignored.isEmpty() ? "" : "; endorsers not counted: " + ignored));
            }
        }
        for (String namespace : namespaces) {
            if (DefinitionRules.isReserved(namespace)) {
                return TxCheck.failed(position, TxValidationCode.UNDEFINED_CONTRACT, txId,
                        "contract '" + namespace + "' is reserved to the peer");
            }
            Optional<Policy> policy = endorsementPolicies.policyFor(namespace);
            if (policy.isEmpty()) {
                return TxCheck.failed(position, TxValidationCode.UNDEFINED_CONTRACT, txId,
                        "no contract '" + namespace + "' is defined on " + channel.channelId());
            }
            Evaluation evaluation = evaluate(true, policy.get(), endorsers, channel);
            if (!evaluation.satisfied()) {
                return TxCheck.failed(position, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, txId,
                        "endorsement policy " + policy.get() + " of " + namespace + " not satisfied: "
                                + evaluation.explanation() + (ignored.isEmpty() ? "" : "; endorsers not counted: " + ignored));
            }
        }
        return TxCheck.Passed.transaction(position, txId, rwset, Optional.empty());
    }

    /** Null when the read-write set is well-formed: namespaces named once, keys non-empty without U+0000. */
    private static String rwsetProblem(TxReadWriteSet rwset) {
        Set<String> namespaces = new HashSet<>();
        for (NamespaceReadWriteSet ns : rwset.getNamespacesList()) {
            if (ns.getNamespace().isEmpty() || !namespaces.add(ns.getNamespace())) {
                return "a namespace is empty or named twice";
            }
            for (KeyRead read : ns.getReadsList()) {
                if (!isKey(read.getKey())) {
                    return "bad key read in " + ns.getNamespace();
                }
            }
            for (KeyWrite write : ns.getWritesList()) {
                if (!isKey(write.getKey())) {
                    return "bad key written in " + ns.getNamespace();
                }
            }
            for (RangeQueryInfo range : ns.getRangeQueriesList()) {
                if (range.getStartKey().indexOf('\u0000') >= 0 || range.getEndKey().indexOf('\u0000') >= 0) {
                    return "bad range in " + ns.getNamespace();
                }
                for (KeyRead read : range.getReadsList()) {
                    if (!isKey(read.getKey())) {
                        return "bad key in a range read of " + ns.getNamespace();
                    }
                }
            }
            Set<String> collections = new HashSet<>();
            for (CollectionHashedReadWriteSet hashed : ns.getCollectionsList()) {
                if (hashed.getCollection().isEmpty() || !collections.add(hashed.getCollection())) {
                    return "a collection of " + ns.getNamespace() + " is empty or named twice";
                }
                Set<ByteString> read = new HashSet<>();
                for (KeyReadHash keyRead : hashed.getReadsList()) {
                    if (keyRead.getKeyHash().size() != HASH_BYTES || !read.add(keyRead.getKeyHash())) {
                        return "a hashed read of collection " + hashed.getCollection() + " is not one SHA-256 key hash";
                    }
                }
                Set<ByteString> written = new HashSet<>();
                for (KeyWriteHash keyWrite : hashed.getWritesList()) {
                    if (keyWrite.getKeyHash().size() != HASH_BYTES || !written.add(keyWrite.getKeyHash())
                            || keyWrite.getValueHash().size() != (keyWrite.getIsDelete() ? 0 : HASH_BYTES)) {
                        return "a hashed write of collection " + hashed.getCollection() + " is not one SHA-256 key hash"
                                + " with the SHA-256 of its value (none for a delete)";
                    }
                }
            }
        }
        return null;
    }

    private static boolean isKey(String key) {
        return !key.isEmpty() && key.indexOf('\u0000') < 0;
    }

    /**
     * The certificate's public key as the verifying provider's own key object, so that the provider
     * does not convert a foreign key on every verification.
     */
    private PublicKey key(ByteString der, ValidatedIdentity identity) {
        return keys.get(new CertificateBytes(der), certificate -> {
            PublicKey key = identity.certificate().getPublicKey();
            try {
                return KeyFactory.getInstance("EC", verifier.provider().jcaProvider())
                        .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
            } catch (Exception e) {
                return key; // the certificate's own key object: slower, equally correct
            }
        });
    }

    /**
     * A lifecycle transaction: well-formed for its function; an approval created by an admin of the organization it
     * approves for and endorsed by a peer of it; a commit created by an admin and endorsed per LifecycleEndorsement;
     * a retired single-step definition (in blocks from before) endorsed per LifecycleEndorsement. Sequences and a
     * commit's approvals are checked against committed state by the committer.
     */
    private TxCheck checkLifecycle(int position, String txId, ContractInvocation invocation, TxReadWriteSet rwset,
                                   ValidatedIdentity creator, List<ValidatedIdentity> endorsers, List<String> ignored,
                                   ChannelContext channel) {
        LifecycleWrite write;
        try {
            write = Lifecycle.writeOf(invocation, rwset, creator.mspId(), channel.applicationOrganizations());
        } catch (Lifecycle.BadDefinition e) {
            return TxCheck.failed(position, TxValidationCode.BAD_CONTRACT_DEFINITION, txId, e.getMessage());
        } catch (Lifecycle.ApprovalForAnotherOrganization e) {
            return TxCheck.failed(position, TxValidationCode.APPROVAL_NOT_OWN_ORGANIZATION, txId, e.getMessage());
        }
        String name = write.definition().getName();
        String notCounted = ignored.isEmpty() ? "" : "; endorsers not counted: " + ignored;
        switch (write) {
            case LifecycleWrite.Approve approve -> {
                if (creator.role() != Role.ADMIN) {
                    return TxCheck.failed(position, TxValidationCode.APPROVAL_NOT_OWN_ORGANIZATION, txId,
                            "approvals are written by an admin of the organization, not by " + creator.enrollmentId()
                                    + " (" + creator.role().label() + ")");
                }
                if (!channel.applicationOrganizations().contains(approve.mspId())) {
                    return TxCheck.failed(position, TxValidationCode.APPROVAL_NOT_OWN_ORGANIZATION, txId,
                            approve.mspId() + " is not an application organization of " + channel.channelId());
                }
                Policy ownPeer = SignaturePolicy.signedBy(approve.mspId(), PrincipalRole.PEER);
                Evaluation evaluation = evaluate(false, ownPeer, endorsers, channel);
                if (!evaluation.satisfied()) {
                    return TxCheck.failed(position, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, txId,
                            "the approval of " + name + " by " + approve.mspId() + " needs the endorsement of a peer of "
                                    + approve.mspId() + ": " + evaluation.explanation() + notCounted);
                }
            }
            case LifecycleWrite.Commit commit -> {
                if (creator.role() != Role.ADMIN) {
                    return TxCheck.failed(position, TxValidationCode.UNAUTHORIZED_CREATOR, txId,
                            "definitions are committed by an organization admin, not by " + creator.enrollmentId()
                                    + " (" + creator.role().label() + ")");
                }
                Evaluation evaluation = evaluate(true, channel.lifecycleEndorsement(), endorsers, channel);
                if (!evaluation.satisfied()) {
                    return TxCheck.failed(position, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, txId,
                            "the commit of " + name + " does not satisfy LifecycleEndorsement "
                                    + channel.lifecycleEndorsement() + ": " + evaluation.explanation() + notCounted);
                }
            }
            case LifecycleWrite.Define define -> {
                Evaluation evaluation = evaluate(true, channel.lifecycleEndorsement(), endorsers, channel);
                if (!evaluation.satisfied()) {
                    return TxCheck.failed(position, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, txId,
                            "the definition of " + name + " does not satisfy LifecycleEndorsement "
                                    + channel.lifecycleEndorsement() + ": " + evaluation.explanation() + notCounted);
                }
            }
        }
        return TxCheck.Passed.transaction(position, txId, rwset, Optional.of(write));
    }

    /**
     * A policy's verdict depends only on the policy and on the organization and role of each distinct
     * signer (principals name nothing else), so verdicts are cached by that shape: the same few
     * combinations of creators and endorsers recur in every block.
     *
     * @param application whether ANY/ALL/MAJORITY count the application organizations only (endorsement
     *     policies) rather than every organization of the channel (Writers, Admins)
     */
    private Evaluation evaluate(boolean application, Policy policy, List<ValidatedIdentity> signers, ChannelContext channel) {
        List<SignerShape> shape = new ArrayList<>(signers.size());
        List<java.security.cert.X509Certificate> seen = new ArrayList<>(signers.size());
        for (ValidatedIdentity signer : signers) {
            if (!seen.contains(signer.certificate())) {
                seen.add(signer.certificate());
                shape.add(new SignerShape(signer.mspId(), signer.role()));
            }
        }
        shape.sort(SignerShape.ORDER);
        return evaluations.get(new PolicyShape(channel, application, policy, shape), key -> application
                ? channel.evaluateForApplications(policy, signers) : channel.evaluate(policy, signers));
    }

    /** Keyed by the context too: another configuration may define the organizations' policies differently. */
    private record PolicyShape(ChannelContext channel, boolean application, Policy policy, List<SignerShape> signers) {}

    /**
     * A certificate's DER bytes as a map key, hashed over its last bytes (its signature, which differs
     * between certificates) instead of all of them; equality compares every byte. Package-private for its test:
     * a wrong equality would hand one certificate's key to another.
     */
    record CertificateBytes(ByteString der, int hash) {
        CertificateBytes(ByteString der) {
            this(der, tailHash(der));
        }

        private static int tailHash(ByteString der) {
            int h = der.size();
            for (int i = Math.max(0, der.size() - 32); i < der.size(); i++) {
                h = 31 * h + der.byteAt(i);
            }
            return h;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof CertificateBytes that && hash == that.hash
                    && der.asReadOnlyByteBuffer().equals(that.der.asReadOnlyByteBuffer()); // vectorized compare
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record SignerShape(String mspId, io.charter.common.pki.Role role) {
        static final java.util.Comparator<SignerShape> ORDER =
                java.util.Comparator.comparing(SignerShape::mspId).thenComparing(SignerShape::role);
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
