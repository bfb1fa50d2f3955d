package io.charter.common.testing;

import com.google.protobuf.ByteString;
import io.charter.common.testing.TestPki;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.OrganizationConfig;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;

/** Channel configurations over the organizations of a {@link TestPki}, as a genesis block would hold them. */
public final class TestChannels {

    private TestChannels() {}

    public static ChannelConfig channel(String channelId, TestPki pki, String... mspIds) {
        ChannelConfig.Builder config = ChannelConfig.newBuilder().setChannelId(channelId).setSequence(1);
        for (String mspId : mspIds) {
            config.addOrganizations(organization(pki, mspId));
        }
        return config.build();
    }

    public static OrganizationConfig organization(TestPki pki, String mspId) {
        TestPki.Organization org = pki.organization(mspId);
        return OrganizationConfig.newBuilder().setMspId(mspId)
                .addRootCerts(der(pki.root().certificate()))
                .addIntermediateCerts(der(org.signingCa().certificate()))
                .addTlsRootCerts(der(pki.root().certificate()))
                .addTlsIntermediateCerts(der(org.tlsCa().certificate()))
                .build();
    }

    public static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ByteString der(X509CRL crl) {
        try {
            return ByteString.copyFrom(crl.getEncoded());
        } catch (CRLException e) {
            throw new IllegalStateException(e);
        }
    }
}
