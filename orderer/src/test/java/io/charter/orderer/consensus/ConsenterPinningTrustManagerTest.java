package io.charter.orderer.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import io.charter.protocol.Consenter;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConsenterPinningTrustManagerTest {

    private static final TestPki PKI = TestPki.create("OrdererOrg");
    private static final TestPki OTHER_PKI = TestPki.create("OrdererOrg");
    private static final String CLIENT_AUTH = "EC";
    private static final String SERVER_AUTH = "ECDHE_ECDSA";

    private final TestPki.Credential self = PKI.organization("OrdererOrg").enrollTls("orderer0", Role.ORDERER);
    private final TestPki.Credential consenter = PKI.organization("OrdererOrg").enrollTls("orderer1", Role.ORDERER);
    private final TestPki.Credential outsider = PKI.organization("OrdererOrg").enrollTls("orderer9", Role.ORDERER);
    private final AtomicReference<PinnedCertificates> pinned =
            new AtomicReference<>(PinnedCertificates.of(List.of(consenterOf(self), consenterOf(consenter))));
    private final ConsenterPinningTrustManager trust =
            new RaftTls(self.keys().getPrivate(), self.chain(), List.of(PKI.root().certificate())).trustManager(pinned::get);

    @Test
    void aConsentersCertificateIsAcceptedOnBothSides() {
        assertThatCode(() -> trust.checkClientTrusted(chain(consenter), CLIENT_AUTH)).doesNotThrowAnyException();
        assertThatCode(() -> trust.checkServerTrusted(chain(consenter), SERVER_AUTH)).doesNotThrowAnyException();
        assertThat(trust.refused()).isZero();
    }

    @Test
    void aCertificateThatChainsToTheRootButIsNoConsentersIsRefused() {
        assertThatThrownBy(() -> trust.checkClientTrusted(chain(outsider), CLIENT_AUTH))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("not the client TLS certificate of a consenter");
        assertThatThrownBy(() -> trust.checkServerTrusted(chain(outsider), SERVER_AUTH))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("not the server TLS certificate of a consenter");
        assertThat(trust.refused()).isEqualTo(2);
    }

    @Test
    void aPinnedCertificateMustStillChainToATrustedRoot() {
        TestPki.Credential foreign = OTHER_PKI.organization("OrdererOrg").enrollTls("orderer1", Role.ORDERER);
        pinned.set(PinnedCertificates.of(List.of(consenterOf(foreign))));

        assertThatThrownBy(() -> trust.checkClientTrusted(chain(foreign), CLIENT_AUTH))
                .isInstanceOf(CertificateException.class)
                .hasMessageNotContaining("consenter");
    }

    @Test
    void aChangedConsenterSetIsReflectedAtTheNextHandshake() {
        pinned.set(PinnedCertificates.of(List.of(consenterOf(self), consenterOf(outsider))));

        assertThatCode(() -> trust.checkClientTrusted(chain(outsider), CLIENT_AUTH)).doesNotThrowAnyException();
        assertThatThrownBy(() -> trust.checkClientTrusted(chain(consenter), CLIENT_AUTH))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void aConsentersServerCertificateIsNotAcceptedAsItsClientCertificate() {
        Consenter serverOnly = Consenter.newBuilder().setServerTlsCert(der(outsider.certificate())).build();
        pinned.set(PinnedCertificates.of(List.of(serverOnly)));

        assertThatCode(() -> trust.checkServerTrusted(chain(outsider), SERVER_AUTH)).doesNotThrowAnyException();
        assertThatThrownBy(() -> trust.checkClientTrusted(chain(outsider), CLIENT_AUTH))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void aConsentersRenewedCertificateFromTheSameCaIsAccepted() {
        TestPki.Credential renewed = PKI.organization("OrdererOrg").enrollTls("orderer1", Role.ORDERER);
        assertThat(renewed.certificate()).isNotEqualTo(consenter.certificate());

        assertThatCode(() -> trust.checkClientTrusted(chain(renewed), CLIENT_AUTH)).doesNotThrowAnyException();
        assertThatCode(() -> trust.checkServerTrusted(chain(renewed), SERVER_AUTH)).doesNotThrowAnyException();
        assertThat(trust.refused()).isZero();
    }

    @Test
    void theSameSubjectFromAnotherCaOfTheConsortiumIsRefused() {
        // the organization's signing CA (not its TLS CA) issuing a certificate with the consenter's subject
        TestPki.Credential otherIssuer = PKI.organization("OrdererOrg").enroll("orderer1", Role.ORDERER);
        assertThat(otherIssuer.certificate().getSubjectX500Principal())
                .isEqualTo(consenter.certificate().getSubjectX500Principal());

        assertThatThrownBy(() -> trust.checkClientTrusted(chain(otherIssuer), CLIENT_AUTH))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void withNoChannelServedNoPeerIsAccepted() {
        pinned.set(PinnedCertificates.NONE);

        assertThatThrownBy(() -> trust.checkClientTrusted(chain(consenter), CLIENT_AUTH))
                .isInstanceOf(CertificateException.class);
    }

    private static X509Certificate[] chain(TestPki.Credential credential) {
        return credential.chain().toArray(X509Certificate[]::new);
    }

    private static Consenter consenterOf(TestPki.Credential tls) {
        return Consenter.newBuilder()
                .setClientTlsCert(der(tls.certificate()))
                .setServerTlsCert(der(tls.certificate()))
                .build();
    }

    private static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
