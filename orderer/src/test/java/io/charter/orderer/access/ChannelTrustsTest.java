package io.charter.orderer.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.config.ChannelTrust;
import io.charter.common.identity.RejectionReason;
import io.charter.common.identity.ValidationResult;
import io.charter.common.pki.RevokedCertificate;
import io.charter.common.pki.Role;
import io.charter.common.testing.TestChannels;
import io.charter.common.testing.TestPki;
import io.charter.protocol.ChannelConfig;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the orderer keeps the trust of each channel it serves, and applies the CRLs it fetches to them. */
class ChannelTrustsTest {

    private static final TestPki PKI = TestPki.create("Org1MSP", "Org2MSP");
    private static final TestPki.Organization ORG1 = PKI.organization("Org1MSP");
    private static final X509Certificate CLIENT1 = ORG1.enroll("client1", Role.CLIENT).certificate();

    private final ChannelConfig config = TestChannels.channel("ch1", PKI, "Org1MSP", "Org2MSP");

    @Test
    void theTrustOfAChannelIsKeptUntilItsConfigurationChangesOrItIsForgotten() {
        X509Certificate bootstrap = PKI.organization("Org2MSP").tlsCa().certificate();
        ChannelTrusts trusts = new ChannelTrusts(java.time.Clock.systemUTC(), List.of(bootstrap));

        ChannelTrust first = trusts.of(config);
        assertThat(trusts.of(config)).isSameAs(first);
        ChannelTrust changed = trusts.of(config.toBuilder().setSequence(2).build());
        assertThat(changed).isNotSameAs(first);
        assertThat(trusts.mspIds()).containsExactly("Org1MSP", "Org2MSP");
        assertThat(trusts.tlsRoots()).containsExactly(bootstrap, PKI.root().certificate());

        trusts.forget("ch1");
        assertThat(trusts.mspIds()).isEmpty();
        assertThat(trusts.tlsRoots()).containsExactly(bootstrap);
        assertThat(new ChannelTrusts().tlsRoots()).isEmpty();
    }

    @Test
    void fetchedCrlsApplyToKnownChannelsAndToThoseBuiltLater() throws Exception {
        ChannelTrusts trusts = new ChannelTrusts();
        ChannelTrust known = trusts.of(config);
        X509CRL revokesClient1 = crl(CLIENT1.getSerialNumber());

        trusts.updateCrls("Org1MSP", List.of(revokesClient1));
        trusts.updateCrls("Org9MSP", List.of(revokesClient1)); // no channel has it: ignored
        ChannelTrust later = trusts.of(TestChannels.channel("ch2", PKI, "Org1MSP"));

        ByteString der = ByteString.copyFrom(CLIENT1.getEncoded());
        assertThat(reason(known.validateSigner("Org1MSP", der))).isEqualTo(RejectionReason.REVOKED);
        assertThat(reason(later.validateSigner("Org1MSP", der))).isEqualTo(RejectionReason.REVOKED);
        assertThat(trusts.crls()).containsExactly(revokesClient1);
    }

    @Test
    void fetchedCrlsThatNoCaOfTheOrganizationSignedAreNotApplied() throws Exception {
        ChannelTrusts trusts = new ChannelTrusts();
        ChannelTrust known = trusts.of(config);
        Instant now = Instant.now();
        X509CRL fromOrg2 = PKI.organization("Org2MSP").signingCa().issueCrl(List.of(new RevokedCertificate(
                CLIENT1.getSerialNumber(), now, 1)), BigInteger.ONE, now, now.plus(Duration.ofDays(1)));

        trusts.updateCrls("Org1MSP", List.of(fromOrg2)); // Org2's CA may not revoke for Org1: logged, not applied

        assertThat(known.validateSigner("Org1MSP", ByteString.copyFrom(CLIENT1.getEncoded())).isValid()).isTrue();
    }


    private static X509CRL crl(BigInteger serial) {
        Instant now = Instant.now();
        return ORG1.signingCa().issueCrl(List.of(new RevokedCertificate(serial, now, 1)), BigInteger.ONE, now,
                now.plus(Duration.ofDays(1)));
    }

    private static RejectionReason reason(ValidationResult result) {
        assertThat(result).isInstanceOf(ValidationResult.Rejected.class);
        return ((ValidationResult.Rejected) result).reason();
    }
}
