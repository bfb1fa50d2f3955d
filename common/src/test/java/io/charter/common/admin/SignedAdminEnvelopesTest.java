package io.charter.common.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.pki.Role;
import io.charter.common.testing.MutableClock;
import io.charter.common.testing.TestPki;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.SerializedIdentity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignedAdminEnvelopesTest {

    private static final ByteString DATA = ByteString.copyFromUtf8("request");

    private final TestPki pki = TestPki.create("OrgA");
    private final TestPki.Credential admin = pki.organization("OrgA").enroll("admin", Role.ADMIN);
    private final TestPki.Credential other = pki.organization("OrgA").enroll("other", Role.ADMIN);
    private final MutableClock clock = MutableClock.atNow();
    private final SignedAdminEnvelopes orderer = new SignedAdminEnvelopes(HeaderType.ORDERER_ADMIN, clock);

    private ByteString creator(TestPki.Credential credential) throws Exception {
        return SerializedIdentity.newBuilder().setMspId("OrgA")
                .setCertificate(ByteString.copyFrom(credential.certificate().getEncoded())).build().toByteString();
    }

    private ByteString sealed(HeaderType type, Instant at) throws Exception {
        return SignedAdminEnvelopes.seal(type, DATA, creator(admin), EcdsaSigner.of(admin.keys()), at);
    }

    @Test
    void aFreshRequestOpensWithItsCreatorAndData() throws Exception {
        SignedAdminEnvelopes.Opened opened = orderer.open(sealed(HeaderType.ORDERER_ADMIN, clock.instant()));

        assertThat(opened.creator()).isEqualTo(admin.certificate());
        assertThat(opened.data()).isEqualTo(DATA);
        assertThat(opened.txId()).isNotEmpty();
    }

    @Test
    void anotherHeaderTypeIsMalformed() throws Exception {
        assertProblem(() -> orderer.open(sealed(HeaderType.PEER_ADMIN, clock.instant())),
                AdminEnvelopeProblem.MALFORMED_REQUEST);
        assertProblem(() -> orderer.open(ByteString.copyFromUtf8("garbage")), AdminEnvelopeProblem.MALFORMED_REQUEST);
    }

    @Test
    void aRequestSignedOutsideTheClockSkewIsStale() throws Exception {
        ByteString old = sealed(HeaderType.ORDERER_ADMIN, clock.instant().minus(Duration.ofMinutes(6)));
        ByteString future = sealed(HeaderType.ORDERER_ADMIN, clock.instant().plus(Duration.ofMinutes(6)));

        assertProblem(() -> orderer.open(old), AdminEnvelopeProblem.STALE_REQUEST);
        assertProblem(() -> orderer.open(future), AdminEnvelopeProblem.STALE_REQUEST);
    }

    @Test
    void aSignatureByAnotherKeyThanTheCreatorsIsRefused() throws Exception {
        ByteString forged = SignedAdminEnvelopes.seal(HeaderType.ORDERER_ADMIN, DATA, creator(admin),
                EcdsaSigner.of(other.keys()), clock.instant());

        assertProblem(() -> orderer.open(forged), AdminEnvelopeProblem.BAD_SIGNATURE);
    }

    @Test
    void aTamperedPayloadNoLongerVerifies() throws Exception {
        Envelope envelope = Envelope.parseFrom(sealed(HeaderType.ORDERER_ADMIN, clock.instant()));
        byte[] payload = envelope.getPayload().toByteArray();
        payload[payload.length - 1] ^= 1;
        ByteString tampered = envelope.toBuilder().setPayload(ByteString.copyFrom(payload)).build().toByteString();

        assertThatThrownBy(() -> orderer.open(tampered)).isInstanceOf(AdminEnvelopeException.class);
    }

    @Test
    void anAcceptedTxIdIsAReplayUntilForgottenAfterTwiceTheSkew() throws Exception {
        SignedAdminEnvelopes.Opened opened = orderer.open(sealed(HeaderType.ORDERER_ADMIN, clock.instant()));
        orderer.accept(opened.txId());

        assertProblem(() -> orderer.accept(opened.txId()), AdminEnvelopeProblem.REPLAYED_REQUEST);
        clock.advance(SignedAdminEnvelopes.MAX_CLOCK_SKEW.multipliedBy(2).plusSeconds(1));
        orderer.accept(opened.txId()); // by now the request itself is stale, so it cannot be replayed either
    }

    private static void assertProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            AdminEnvelopeProblem problem) {
        assertThatThrownBy(call).isInstanceOf(AdminEnvelopeException.class)
                .satisfies(e -> assertThat(((AdminEnvelopeException) e).problem()).isEqualTo(problem));
    }
}
