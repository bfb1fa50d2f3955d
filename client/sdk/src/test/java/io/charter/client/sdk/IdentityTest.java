package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {

    private static final TestPki PKI = TestPki.create("Org1", "Org2");

    @TempDir
    Path dir;

    @Test
    void pemFilesWrittenByAnIdentityLoadBackAsTheSameIdentity() throws Exception {
        Identity identity = TestNetworkPki.identity(PKI, "Org1", "alice", Role.CLIENT);
        identity.writePem(dir.resolve("alice"));

        Identity loaded = Identity.fromPem(dir.resolve("alice/signing-cert.pem"), dir.resolve("alice/signing-key.pem"),
                dir.resolve("alice/tls-cert.pem"), dir.resolve("alice/tls-key.pem"));

        assertThat(loaded.mspId()).isEqualTo("Org1");
        assertThat(loaded.enrollmentId()).isEqualTo("alice");
        assertThat(loaded.serialized()).isEqualTo(identity.serialized());
        assertThat(loaded.signingChain()).isEqualTo(identity.signingChain());
        assertThat(loaded.tls().chain()).isEqualTo(identity.tls().chain());
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve("alice/signing-key.pem")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void aPkcs12KeystoreRoundTripsBothEntries() throws Exception {
        Identity identity = TestNetworkPki.identity(PKI, "Org2", "bob", Role.CLIENT);
        Path keystore = dir.resolve("bob.p12");
        Files.write(keystore, identity.toPkcs12("secret".toCharArray()));

        Identity loaded = Identity.fromPkcs12(keystore, "secret".toCharArray());

        assertThat(loaded.mspId()).isEqualTo("Org2");
        assertThat(loaded.certificate()).isEqualTo(identity.certificate());
        assertThat(loaded.tls().certificate()).isEqualTo(identity.tls().certificate());
    }

    @Test
    void aWrongKeystorePasswordIsAnInvalidIdentity() throws Exception {
        Path keystore = dir.resolve("bob.p12");
        Files.write(keystore, TestNetworkPki.identity(PKI, "Org2", "bob", Role.CLIENT).toPkcs12("secret".toCharArray()));

        assertThatThrownBy(() -> Identity.fromPkcs12(keystore, "wrong".toCharArray()))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.IDENTITY);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.IDENTITY_INVALID);
                    assertThat(e.getMessage()).contains(keystore.toString());
                });
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused() {
        TestPki.Credential signing = PKI.organization("Org1").enroll("carol", Role.CLIENT);
        TestPki.Credential other = PKI.organization("Org1").enroll("dave", Role.CLIENT);
        TestPki.Credential tls = PKI.organization("Org1").enrollTls("carol", Role.CLIENT);

        assertThatThrownBy(() -> Identity.of(signing.chain(), other.keys().getPrivate(), tls.chain(), tls.keys().getPrivate()))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(SdkErrorCode.IDENTITY_INVALID);
                    assertThat(e.getMessage()).contains("does not belong");
                });
    }

    @Test
    void aMissingFileIsNamedInTheError() {
        Identity identity = TestNetworkPki.identity(PKI, "Org1", "erin", Role.CLIENT);
        identity.writePem(dir);
        Path missing = dir.resolve("nope.pem");

        assertThatThrownBy(() -> Identity.fromPem(missing, dir.resolve("signing-key.pem"), dir.resolve("tls-cert.pem"),
                dir.resolve("tls-key.pem")))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(SdkErrorCode.IDENTITY_INVALID);
                    assertThat(e.getMessage()).contains(missing.toString());
                });
    }

    @Test
    void aFileWithoutACertificateIsRefused() throws Exception {
        Identity identity = TestNetworkPki.identity(PKI, "Org1", "frank", Role.CLIENT);
        identity.writePem(dir);

        // the key file where the certificate should be
        assertThatThrownBy(() -> Identity.fromPem(dir.resolve("signing-key.pem"), dir.resolve("signing-key.pem"),
                dir.resolve("tls-cert.pem"), dir.resolve("tls-key.pem")))
                .isInstanceOfSatisfying(SdkException.class, e -> assertThat(e.getMessage()).contains("no usable certificate"));
    }
}
