package io.charter.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.identity.RejectionReason;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.identity.ValidationResult;
import io.charter.common.pki.RevokedCertificate;
import io.charter.common.pki.Role;
import io.charter.common.policy.SubPolicies;
import io.charter.common.testing.TestChannels;
import io.charter.common.testing.TestPki;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.protocol.BlockSignatures;
import io.charter.common.protocol.Blocks;
import io.charter.common.testing.ConfigUpdates;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a channel's configuration says about who may do what, as orderers, peers and the CLI read it. */
class ChannelTrustTest {

    private static final TestPki PKI = TestPki.create("Org1MSP", "Org2MSP");
    private static final TestPki.Organization ORG1 = PKI.organization("Org1MSP");
    private static final X509Certificate CLIENT1 = ORG1.enroll("client1", Role.CLIENT).certificate();
    private static final X509Certificate ADMIN1 = ORG1.enroll("admin1", Role.ADMIN).certificate();
    private static final X509Certificate ADMIN1_TLS = ORG1.enrollTls("admin1", Role.ADMIN).certificate();
    private static final X509Certificate PEER1_TLS = ORG1.enrollTls("peer1", Role.PEER).certificate();

    private final ChannelConfig config = TestChannels.channel("ch1", PKI, "Org1MSP", "Org2MSP");

    @Test
    void signersAreValidatedAgainstTheSigningCasAndTlsCallersAgainstTheTlsCas() throws Exception {
        ChannelTrust trust = ChannelTrust.of(config);

        assertThat(trust.channelId()).isEqualTo("ch1");
        assertThat(trust.validateSigner("Org1MSP", ByteString.copyFrom(CLIENT1.getEncoded())).isValid()).isTrue();
        assertThat(reason(trust.validateSigner("Org1MSP", ByteString.copyFrom(PEER1_TLS.getEncoded()))))
                .isEqualTo(RejectionReason.NOT_ISSUED_BY_ORGANIZATION);
        assertThat(trust.validateTlsCaller(PEER1_TLS, Role.PEER).isValid()).isTrue();
        assertThat(trust.validateTlsCaller(PEER1_TLS, null).isValid()).isTrue();
        assertThat(reason(trust.validateTlsCaller(PEER1_TLS, Role.ORDERER))).isEqualTo(RejectionReason.WRONG_ROLE);
        assertThat(reason(trust.validateTlsCaller(CLIENT1, null))).isEqualTo(RejectionReason.NOT_ISSUED_BY_ORGANIZATION);
    }

    @Test
    void adminsAreAdminsByTheirTlsOrSigningCertificate() {
        ChannelTrust trust = ChannelTrust.of(config);

        assertThat(trust.validateAdmin(ADMIN1_TLS).isValid()).isTrue();
        assertThat(reason(trust.validateAdmin(PEER1_TLS))).isEqualTo(RejectionReason.WRONG_ROLE);
        assertThat(trust.validateAdminSigner(ADMIN1).isValid()).isTrue();
        assertThat(reason(trust.validateAdminSigner(CLIENT1))).isEqualTo(RejectionReason.WRONG_ROLE);
        assertThat(reason(trust.validateAdminSigner(PKI.root().certificate())))
                .as("a certificate whose subject names no organization").isEqualTo(RejectionReason.UNKNOWN_ORGANIZATION);
    }

