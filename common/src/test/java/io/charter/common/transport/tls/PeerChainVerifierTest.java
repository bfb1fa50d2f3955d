package io.charter.common.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.RevokedCertificate;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.testing.MutableClock;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.tls.PeerChainVerifier.PeerRole;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The transport's chain checks, called directly on chains built for each case (no handshake needed). */
class PeerChainVerifierTest {

    private static final TestPki PKI = TestPki.create("Org1MSP");
    private static final TestPki.Organization ORG1 = PKI.organization("Org1MSP");
    private static final X509Certificate ROOT = PKI.root().certificate();
    private static final X509Certificate TLS_CA = ORG1.tlsCa().certificate();
    /** A TLS certificate as Charter's CAs issue it: serverAuth and clientAuth, localhost and 127.0.0.1. */
    private static final X509Certificate PEER0 = ORG1.enrollTls("peer0", Role.PEER).certificate();

    private final MutableClock clock = new MutableClock(Instant.now());
    private final List<X509CRL> crls = new ArrayList<>();
    private final PeerChainVerifier verifier = new PeerChainVerifier(TlsTrust.of(List.of(ROOT), () -> crls), clock);

    @Test
    void aNodeChainIsAcceptedWithOrWithoutTheRootAtItsEnd() {
        assertThatCode(() -> verifier.verify(List.of(PEER0, TLS_CA), PeerRole.CLIENT, Optional.empty()))
                .doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(List.of(PEER0, TLS_CA, ROOT), PeerRole.SERVER, Optional.of("localhost")))
                .doesNotThrowAnyException();
    }

    @Test
    void noCertificateOrOnlyTheRootIsRefused() {
        assertThat(refusal(List.of(), PeerRole.CLIENT, null)).isEqualTo("the peer presented no certificate");
        assertThat(refusal(List.of(ROOT), PeerRole.CLIENT, null))
                .isEqualTo("the peer presented a root CA certificate as its own");
        assertThat(refusal(List.of(ROOT, ROOT), PeerRole.CLIENT, null))
                .isEqualTo("the peer presented a root CA certificate as its own");
    }

    @Test
    void withNoTrustedRootsNothingIsAccepted() throws Exception {
        PeerChainVerifier trustsNobody = new PeerChainVerifier(TlsTrust.withoutCrls(List.of()), clock);

        CertificateException error = catchThrowableOfType(CertificateException.class,
                () -> trustsNobody.verify(List.of(PEER0, TLS_CA), PeerRole.CLIENT, Optional.empty()));

        assertThat(error).hasMessage("no trusted roots are configured");
    }

    @Test
    void theChainIsCheckedAtTheClocksTimeNotTheMachines() {
        clock.advance(Duration.ofDays(400)); // the peer's certificate lasts a year

        assertThat(refusal(List.of(PEER0, TLS_CA), PeerRole.CLIENT, null))
                .startsWith("certificate 'CN=peer0,OU=peer,O=Org1MSP' (serial " + PEER0.getSerialNumber().toString(16) + ")")
                .contains("does not chain to a trusted root");
    }

    @Test
    void aCertificateRestrictedToClientAuthIsNotAServerAndTheReverse() throws Exception {
        X509Certificate clientOnly = issue(KeyPurposeId.id_kp_clientAuth);
        X509Certificate serverOnly = issue(KeyPurposeId.id_kp_serverAuth);
        X509Certificate anyUsage = issue(KeyPurposeId.anyExtendedKeyUsage);
        X509Certificate unrestricted = issue(null);

        assertThat(refusal(List.of(clientOnly, TLS_CA), PeerRole.SERVER, null)).endsWith("is not meant for a TLS server");
        assertThat(refusal(List.of(serverOnly, TLS_CA), PeerRole.CLIENT, null)).endsWith("is not meant for a TLS client");
        assertThatCode(() -> verifier.verify(List.of(clientOnly, TLS_CA), PeerRole.CLIENT, Optional.empty()))
                .doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(List.of(anyUsage, TLS_CA), PeerRole.SERVER, Optional.empty()))
                .doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(List.of(unrestricted, TLS_CA), PeerRole.SERVER, Optional.empty()))
                .doesNotThrowAnyException();
    }

    @Test
    void aRevokedIssuingCaIsRefusedByTheRootsCrl() {
        crls.add(crl(PKI.root(), TLS_CA.getSerialNumber()));

        assertThat(refusal(List.of(PEER0, TLS_CA), PeerRole.CLIENT, null))
                .isEqualTo("certificate 'CN=tlsca.Org1MSP,O=Org1MSP' (serial " + TLS_CA.getSerialNumber().toString(16)
                        + ") is revoked");
    }

    @Test
    void aRevokedLeafIsRefusedByItsCasCrl() {
        crls.add(crl(ORG1.tlsCa(), PEER0.getSerialNumber()));

        assertThat(refusal(List.of(PEER0, TLS_CA), PeerRole.CLIENT, null)).endsWith("is revoked");
    }

    @Test
    void aCrlThatOnlyNamesTheIssuerButIsSignedByAnotherKeyRevokesNothing() {
        CertificateAuthority impostor = CertificateAuthority.createRoot(SubjectName.ca("tlsca.Org1MSP", "Org1MSP"),
                EcKeys.generate(), io.charter.common.pki.Validity.starting(Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30)));
        crls.add(crl(impostor, PEER0.getSerialNumber()));

        assertThatCode(() -> verifier.verify(List.of(PEER0, TLS_CA), PeerRole.CLIENT, Optional.empty()))
                .doesNotThrowAnyException();
    }

    @Test
    void serverNamesMatchExactlyDnsNamesIgnoringCaseAndIpLiteralsAsAddresses() {
        List<X509Certificate> chain = List.of(PEER0, TLS_CA);

        for (String host : List.of("localhost", "LocalHost", "127.0.0.1")) {
            assertThatCode(() -> verifier.verify(chain, PeerRole.SERVER, Optional.of(host)))
                    .as(host).doesNotThrowAnyException();
        }
        assertThat(refusal(chain, PeerRole.SERVER, "127.0.0.2"))
                .endsWith("is not valid for 127.0.0.2 (its names: [localhost, 127.0.0.1])");
        assertThat(refusal(chain, PeerRole.SERVER, "peer0.example")).endsWith("is not valid for peer0.example (its names: [localhost, 127.0.0.1])");
    }

    @Test
    void bracketedIpv6LiteralsMatchTheirAddressInAnyWriting() throws Exception {
        X509Certificate v6 = issue(null, new GeneralName(GeneralName.iPAddress, "::1"));
        List<X509Certificate> chain = List.of(v6, TLS_CA);

        assertThatCode(() -> verifier.verify(chain, PeerRole.SERVER, Optional.of("[::1]"))).doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(chain, PeerRole.SERVER, Optional.of("[0:0:0:0:0:0:0:1]"))).doesNotThrowAnyException();
        assertThat(refusal(chain, PeerRole.SERVER, "[::2]")).contains("is not valid for [::2]");
    }

    @Test
    void aDnsNameSpelledLikeAnAddressIsNotThatAddress() throws Exception {
        X509Certificate dnsOnly = issue(null, new GeneralName(GeneralName.dNSName, "127.0.0.1"));

        assertThat(refusal(List.of(dnsOnly, TLS_CA), PeerRole.SERVER, "127.0.0.1")).contains("is not valid for 127.0.0.1");
    }

    @Test
    void aCertificateWithoutNamesIsValidForNoHost() throws Exception {
        X509Certificate nameless = issue(null);

        assertThat(refusal(List.of(nameless, TLS_CA), PeerRole.SERVER, "localhost")).endsWith("(its names: [])");
    }

    @Test
    void theTrustManagerChecksClientsAsClientsAndServersAsTheExpectedNode() {
        VerifyingTrustManager server = new VerifyingTrustManager(verifier);
        VerifyingTrustManager client = new VerifyingTrustManager(verifier, "localhost", ExpectedServer.orderer());
        X509Certificate[] peerChain = {PEER0, TLS_CA};
        X509Certificate[] nothing = null;

        assertThatCode(() -> server.checkClientTrusted(peerChain, "EC", (java.net.Socket) null)).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(CertificateException.class,
                () -> server.checkClientTrusted(nothing, "EC", (javax.net.ssl.SSLEngine) null)))
                .hasMessage("the peer presented no certificate");
        assertThat(catchThrowableOfType(CertificateException.class,
                () -> server.checkClientTrusted(nothing, "EC", (java.net.Socket) null)))
                .hasMessage("the peer presented no certificate");
        assertThat(catchThrowableOfType(CertificateException.class,
                () -> client.checkServerTrusted(peerChain, "EC", (java.net.Socket) null)))
                .hasMessageContaining("presented a peer certificate; expected orderer");
        assertThat(catchThrowableOfType(CertificateException.class,
                () -> client.checkServerTrusted(peerChain, "EC", (javax.net.ssl.SSLEngine) null)))
                .hasMessageContaining("expected orderer");
        assertThat(server.getAcceptedIssuers()).isEmpty();
    }

    private String refusal(List<X509Certificate> chain, PeerRole role, String host) {
        CertificateException error = catchThrowableOfType(CertificateException.class,
                () -> verifier.verify(chain, role, Optional.ofNullable(host)));
        assertThat(error).as("refused").isNotNull();
        return error.getMessage();
    }

    private static X509CRL crl(CertificateAuthority ca, BigInteger serial) {
        Instant now = Instant.now();
        return ca.issueCrl(List.of(new RevokedCertificate(serial, now, 1)), BigInteger.ONE, now, now.plus(Duration.ofDays(7)));
    }

    /** A TLS certificate from Org1's TLS CA with the given extended key usage (null: none) and names. */
    private static X509Certificate issue(KeyPurposeId usage, GeneralName... names) throws Exception {
        KeyPair keys = EcKeys.generate();
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(X500Name.getInstance(TLS_CA.getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(System.nanoTime()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), SubjectName.of("peer1", "Org1MSP", Role.PEER).toX500Name(),
                keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        if (usage != null) {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
        }
        if (names.length > 0) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ORG1.tlsCa().privateKey())).getEncoded();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
