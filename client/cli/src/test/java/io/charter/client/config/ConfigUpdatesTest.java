package io.charter.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import io.charter.protocol.BatchSize;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigSignature;
import io.charter.protocol.ConfigUpdateEnvelope;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/** Update files: signatures added and read back, and judged against the Admins policy in force as orderers do. */
class ConfigUpdatesTest {

    private final TestPki pki = TestPki.create("Org1", "Org2");
    private final ChannelConfig current = config();

    private ChannelConfig config() {
        ChannelConfig.Builder config = ChannelConfig.newBuilder().setChannelId("ch").setSequence(0)
                .putPolicies("Admins", "AND('Org1.admin', 'Org2.admin')");
        for (String mspId : new String[] {"Org1", "Org2"}) {
            config.addOrganizations(OrganizationConfig.newBuilder().setMspId(mspId)
                    .addRootCerts(der(pki.root().certificate()))
                    .addIntermediateCerts(der(pki.organization(mspId).signingCa().certificate()))
                    .addTlsRootCerts(der(pki.root().certificate()))
                    .addTlsIntermediateCerts(der(pki.organization(mspId).tlsCa().certificate())));
        }
        config.setOrderer(OrdererConfig.newBuilder().addConsenters(Consenter.newBuilder()
                        .setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(7050)))
                .setBatchSize(BatchSize.newBuilder().setMaxMessageCount(10).setPreferredMaxBytes(1024).setAbsoluteMaxBytes(2048)));
        return config.build();
    }

    private ConfigUpdateEnvelope signedBy(ConfigUpdateEnvelope update, String mspId, String name, Role role) {
        TestPki.Credential credential = pki.organization(mspId).enroll(name, role);
        return ConfigUpdates.sign(update, mspId, credential.certificate(), EcdsaSigner.of(credential.keys()));
    }

    @Test
    void theAdminsPolicyNeedsBothOrganizationsAdmins() {
        ConfigUpdateEnvelope update = ConfigUpdates.unsigned(current.toBuilder().setSequence(1)
                .putPolicies("Readers", "OR('Org1.member')").build());
        ConfigUpdates.AdminsCheck none = ConfigUpdates.check(current, update);
        assertThat(none.satisfied()).isFalse();
        assertThat(none.counted()).isEmpty();

        ConfigUpdateEnvelope one = signedBy(update, "Org1", "admin1", Role.ADMIN);
        ConfigUpdates.AdminsCheck half = ConfigUpdates.check(current, one);
        assertThat(half.satisfied()).isFalse();
        assertThat(half.explanation()).contains("Org2.admin");
        assertThat(half.counted()).extracting(ConfigUpdates.Signatory::mspId).containsExactly("Org1");

        ConfigUpdateEnvelope withClient = signedBy(one, "Org2", "user2", Role.CLIENT);
        assertThat(ConfigUpdates.check(current, withClient).satisfied()).isFalse();

        ConfigUpdateEnvelope both = signedBy(withClient, "Org2", "admin2", Role.ADMIN);
        ConfigUpdates.AdminsCheck full = ConfigUpdates.check(current, both);
        assertThat(full.satisfied()).as(full.explanation()).isTrue();
        assertThat(ConfigUpdates.signers(both)).extracting(ConfigUpdates.Signatory::toString)
                .containsExactly("admin1 (Org1, admin)", "user2 (Org2, client)", "admin2 (Org2, admin)");

        // the file's bytes read back the same
        assertThat(ConfigUpdates.parse(both.toByteArray())).isEqualTo(both);
    }

    @Test
    void aSignatureOverOtherBytesOrByAnOutsiderCountsForNothing() {
        ConfigUpdateEnvelope update = signedBy(ConfigUpdates.unsigned(current.toBuilder().setSequence(1).build()),
                "Org1", "admin1", Role.ADMIN);
        ConfigSignature signature = update.getSignatures(0);
        ConfigUpdateEnvelope tampered = ConfigUpdates.unsigned(current.toBuilder().setSequence(1)
                .putPolicies("Writers", "OR('Org1.member')").build()).toBuilder().addSignatures(signature).build();
        ConfigUpdates.AdminsCheck check = ConfigUpdates.check(current, tampered);
        assertThat(check.counted()).isEmpty();
        assertThat(check.ignored()).singleElement().asString().contains("admin1 (Org1, admin): the signature does not verify");

        TestPki outsiders = TestPki.create("Org3");
        TestPki.Credential stranger = outsiders.organization("Org3").enroll("admin3", Role.ADMIN);
        ConfigUpdateEnvelope foreign = ConfigUpdates.sign(update, "Org3", stranger.certificate(),
                EcdsaSigner.of(stranger.keys()));
        assertThat(ConfigUpdates.check(current, foreign).ignored()).singleElement().asString().startsWith("admin3 (Org3, admin): ");
        assertThat(ConfigUpdates.signedBy(foreign, stranger.certificate())).isTrue();
    }

    @Test
    void bytesThatAreNoUpdateAreRefused() {
        assertThatThrownBy(() -> ConfigUpdates.parse(new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a configuration update file");
        assertThatThrownBy(() -> ConfigUpdates.parse(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a configuration update file: it carries no update");
        byte[] noProposal = ConfigUpdateEnvelope.newBuilder().setConfigUpdate(ByteString.copyFromUtf8("\n\u0002ch"))
                .build().toByteArray();
        assertThatThrownBy(() -> ConfigUpdates.parse(noProposal)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the update proposes no configuration");
    }

    private static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