    @Test
    void theChannelPoliciesDefaultAsFabricsAndUnknownOnesAreNotSatisfied() {
        ChannelTrust trust = ChannelTrust.of(config.toBuilder().putPolicies("Admins", "OR('Org2MSP.admin')").build());
        ValidatedIdentity client = identity(trust, CLIENT1);
        ValidatedIdentity admin = identity(trust, ADMIN1);

        assertThat(trust.evaluate(SubPolicies.WRITERS, client).satisfied()).isTrue();
        assertThat(trust.evaluate(SubPolicies.READERS, client).satisfied()).isTrue();
        assertThat(trust.evaluate(SubPolicies.ADMINS, admin).satisfied()).as("Admins is Org2's admins here").isFalse();
        assertThat(trust.evaluate("Auditors", client).explanation()).isEqualTo("channel ch1 has no policy Auditors");
        assertThat(trust.evaluate("Auditors", List.of(client)).satisfied()).isFalse();
        assertThat(trust.evaluate("Auditors", List.of(client)).explanation()).isEqualTo("channel ch1 has no policy Auditors");
        assertThat(trust.evaluate(SubPolicies.WRITERS, List.of(client, admin)).satisfied()).isTrue();
        assertThat(ChannelTrust.of(config).evaluate(SubPolicies.ADMINS, List.of(admin)).satisfied())
                .as("MAJORITY Admins of two organizations needs both").isFalse();
    }

    @Test
    void aConfigurationWithAnUnparseablePolicyOrCertificateIsRefusedNamingTheChannel() {
        assertThatThrownBy(() -> ChannelTrust.of(config.toBuilder().putPolicies("Writers", "OR(").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("channel ch1: policy Writers 'OR(': ");
        ChannelConfig badCertificate = config.toBuilder().setOrganizations(0, config.getOrganizations(0).toBuilder()
                .addRootCerts(ByteString.copyFromUtf8("junk"))).build();
        assertThatThrownBy(() -> ChannelTrust.of(badCertificate))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("channel ch1: organization Org1MSP");
    }

    @Test
    void tlsRootsAndCrlsOfEveryOrganizationAreListed() {
        X509CRL crl = crl(BigInteger.TEN);
        ChannelConfig withCrl = config.toBuilder().setOrganizations(0, config.getOrganizations(0).toBuilder()
                .addCrls(TestChannels.der(crl))).build();
        ChannelTrust trust = ChannelTrust.of(withCrl);

        assertThat(trust.tlsRoots()).containsExactly(PKI.root().certificate(), PKI.root().certificate());
        assertThat(trust.crls()).containsExactly(crl);
        assertThat(trust.registry().mspIds()).containsExactlyInAnyOrder("Org1MSP", "Org2MSP");
    }

    @Test
    void blocksNeedTheSignatureOfAnOrdererOfTheChannel() throws Exception {
        ChannelTrust trust = ChannelTrust.of(config);
        TestPki.Credential orderer = ORG1.enroll("orderer0", Role.ORDERER);
        TestPki.Credential client = ORG1.enroll("client9", Role.CLIENT);
        Block unsigned = Blocks.nextBlock(Blocks.genesisBlock(config, Instant.now()).getHeader(),
                List.of(ByteString.copyFromUtf8("tx")), 0);

        assertThat(trust.ordererSignatureProblem(signed(unsigned, orderer), new EcdsaVerifier())).isEmpty();
        assertThat(trust.ordererSignatureProblem(unsigned, new EcdsaVerifier())).isPresent();
        assertThat(trust.ordererSignatureProblem(signed(unsigned, client), new EcdsaVerifier())).isPresent();
    }

    private static Block signed(Block unsigned, TestPki.Credential signer) {
        return unsigned.toBuilder().setMetadata(unsigned.getMetadata().toBuilder().addSignatures(BlockSignatures.sign(
                unsigned.getHeader(), 0, EcdsaSigner.of(signer.keys()),
                ConfigUpdates.serialized("Org1MSP", signer.certificate())))).build();
    }

    private static X509CRL crl(BigInteger serial) {
        Instant now = Instant.now();
        return ORG1.signingCa().issueCrl(List.of(new RevokedCertificate(serial, now, 1)), BigInteger.ONE, now,
                now.plus(Duration.ofDays(1)));
    }

    private static ValidatedIdentity identity(ChannelTrust trust, X509Certificate certificate) {
        try {
            return trust.validateSigner("Org1MSP", ByteString.copyFrom(certificate.getEncoded())).identity().orElseThrow();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RejectionReason reason(ValidationResult result) {
        assertThat(result).isInstanceOf(ValidationResult.Rejected.class);
        return ((ValidationResult.Rejected) result).reason();
    }
}
