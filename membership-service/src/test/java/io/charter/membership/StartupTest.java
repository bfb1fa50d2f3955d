package io.charter.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.Pem;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.common.testing.RequiresDocker;
import io.charter.membership.ca.CaImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresDocker
class StartupTest {

    @Test
    void wrongKeyPassphraseFailsStartupWithAClearMessage() {
        String database = TestDatabases.createDatabase();
        MembershipCore.start(TestDatabases.dataSource(database), Fixtures.settings().build(), Clock.systemUTC());
        MembershipSettings wrong = MembershipSettings.builder("not the passphrase", Fixtures.ADMIN_SECRET)
                .keyDerivationIterations(1_000).build();
        assertThatThrownBy(() -> MembershipCore.start(TestDatabases.dataSource(database), wrong, Clock.systemUTC()))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("passphrase is wrong");
    }

    @Test
    void rootCaIsImportedFromPemFilesOnFirstStart(@TempDir Path dir) throws Exception {
        Instant now = Instant.now();
        CertificateAuthority existing = CertificateAuthority.createRoot(SubjectName.ca("Existing Root", "ConsortiumMSP"),
                EcKeys.generate(), new Validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650))));
        Path certificate = Files.writeString(dir.resolve("root.pem"), Pem.encodeCertificate(existing.certificate()));
        Path key = Files.writeString(dir.resolve("root.key"), Pem.encodePrivateKey(existing.privateKey()));

        MembershipCore core = MembershipCore.start(TestDatabases.freshDataSource(),
                Fixtures.settings().rootImport(new CaImport.PemFiles(certificate, key)).build(), Clock.systemUTC());

        assertThat(core.rootCertificate()).isEqualTo(existing.certificate());
        Fixtures.Member admin = Fixtures.consortiumAdmin(core);
        assertThat(admin.enrollment().chain().getLast()).isEqualTo(existing.certificate());
    }
}
