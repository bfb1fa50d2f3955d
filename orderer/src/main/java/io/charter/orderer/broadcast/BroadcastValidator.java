package io.charter.orderer.broadcast;

import com.google.protobuf.ByteString;
import io.charter.common.config.ChannelTrust;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.identity.ValidationResult;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.SubPolicies;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.protocol.UnpackedEnvelope;
import io.charter.orderer.access.ChannelTrusts;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.channel.EnvelopeValidator;
import io.charter.orderer.channel.SubmitResult.Status;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.HeaderType;
import io.charter.protocol.PayloadHeader;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broadcast checks that need the channel's identities and policies, run by the receiving orderer
 * before anything is forwarded or ordered (the core has already checked size, structure and the
 * channel id, and checks recently ordered tx ids after this):
 *
 * <ol>
 *   <li>the tx id is lower-case hex SHA-256(nonce || creator) ({@link Status#BAD_TXID});
 *   <li>the creator's certificate is a valid signing identity of one of the channel's organizations:
 *       {@link Status#UNKNOWN_CREATOR} (organization not in the channel, or certificate not issued by
 *       it), {@link Status#REVOKED_CREATOR}, {@link Status#EXPIRED_CREATOR}, or {@link
 *       Status#BAD_CREATOR} (malformed, CA certificate, no role);
 *   <li>the signature verifies over the payload bytes as carried ({@link Status#BAD_SIGNATURE});
 *   <li>the creator satisfies the channel's Writers policy ({@link Status#FORBIDDEN}).
 * </ol>
 *
 * A CONFIG envelope is refused ({@link Status#CONFIG_INVALID}): orderers write those. A CONFIG_UPDATE
 * goes through the same checks of its creator; the core then checks the update itself
 * ({@code ConfigUpdateChecker}).
 *
 * <p>The Writers verdict depends only on the creator's identity, so it is cached per creator and
 * channel trust (a bounded map cleared when full).
 */
public final class BroadcastValidator implements EnvelopeValidator {

    private static final int MAX_CACHED_VERDICTS = 10_000;

    private final ChannelTrusts trusts;
    private final SignatureVerifier verifier;
    private final int maxCachedVerdicts;
    private final Map<VerdictKey, Evaluation> writers = new ConcurrentHashMap<>();

    private record VerdictKey(ChannelTrust trust, long epoch, ByteString creator) {}

    public BroadcastValidator(ChannelTrusts trusts, SignatureVerifier verifier) {
        this(trusts, verifier, MAX_CACHED_VERDICTS);
    }

    /** With a smaller bound on the cached Writers verdicts, so that a test can fill it. */
    BroadcastValidator(ChannelTrusts trusts, SignatureVerifier verifier, int maxCachedVerdicts) {
        this.trusts = trusts;
        this.verifier = verifier;
        this.maxCachedVerdicts = maxCachedVerdicts;
    }

    public BroadcastValidator(ChannelTrusts trusts) {
        this(trusts, new EcdsaVerifier());
    }

    @Override
    public Optional<Rejection> rejection(ChannelOrderer channel, UnpackedEnvelope envelope) {
        return rejection(channel.channelId(), channel.config(), envelope);
    }

    /** The same checks against a channel's current configuration, without the channel's orderer. */
    public Optional<Rejection> rejection(String channelId, ChannelConfig config, UnpackedEnvelope envelope) {
        PayloadHeader header = envelope.header();
        String expected = TransactionIds.compute(header.getNonce(), header.getCreator());
        if (header.getNonce().isEmpty() || !expected.equals(header.getTxId())) {
            return reject(Status.BAD_TXID, "tx id " + header.getTxId()
                    + " is not the lower-case hex SHA-256 of nonce || creator" + (header.getNonce().isEmpty() ? " (no nonce)" : ""));
        }
        if (header.getType() == HeaderType.CONFIG) {
            return reject(Status.CONFIG_INVALID, "CONFIG envelopes are written by the orderers; submit a CONFIG_UPDATE");
        }
        ChannelTrust trust = trusts.of(config);
        ValidationResult identity = trust.validateSigner(envelope.creator().getMspId(), envelope.creator().getCertificate());
        if (identity instanceof ValidationResult.Rejected rejected) {
            Status status = switch (rejected.reason()) {
                case UNKNOWN_ORGANIZATION, NOT_ISSUED_BY_ORGANIZATION -> Status.UNKNOWN_CREATOR;
                case REVOKED -> Status.REVOKED_CREATOR;
                case EXPIRED, NOT_YET_VALID -> Status.EXPIRED_CREATOR;
                default -> Status.BAD_CREATOR;
            };
            return reject(status, rejected.reason() + ": " + rejected.message());
        }
        ValidatedIdentity creator = identity.identity().orElseThrow();
        if (envelope.signature().isEmpty()) {
            return reject(Status.BAD_SIGNATURE, "the envelope is not signed");
        }
        if (!envelope.verifySignature(verifier, creator.certificate().getPublicKey())) {
            return reject(Status.BAD_SIGNATURE, "the signature does not verify over the payload with the creator's key");
        }
        Evaluation evaluation = writersVerdict(trust, envelope.creatorBytes(), creator);
        if (!evaluation.satisfied()) {
            return reject(Status.FORBIDDEN, "the creator does not satisfy the Writers policy of "
                    + channelId + ": " + evaluation.explanation());
        }
        return Optional.empty();
    }

    private Evaluation writersVerdict(ChannelTrust trust, ByteString creatorBytes, ValidatedIdentity creator) {
        VerdictKey key = new VerdictKey(trust, trust.registry().epoch(), creatorBytes);
        Evaluation cached = writers.get(key);
        if (cached != null) {
            return cached;
        }
        Evaluation evaluation = trust.evaluate(SubPolicies.WRITERS, creator);
        if (writers.size() >= maxCachedVerdicts) {
            writers.clear();
        }
        writers.put(key, evaluation);
        return evaluation;
    }

    /** How many Writers verdicts are cached now. */
    int cachedVerdicts() {
        return writers.size();
    }

    private static Optional<Rejection> reject(Status status, String detail) {
        return Optional.of(Rejection.of(status, detail));
    }
}
