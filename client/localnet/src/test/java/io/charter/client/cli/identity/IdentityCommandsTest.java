package io.charter.client.cli.identity;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.client.cli.CliRun;
import io.charter.client.cli.ExitCodes;
import io.charter.client.testing.LiveMembershipService;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.Wallet;
import io.charter.common.testing.RequiresDocker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The identity commands in-process against the real membership service (its Spring Boot application over
 * PostgreSQL in a container): enroll, register, reenroll, identities, revoke, and every refusal with its
 * one-line message and exit code, the wallet untouched by a failure.
 */
@RequiresDocker
class IdentityCommandsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path home;

    private LiveMembershipService service;
    private String org;

    @BeforeEach
    void enrollTheAdminAndCreateAnOrganization() {
        service = LiveMembershipService.get();
        CliRun admin = charter(home, "enroll", LiveMembershipService.ADMIN_ID, "--secret", LiveMembershipService.ADMIN_SECRET,
                "--url", service.url().toString(), "--root-cert", service.rootPem(home).toString());
        assertThat(admin.exitCode()).as(admin.toString()).isZero();
        assertThat(admin.out()).contains("Enrolled 'admin' (ConsortiumMSP, admin)").contains("default identity");
        org = "Cli" + UUID.randomUUID().toString().substring(0, 8) + "MSP";
        try (MembershipAdmin client = new MembershipAdmin(service.url(), service.root())) {
            client.createOrganization(wallet().get("admin").credential(), org);
        }
    }

    @Test
    void registersEnrollsRenewsListsAndRevokesAUser() throws IOException {
        CliRun register = charter(home, "register", "user1-" + org, "--org", org, "--attr", "dept=sales", "-o", "json");
        assertThat(register.exitCode()).as(register.toString()).isZero();
        JsonNode registered = JSON.readTree(register.out());
        assertThat(registered.path("organization").asString()).isEqualTo(org);
        String secret = registered.path("secret").asString();
        assertThat(secret).isNotBlank();

        CliRun enroll = charter(home, "enroll", "user1-" + org, "--secret", secret, "--name", "user1");
        assertThat(enroll.exitCode()).as(enroll.toString()).isZero();
        assertThat(enroll.out()).contains("(" + org + ", client)").contains("with a TLS certificate");
        assertThat(wallet().get("user1").tls()).isPresent();
        String firstSerial = wallet().get("user1").serial();

        CliRun list = charter(home, "identities", "-o", "json");
        JsonNode identities = JSON.readTree(list.out());
        assertThat(identities).hasSize(2);
        assertThat(identities.get(0).path("name").asString()).isEqualTo("admin");
        assertThat(identities.get(0).path("default").asBoolean()).isTrue();
        assertThat(identities.get(1).path("mspId").asString()).isEqualTo(org);
        assertThat(charter(home, "identities").out()).contains("* admin").contains("user1");

        CliRun reenroll = charter(home, "reenroll", "user1");
        assertThat(reenroll.exitCode()).as(reenroll.toString()).isZero();
        assertThat(wallet().get("user1").serial()).isNotEqualTo(firstSerial);
        assertThat(reenroll.out()).contains("new certificate serial " + wallet().get("user1").serial());

        CliRun registeredList = charter(home, "identities", "--org", org, "-o", "json");
        assertThat(registeredList.exitCode()).as(registeredList.toString()).isZero();
        assertThat(JSON.readTree(registeredList.out()).get(0).path("id").asString()).isEqualTo("user1-" + org);

        CliRun revoke = charter(home, "revoke", "user1-" + org, "--reason", "key_compromise");
        assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
        assertThat(revoke.out()).contains("Revoked 'user1-" + org + "': 4 certificate(s)"); // signing and TLS, enrolled and renewed

        // the revoked identity is refused from now on
        CliRun refused = charter(home, "reenroll", "user1");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.err()).startsWith("charter: the identity is revoked").contains("enroll another identity")
                .doesNotContain("\tat ");
        assertThat(wallet().get("user1").serial()).isNotEqualTo(firstSerial);
        CliRun listed = charter(home, "identities", "--org", org, "--as", "user1");
        assertThat(listed.exitCode()).isEqualTo(ExitCodes.REFUSED);
    }

    @Test
    void aWrongSecretIsRefusedAndWritesNothing() throws IOException {
        String secret = register("user2-" + org);
        List<Path> before = files();
        CliRun run = charter(home, "enroll", "user2-" + org, "--secret", secret + "x");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).isEqualTo("charter: enrollment refused: wrong enrollment id or secret (the secret is the one"
                + " 'charter register' printed)" + System.lineSeparator());
        assertThat(files()).isEqualTo(before);
        // the right secret still works afterwards, once; a second enrollment is refused with advice
        assertThat(charter(home, "enroll", "user2-" + org, "--secret", secret).exitCode()).isZero();
        CliRun again = charter(home, "enroll", "user2-" + org, "--secret", secret, "--name", "again");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(again.err()).contains("used all its enrollments").contains("charter reenroll");
        assertThat(wallet().contains("again")).isFalse();
    }

    @Test
    void anIdentityAlreadyInTheWalletIsAConflictBeforeAnythingIsAsked() throws IOException {
        String secret = register("user3-" + org);
        List<Path> before = files();
        CliRun run = charter(home, "enroll", "user3-" + org, "--secret", secret, "--name", "admin");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(run.err()).contains("already holds 'admin'").contains("--name");
        assertThat(files()).isEqualTo(before);
        // the secret was not used: it still enrolls
        assertThat(charter(home, "enroll", "user3-" + org, "--secret", secret).exitCode()).isZero();
    }

    @Test
    void anUnreachableServiceSaysSoWithExitCodeThree() throws IOException {
        List<Path> before = files();
        CliRun run = charter(home, "enroll", "someone", "--secret", "s", "--url", "https://127.0.0.1:1",
                "--name", "someone");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).startsWith("charter: the membership service is unreachable")
                .contains("charter status").doesNotContain("\tat ");
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void aNodeIsRegisteredWithItsHostsAndGetsATlsCertificateForApprovedOnesOnly() throws Exception {
        CliRun register = charter(home, "register", "peer0-" + org, "--org", org, "--type", "peer",
                "--hosts", "peer0.example.com,127.0.0.1", "--max-enrollments", "2", "-o", "json");
        assertThat(register.exitCode()).as(register.toString()).isZero();
        JsonNode registered = JSON.readTree(register.out());
        String secret = registered.path("secret").asString();

        List<Path> before = files();
        CliRun unapproved = charter(home, "enroll", "peer0-" + org, "--secret", secret, "--name", "peer0-wrong",
                "--tls-host", "membership.example.com");
        assertThat(unapproved.exitCode()).as(unapproved.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(unapproved.err()).contains("registrar approved");
        assertThat(files()).isEqualTo(before);

        CliRun enroll = charter(home, "enroll", "peer0-" + org, "--secret", secret, "--name", "peer0",
                "--tls-host", "peer0.example.com");
        assertThat(enroll.exitCode()).as(enroll.toString()).isZero();
        var tls = wallet().get("peer0").tls().orElseThrow().certificate();
        assertThat(tls.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .containsExactly((Object) "peer0.example.com");
        assertThat(tls.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void hostsForAClientAreAUsageErrorAndItsTlsCertificateNamesNoHost() throws Exception {
        CliRun withHosts = charter(home, "register", "c-" + org, "--org", org, "--hosts", "membership.example.com");
        assertThat(withHosts.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(withHosts.err()).contains("--hosts is for peers and orderers");

        // two enrollments: the refused one below spends the signing enrollment it makes before asking for TLS
        CliRun registered = charter(home, "register", "c1-" + org, "--org", org, "--max-enrollments", "2", "-o", "json");
        assertThat(registered.exitCode()).as(registered.toString()).isZero();
        String secret = JSON.readTree(registered.out()).path("secret").asString();
        CliRun asks = charter(home, "enroll", "c1-" + org, "--secret", secret, "--name", "c1-wrong",
                "--tls-host", "membership.example.com");
        assertThat(asks.exitCode()).as(asks.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(wallet().contains("c1-wrong")).isFalse();

        assertThat(charter(home, "enroll", "c1-" + org, "--secret", secret, "--name", "c1").exitCode()).isZero();
        var tls = wallet().get("c1").tls().orElseThrow().certificate();
        assertThat(tls.getSubjectAlternativeNames()).isNull();
        assertThat(tls.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    }

    @Test
    void refusalsOfRegistrationHaveTheirExitCodes() {
        String secret = register("plain-" + org);
        assertThat(charter(home, "enroll", "plain-" + org, "--secret", secret, "--name", "plain").exitCode()).isZero();

        CliRun forbidden = charter(home, "register", "x-" + org, "--org", org, "--as", "plain");
        assertThat(forbidden.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(forbidden.err()).startsWith("charter: not allowed").contains("--as");

        CliRun duplicate = charter(home, "register", "plain-" + org, "--org", org);
        assertThat(duplicate.exitCode()).isEqualTo(ExitCodes.CONFLICT);

        CliRun noOrg = charter(home, "register", "y-" + org, "--org", "NoSuch" + org);
        assertThat(noOrg.exitCode()).as(noOrg.toString()).isEqualTo(ExitCodes.NOT_FOUND);

        CliRun badType = charter(home, "register", "z-" + org, "--org", org, "--type", "wizard");
        assertThat(badType.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badType.err()).contains("client, peer, orderer, admin");

        CliRun unknown = charter(home, "revoke", "nobody-" + org);
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void badArgumentsAreUsageErrorsThatWriteNothing() throws IOException {
        List<Path> before = files();
        assertUsage(charter(home, "enroll", "u", "--secret", "s", "--url", "http://localhost:7054", "--name", "u"),
                "--url must be an https:// address");
        Path notPem = Files.writeString(home.resolve("not.pem"), "hello");
        before = files();
        assertUsage(charter(home, "enroll", "u", "--secret", "s", "--root-cert", notPem.toString(), "--name", "u"),
                "is not a PEM certificate");
        assertUsage(charter(home, "enroll", "u", "--secret", "s", "--root-cert", home.resolve("missing.pem").toString()),
                "cannot read --root-cert");
        assertUsage(charter(home, "enroll", "u", "--secret", "s", "--name", "../escape"), "cannot name a wallet identity");
        assertUsage(charter(home, "enroll", "u", "--secret", " "), "no enrollment secret");
        assertUsage(charter(home, "enroll", "u", "--secret", "s", "--no-tls", "--tls-host", "x"), "contradict");
        assertUsage(charter(home, "revoke", "u", "--serial", "ab"), "exactly one");
        assertUsage(charter(home, "revoke", "--serial", "xyz"), "hexadecimal");
        assertUsage(charter(home, "register", "u", "--org", org, "--max-enrollments", "0"), "at least 1");
        assertUsage(charter(home, "register", "u"), "Missing required option: '--org=MSPID'");
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void anIdentityNotInTheWalletIsNotFound() {
        CliRun run = charter(home, "reenroll", "ghost");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.err()).isEqualTo("charter: no identity 'ghost' in the wallet " + home.resolve("wallet")
                + " (it holds: admin)" + System.lineSeparator());
    }

    private static void assertUsage(CliRun run, String message) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).as(run.toString()).contains(message).doesNotContain("\tat ");
        assertThat(run.err().lines().count()).isEqualTo(1);
    }

    private String register(String id) {
        CliRun run = charter(home, "register", id, "--org", org, "-o", "json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return JSON.readTree(run.out()).path("secret").asString();
    }

    private Wallet wallet() {
        return new Wallet(home.resolve("wallet"));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> paths = Files.walk(home)) {
            return paths.sorted().toList();
        }
    }
}
