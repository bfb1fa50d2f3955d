package io.charter.orderer.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.pki.RevokedCertificate;
import io.charter.common.pki.Role;
import io.charter.common.pki.Validity;
import io.charter.common.protocol.EnvelopeUnpacking;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.protocol.UnpackedEnvelope;
import io.charter.common.testing.ConfigUpdates;
import io.charter.common.testing.TestChannels;
import io.charter.common.testing.TestPki;
import io.charter.orderer.access.ChannelTrusts;
import io.charter.orderer.channel.EnvelopeValidator.Rejection;
import io.charter.orderer.channel.SubmitResult.Status;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Each broadcast refusal, with its own status, on envelopes built for the case; no orderer needed. */
class BroadcastValidatorTest {

    private static final String CHANNEL = "ch1";
    private static final TestPki PKI = TestPki.create("Org1MSP", "Org2MSP", "Org3MSP");
    private static final ConfigUpdates.Signer CLIENT1 = signer("Org1MSP", "client1", Role.CLIENT);

    private final ChannelConfig config = TestChannels.channel(CHANNEL, PKI, "Org1MSP", "Org2MSP");
    private final ChannelTrusts trusts = new ChannelTrusts();
    private final BroadcastValidator validator = new BroadcastValidator(trusts);

    @Test
    void anEnvelopeOfAMemberSignedWithItsKeyIsAccepted() {
        assertThat(rejection(config, ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, data(), CLIENT1)))
                .isEmpty();
        assertThat(rejection(config, ConfigUpdates.envelope(CHANNEL, HeaderType.CONFIG_UPDATE, data(), CLIENT1)))
                .as("a CONFIG_UPDATE's creator is checked alike; the update itself later").isEmpty();
    }

    @Test
    void aTxIdThatIsNotTheHashOfNonceAndCreatorIsRefused() {
        assertRejected(rejection(config, tweaked(CLIENT1, h -> h.setTxId("ab" + h.getTxId().substring(2)))),
                Status.BAD_TXID, "is not the lower-case hex SHA-256 of nonce || creator");
        assertRejected(rejection(config, tweaked(CLIENT1, h -> h.setTxId(h.getTxId().toUpperCase()))), Status.BAD_TXID, "");
    }

    @Test
    void anEnvelopeWithoutNonceIsRefusedEvenWithTheMatchingTxId() {
        Optional<Rejection> rejection = rejection(config, tweaked(CLIENT1,
                h -> h.setNonce(ByteString.EMPTY).setTxId(TransactionIds.compute(ByteString.EMPTY, h.getCreator()))));

        assertRejected(rejection, Status.BAD_TXID, "(no nonce)");
    }

    @Test
    void configEnvelopesAreTheOrderersToWrite() {
        assertRejected(rejection(config, ConfigUpdates.envelope(CHANNEL, HeaderType.CONFIG, data(), CLIENT1)),
                Status.CONFIG_INVALID, "submit a CONFIG_UPDATE");
    }

    @Test
    void aCreatorOfAnOrganizationOutsideTheChannelOrClaimingAnotherIsUnknown() {
        ConfigUpdates.Signer org3 = signer("Org3MSP", "client3", Role.CLIENT);
        ConfigUpdates.Signer claimsOrg2 = new ConfigUpdates.Signer("Org2MSP", CLIENT1.credential());

        assertRejected(rejection(config, ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, data(), org3)),
                Status.UNKNOWN_CREATOR, "UNKNOWN_ORGANIZATION");
        assertRejected(rejection(config, ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, data(), claimsOrg2)),
                Status.UNKNOWN_CREATOR, "NOT_ISSUED_BY_ORGANIZATION");
    }

    @Test
    void aRevokedCreatorIsRefusedAsRevoked() {
        Instant now = Instant.now();
        var crl = PKI.organization("Org1MSP").signingCa().issueCrl(List.of(new RevokedCertificate(
                CLIENT1.credential().certificate().getSerialNumber(), now, 1)), BigInteger.ONE, now, now.plus(Duration.ofDays(1)));
        ChannelConfig withCrl = config.toBuilder().setOrganizations(0,
                config.getOrganizations(0).toBuilder().addCrls(TestChannels.der(crl))).build();

        assertRejected(rejection(withCrl, ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, data(), CLIENT1)),
                Status.REVOKED_CREATOR, "REVOKED");
    }

    @Test
    void anExpiredOrNotYetValidCreatorIsRefusedAsExpired() {
        Instant now = Instant.now();
        ConfigUpdates.Signer expired = new ConfigUpdates.Signer("Org1MSP", PKI.organization("Org1MSP").enroll("old",
                Role.CLIENT, new Validity(now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)))));
        ConfigUpdates.Signer early = new ConfigUpdates.Signer("Org1MSP", PKI.organization("Org1MSP").enroll("early",
                Role.CLIENT, new Validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(3)))));

        assertRejected(rejection(config, ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, data(), expired)),
                Status.EXPIRED_CREATOR, "EXPIRED");
        assertRejected(rejection(config, ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, data(), early)),
                Status.EXPIRED_CREATOR, "NOT_YET_VALID");
    }

    @Test
    void aCaCertificateAsCreatorIsABadCreator() {
        TestPki.Credential caAsCreator = new TestPki.Credential(CLIENT1.credential().keys(),
                List.of(PKI.organization("Org1MSP").signingCa().certificate()));

        assertRejected(rejection(config, ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, data(),
                new ConfigUpdates.Signer("Org1MSP", caAsCreator))), Status.BAD_CREATOR, "UNSUITABLE_CERTIFICATE");
    }

    @Test
    void anUnsignedOrWronglySignedEnvelopeIsRefused() {
        Envelope signed = ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, data(), CLIENT1);
        ConfigUpdates.Signer otherKey = new ConfigUpdates.Signer("Org1MSP", new TestPki.Credential(
                signer("Org1MSP", "other", Role.CLIENT).credential().keys(), CLIENT1.credential().chain()));

        assertRejected(rejection(config, signed.toBuilder().clearSignature().build()), Status.BAD_SIGNATURE, "not signed");
        assertRejected(rejection(config, ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, data(), otherKey)),
                Status.BAD_SIGNATURE, "does not verify");
    }

    @Test
    void aCreatorOutsideTheWritersPolicyIsForbiddenAndTheVerdictFollowsTheConfiguration() {
        ChannelConfig adminsWrite = config.toBuilder().putPolicies("Writers", "OR('Org1MSP.admin')").build();
        Envelope envelope = ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, data(), CLIENT1);
        ConfigUpdates.Signer admin = signer("Org1MSP", "admin1", Role.ADMIN);

        assertRejected(rejection(adminsWrite, envelope), Status.FORBIDDEN,
                "the creator does not satisfy the Writers policy of ch1: ");
        assertRejected(rejection(adminsWrite, envelope), Status.FORBIDDEN, "Writers");
        assertThat(rejection(adminsWrite, ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, data(), admin)))
                .isEmpty();
        assertThat(rejection(config, envelope)).as("a new configuration, a new verdict").isEmpty();
    }

    @Test
    void theCachedWritersVerdictsAreBoundedAndKeptPerCreator() {
        BroadcastValidator small = new BroadcastValidator(new ChannelTrusts(), new EcdsaVerifier(), 2);
        ConfigUpdates.Signer client2 = signer("Org1MSP", "client2", Role.CLIENT);
        ConfigUpdates.Signer client3 = signer("Org2MSP", "client3", Role.CLIENT);

        for (int i = 0; i < 2; i++) {
            assertThat(small.rejection(CHANNEL, config, unpacked(ConfigUpdates.envelope(CHANNEL,
                    HeaderType.ENDORSER_TRANSACTION, data(), CLIENT1)))).isEmpty();
        }
        assertThat(small.cachedVerdicts()).as("one verdict per creator").isEqualTo(1);
        assertThat(small.rejection(CHANNEL, config, unpacked(ConfigUpdates.envelope(CHANNEL,
                HeaderType.ENDORSER_TRANSACTION, data(), client2)))).isEmpty();
        assertThat(small.cachedVerdicts()).isEqualTo(2);
        assertThat(small.rejection(CHANNEL, config, unpacked(ConfigUpdates.envelope(CHANNEL,
                HeaderType.ENDORSER_TRANSACTION, data(), client3)))).isEmpty();
        assertThat(small.cachedVerdicts()).as("full: cleared, then the new verdict kept").isEqualTo(1);
    }

    private Optional<Rejection> rejection(ChannelConfig channelConfig, Envelope envelope) {
        return validator.rejection(CHANNEL, channelConfig, unpacked(envelope));
    }

    private static UnpackedEnvelope unpacked(Envelope envelope) {
        return ((EnvelopeUnpacking.Unpacked) Envelopes.unpack(envelope)).envelope();
    }

    /** A correctly built envelope whose header is then changed, and signed again by {@code signer}. */
    private static Envelope tweaked(ConfigUpdates.Signer signer, UnaryOperator<PayloadHeader.Builder> change) {
        Envelope envelope = ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION, data(), signer);
        try {
            Payload payload = Payload.parseFrom(envelope.getPayload());
            PayloadHeader header = change.apply(payload.getHeader().toBuilder()).build();
            return Envelopes.seal(header, payload.getData(), EcdsaSigner.of(signer.credential().keys()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigUpdates.Signer signer(String mspId, String name, Role role) {
        return new ConfigUpdates.Signer(mspId, PKI.organization(mspId).enroll(name, role));
    }

    private static ByteString data() {
        return ByteString.copyFromUtf8("a transaction");
    }

    private static void assertRejected(Optional<Rejection> rejection, Status status, String detailPart) {
        assertThat(rejection).isPresent();
        assertThat(rejection.get().status()).as(rejection.get().detail()).isEqualTo(status);
        assertThat(rejection.get().detail()).contains(detailPart);
    }
}
