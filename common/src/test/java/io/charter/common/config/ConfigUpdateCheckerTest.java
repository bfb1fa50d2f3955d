package io.charter.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.protocol.EnvelopeUnpacking;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.UnpackedEnvelope;
import io.charter.common.testing.ConfigUpdates;
import io.charter.common.testing.TestPki;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConfigUpdateCheckerTest {

    static final String CHANNEL = "ch1";
    static TestPki pki;
    static ChannelConfig current;
    static ConfigUpdates.Signer admin1;
    static ConfigUpdates.Signer admin2;
    static ConfigUpdates.Signer admin3;
    static ConfigUpdates.Signer client1;
    final ConfigUpdateChecker checker = new ConfigUpdateChecker();

    @BeforeAll
    static void setUp() {
        pki = TestPki.create("Org1", "Org2", "Org3", "Org4");
        current = ChannelConfig.newBuilder().setChannelId(CHANNEL).setSequence(4)
                .addOrganizations(organization("Org1")).addOrganizations(organization("Org2"))
                .addOrganizations(organization("Org3"))
                .setOrderer(OrdererConfig.newBuilder().addConsenters(Consenter.newBuilder()
                        .setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(7050))))
                .build();
        admin1 = new ConfigUpdates.Signer("Org1", pki.organization("Org1").enroll("admin1", Role.ADMIN));
        admin2 = new ConfigUpdates.Signer("Org2", pki.organization("Org2").enroll("admin2", Role.ADMIN));
        admin3 = new ConfigUpdates.Signer("Org3", pki.organization("Org3").enroll("admin3", Role.ADMIN));
        client1 = new ConfigUpdates.Signer("Org1", pki.organization("Org1").enroll("client1", Role.CLIENT));
    }

    static OrganizationConfig organization(String mspId) {
        return OrganizationConfig.newBuilder().setMspId(mspId)
                .addRootCerts(der(pki.root().certificate()))
                .addIntermediateCerts(der(pki.organization(mspId).signingCa().certificate()))
                .build();
    }

    static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ChannelConfig withOrg4() {
        return current.toBuilder().setSequence(5).addOrganizations(organization("Org4")).build();
    }

    static UnpackedEnvelope unpacked(Envelope envelope) {
        return ((EnvelopeUnpacking.Unpacked) Envelopes.unpack(envelope)).envelope();
    }

    ConfigUpdateChecker.Outcome check(ChannelConfig proposed, List<ConfigUpdates.Signer> admins) {
        return checker.check(current, unpacked(ConfigUpdates.envelope(CHANNEL, proposed, admins, client1)));
    }

    @Test
    void anUpdateSignedByAMajorityOfAdminsIsAcceptedWithItsProposedConfiguration() {
        ConfigUpdateChecker.Outcome outcome = check(withOrg4(), List.of(admin1, admin2));
        assertThat(outcome.accepted()).as(outcome.detail()).isTrue();
        assertThat(outcome.proposed()).contains(withOrg4());
    }

    @Test
    void oneAdminOfThreeOrganizationsIsNotAMajority() {
        ConfigUpdateChecker.Outcome outcome = check(withOrg4(), List.of(admin1));
        assertThat(outcome.refusal()).contains(ConfigUpdateChecker.Refusal.UNAUTHORIZED);
        assertThat(outcome.proposed()).isEmpty();
        assertThat(outcome.detail()).contains("Admins");
    }

    @Test
    void aClientSignatureAndAnAdminOfAnOrganizationOutsideTheChannelDoNotCount() {
        ConfigUpdates.Signer outsider = new ConfigUpdates.Signer("Org4", pki.organization("Org4").enroll("admin4", Role.ADMIN));
        ConfigUpdateChecker.Outcome outcome = check(withOrg4(), List.of(admin1, client1, outsider));
        assertThat(outcome.refusal()).contains(ConfigUpdateChecker.Refusal.UNAUTHORIZED);
        assertThat(outcome.detail()).contains("Org4");
    }

    @Test
    void aSignatureOverOtherBytesIsIgnored() throws Exception {
        Envelope signed = ConfigUpdates.envelope(CHANNEL, withOrg4(), List.of(admin1, admin2), client1);
        Envelope other = ConfigUpdates.envelope(CHANNEL, withOrg4().toBuilder().putPolicies("Writers", "ANY Writers").build(),
                List.of(admin1), client1);
        // the second admin's signature taken from an update of other bytes
        var data = io.charter.protocol.ConfigUpdateEnvelope.parseFrom(unpacked(other).data()).toBuilder();
        var original = io.charter.protocol.ConfigUpdateEnvelope.parseFrom(unpacked(signed).data());
        var forged = original.toBuilder().setSignatures(1, data.getSignatures(0).toBuilder()
                .setSignatureHeader(original.getSignatures(1).getSignatureHeader())).build();
        Envelope tampered = ConfigUpdates.envelope(CHANNEL, HeaderType.CONFIG_UPDATE, forged.toByteString(), client1);
        ConfigUpdateChecker.Outcome outcome = checker.check(current, unpacked(tampered));
        assertThat(outcome.refusal()).contains(ConfigUpdateChecker.Refusal.UNAUTHORIZED);
        assertThat(outcome.detail()).contains("bad signature");
    }

    @Test
    void theSequenceMustBeTheCurrentOnePlusOne() {
        ConfigUpdateChecker.Outcome outcome = check(withOrg4().toBuilder().setSequence(7).build(), List.of(admin1, admin2));
        assertThat(outcome.refusal()).contains(ConfigUpdateChecker.Refusal.SEQUENCE_MISMATCH);
        assertThat(outcome.detail()).contains("expected 5");
    }

    @Test
    void anUpdateForAnotherChannelIsRefused() {
        ConfigUpdateChecker.Outcome outcome = check(withOrg4().toBuilder().setChannelId("other").build(), List.of(admin1, admin2));
        assertThat(outcome.refusal()).contains(ConfigUpdateChecker.Refusal.WRONG_CHANNEL);
    }

    @Test
    void malformedUpdatesAndConfigurationsAreInvalid() {
        assertThat(checker.check(current, unpacked(ConfigUpdates.envelope(CHANNEL, HeaderType.CONFIG_UPDATE,
                ByteString.copyFromUtf8("garbage"), client1))).refusal()).contains(ConfigUpdateChecker.Refusal.INVALID);
        assertThat(checker.check(current, unpacked(ConfigUpdates.envelope(CHANNEL, HeaderType.ENDORSER_TRANSACTION,
                ByteString.EMPTY, client1))).refusal()).contains(ConfigUpdateChecker.Refusal.INVALID);
        ChannelConfig badPolicy = withOrg4().toBuilder().putPolicies("Endorsement", "AND(").build();
        ConfigUpdateChecker.Outcome outcome = check(badPolicy, List.of(admin1, admin2));
        assertThat(outcome.refusal()).contains(ConfigUpdateChecker.Refusal.INVALID);
        assertThat(outcome.detail()).contains("Endorsement");
        ChannelConfig badCertificate = withOrg4().toBuilder()
                .addOrganizations(OrganizationConfig.newBuilder().setMspId("Org5").addRootCerts(ByteString.copyFromUtf8("x")))
                .build();
        assertThat(check(badCertificate, List.of(admin1, admin2)).detail()).contains("Org5");
        ChannelConfig noConsenter = withOrg4().toBuilder().setOrderer(OrdererConfig.getDefaultInstance()).build();
        assertThat(check(noConsenter, List.of(admin1, admin2)).detail()).contains("consenter");
    }

    @Test
    void wellFormednessNamesWhatIsWrong() {
        assertThat(ConfigUpdateChecker.wellFormedness(current)).isEmpty();
        assertThat(ConfigUpdateChecker.wellFormedness(current.toBuilder().addOrganizations(organization("Org1")).build()))
                .hasValueSatisfying(problem -> assertThat(problem).contains("Org1 appears twice"));
        assertThat(ConfigUpdateChecker.wellFormedness(current.toBuilder().clearOrganizations().build()))
                .contains("the configuration has no organization");
    }
}
