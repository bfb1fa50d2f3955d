package io.charter.deploy.network;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.charter.common.pki.Pem;
import io.charter.common.testing.TestImages;
import io.charter.deploy.DeployedEnvironment;
import io.charter.deploy.images.NodeImages;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A Charter network as containers on one Docker network, configured as the Kubernetes manifests configure
 * it (the same environment variables, {@link DeployedEnvironment}, checked against the rendered manifests by
 * {@code ManifestTest}) and bootstrapped the same way: the operator registers each
 * node's identity at the membership service through its REST API, and each node enrolls itself with that
 * enrollment id and secret on first start, stores its certificates in its volume and registers in the index.
 *
 * <p>Every container runs from the project's images with a read-only root file system, {@code /tmp} on a
 * tmpfs and a memory limit, as in the manifests. {@link #close()} stops every container it started (ryuk is
 * off on CI). Container logs go to {@code target/network-logs/<name>.log}.
 */
final class CharterNetwork implements AutoCloseable {

    static final String ORDERER_ORG = "OrdererOrg";
    static final List<String> PEER_ORGS = List.of("Org1MSP", "Org2MSP");
    static final String CA_PASSPHRASE = "network-test-ca-passphrase";
    static final String BOOTSTRAP_ADMIN_SECRET = "network-test-admin-secret";
    static final String CONSORTIUM_DIRECTORY = "/etc/charter/consortium";
    static final String ROOT_FILE = CONSORTIUM_DIRECTORY + "/root.pem";
    /** Enrollment secrets: one file per node, named by the node (a Kubernetes Secret mounted as a directory). */
    static final String ENROLLMENT_DIRECTORY = "/etc/charter/enrollment/";
    /** The channel setup Job's admins enrolled by the script with a secret from bootstrap.sh (CHARTER_ADMINS). */
    static final Map<String, String> SETUP_ADMINS_BY_SECRET = Map.of("orderer-admin", ORDERER_ORG, "org1-admin", "Org1MSP");
    /** The channel setup Job's admin that the test enrolls itself and mounts as files (an organization's own PKI path). */
    static final String SETUP_ADMIN_MOUNTED = "org2-admin";
    static final String SETUP_SCRIPT = "/opt/charter/bin/setup-channel.sh";
    /** JVM start-up of six nodes at once on a shared two-core machine took up to 4 minutes; the bound only stops a hang. */
    static final Duration STARTUP = Duration.ofMinutes(8);
    static final long MEMORY_LIMIT = 768L * 1024 * 1024;

    private final Network network = Network.newNetwork();
    private final List<GenericContainer<?>> started = new ArrayList<>();
    private final Map<String, GenericContainer<?>> orderers = new LinkedHashMap<>();
    private final Map<String, GenericContainer<?>> peers = new LinkedHashMap<>();
    private final Map<String, String> peerOrganizations = new LinkedHashMap<>();
    private final Map<String, MembershipAdmin.Member> organizationAdmins = new LinkedHashMap<>();
    private final Map<String, String> peerVolumes = new LinkedHashMap<>();
    private final List<String> volumes = new ArrayList<>();
    private final Path files;
    private String setupVolume;
    private PostgreSQLContainer postgres;
    private GenericContainer<?> membership;
    private MembershipAdmin admin;
    private MembershipAdmin.TlsIdentity ordererAdmin;

    private CharterNetwork() {
        try {
            try (var old = Files.exists(logDirectory()) ? Files.list(logDirectory()) : java.util.stream.Stream.<Path>empty()) {
                old.forEach(path -> path.toFile().delete()); // this run's logs only
            }
            files = Files.createTempDirectory("charter-network");
            Files.setPosixFilePermissions(files, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * PostgreSQL, the membership service, the operator's bootstrap (organizations {@link #ORDERER_ORG} and
     * {@link #PEER_ORGS}, node identities), then {@code ordererCount} orderers that enroll themselves and register
     * in the index.
     */
    static CharterNetwork start(int ordererCount, Map<String, String> peerOrganizations) throws Exception {
        CharterNetwork net = new CharterNetwork();
        try {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < ordererCount; i++) {
                names.add("orderer" + i);
            }
            net.peerOrganizations.putAll(peerOrganizations);
            net.startMembership();
            net.bootstrapIdentities(names);
            net.mountAdmin(net.admin.registerAndEnroll(SETUP_ADMIN_MOUNTED, "admin", "Org2MSP"));
            for (String mspId : PEER_ORGS) {
                net.organizationAdmins.put(mspId, net.admin.registerAndEnroll(mspId.toLowerCase(java.util.Locale.ROOT) + "-admin", "admin", mspId));
            }
            List<GenericContainer<?>> nodes = new ArrayList<>(net.orderers(names));
            for (String peer : peerOrganizations.keySet()) {
                net.createPeerStorage(peer);
                nodes.add(net.peer(peer));
            }
            Startables.deepStart(nodes).join();
            return net;
        } catch (Exception | Error e) {
            net.close();
            throw e;
        }
    }

    private void startMembership() {
        postgres = TestImages.postgresContainer();
        postgres.withNetwork(network).withNetworkAliases("postgres")
                .withDatabaseName("charter_membership").withUsername("charter").withPassword("charter-db-password");
        started.add(postgres);
        postgres.start();
        startMembershipService();
    }

    /**
     * Runs {@code deploy/compose/bootstrap.sh}, the operator's script that docs/deploy.md uses for Compose
     * and Kubernetes alike: it fetches the consortium root, enrolls the bootstrap admin, creates the
     * organizations, registers the orderers and writes their one-time secrets to {@code enrollment/<node>},
     * and enrolls an OrdererOrg admin. The test then acts with the credentials it wrote.
     */
    private void bootstrapIdentities(List<String> orderers) throws Exception {
        Path script = Path.of(System.getProperty("charter.deploy.directory", ".")).toAbsolutePath().resolve("compose/bootstrap.sh");
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), membershipUrl().toString(), files.toString()));
        command.addAll(orderers);
        Path log = logDirectory().resolve("bootstrap.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CHARTER_BOOTSTRAP_ADMIN_SECRET", BOOTSTRAP_ADMIN_SECRET);
        builder.environment().put("CHARTER_PEERS", String.join(" ", peerOrganizations.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue()).toList()));
        builder.environment().put("CHARTER_ADMINS", String.join(" ", SETUP_ADMINS_BY_SECRET.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue()).sorted().toList()));
        Process process = builder.start();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("bootstrap.sh did not finish; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("bootstrap.sh failed (" + process.exitValue() + "): " + Files.readString(log));
        }
        X509Certificate root = Pem.decodeCertificate(Files.readString(files.resolve("consortium/root.pem")));
        admin = new MembershipAdmin(membershipUrl(), root).actingAs(files.resolve("admin/consortium-admin-key.pem"),
                files.resolve("admin/consortium-admin-cert.pem"));
        ordererAdmin = MembershipAdmin.TlsIdentity.fromPem(files.resolve("admin/orderer-admin-tls.key"),
                files.resolve("admin/orderer-admin-tls.crt"));
        List<String> nodes = new ArrayList<>(orderers);
        nodes.addAll(peerOrganizations.keySet());
        for (String node : nodes) {
            if (!Files.isRegularFile(files.resolve("enrollment").resolve(node))) {
                throw new IllegalStateException("bootstrap.sh wrote no enrollment secret for " + node);
            }
        }
        for (String setupAdmin : SETUP_ADMINS_BY_SECRET.keySet()) {
            if (!Files.isRegularFile(files.resolve("admin-enrollment").resolve(setupAdmin))) {
                throw new IllegalStateException("bootstrap.sh wrote no enrollment secret for the admin " + setupAdmin);
            }
        }
    }

    /** Writes an enrolled admin as the files a Secret charter-admin-<id> holds (mounted at /etc/charter/admins/<id>). */
    private void mountAdmin(MembershipAdmin.Member member) throws IOException {
        Path directory = Files.createDirectories(files.resolve("admins").resolve(member.id()));
        Files.setPosixFilePermissions(files.resolve("admins"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(directory.resolve("signing-cert.pem"), Pem.encodeCertificates(member.signingChain()));
        Files.writeString(directory.resolve("signing-key.pem"), Pem.encodePrivateKey(member.signingKeys().getPrivate()));
        Files.writeString(directory.resolve("tls-cert.pem"), Pem.encodeCertificates(member.tlsChain()));
        Files.writeString(directory.resolve("tls-key.pem"), Pem.encodePrivateKey(member.tlsKeys().getPrivate()));
        try (var written = Files.list(directory)) {
            // readable by the container's uid 10001, as a mounted Secret is (the test's files are on the host)
            for (Path file : written.toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    /**
     * Runs the channel setup Job's container: the CLI image's {@value #SETUP_SCRIPT} with {@code env} (exactly the
     * Job's variables), the Job's mounts (consortium root, admin enrollment secrets, mounted admin identities) and
     * a data volume kept across runs, as the Job's emptyDir is kept across its container's restarts. Answers the
     * container's log once the script exited 0; fails with the log otherwise.
     */
    String runChannelSetup(Map<String, String> env) {
        requireManifestVariables(env, DeployedEnvironment.CHANNEL_SETUP);
        if (setupVolume == null) {
            setupVolume = "charter-channel-setup-" + Long.toHexString(System.nanoTime());
            DockerClientFactory.instance().client().createVolumeCmd().withName(setupVolume).exec();
            volumes.add(setupVolume);
        }
        List<Bind> mounts = new ArrayList<>(List.of(bind(files.resolve("consortium"), CONSORTIUM_DIRECTORY),
                bind(files.resolve("admin-enrollment"), "/etc/charter/admin-enrollment"),
                bind(files.resolve("admins").resolve(SETUP_ADMIN_MOUNTED), "/etc/charter/admins/" + SETUP_ADMIN_MOUNTED),
                new Bind(setupVolume, new Volume("/var/lib/charter"))));
        GenericContainer<?> job = new GenericContainer<>(NodeImages.image(NodeImages.Node.CLI))
                .withNetwork(network)
                .withCreateContainerCmdModifier(cmd -> cmd.withName("charter-channel-setup-" + Long.toHexString(System.nanoTime()))
                        .withEntrypoint(SETUP_SCRIPT)
                        .getHostConfig().withReadonlyRootfs(true).withMemory(MEMORY_LIMIT).withBinds(mounts))
                .withTmpFs(Map.of("/tmp", "rw,exec,size=64m"))
                .withEnv(env)
                .withLogConsumer(logFile("channel-setup"))
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(6)));
        started.add(job);
        try {
            job.start();
            return job.getLogs();
        } catch (RuntimeException e) {
            String logs;
            try {
                logs = job.getLogs();
            } catch (RuntimeException unavailable) {
                logs = "(no log: " + unavailable.getMessage() + ")";
            }
            throw new AssertionError("the channel setup script failed: " + e.getMessage() + "\n" + logs, e);
        } finally {
            job.stop();
            started.remove(job);
        }
    }

    /** Starts a membership service container (again, after {@link #stopMembership()}) over the same database. */
    void startMembershipService() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CHARTER_DB_URL", "jdbc:postgresql://postgres:5432/charter_membership");
        env.put("CHARTER_DB_USER", "charter");
        env.put("CHARTER_DB_PASSWORD", "charter-db-password");
        env.put("CHARTER_CA_PASSPHRASE", CA_PASSPHRASE);
        env.put("CHARTER_BOOTSTRAP_ADMIN_SECRET", BOOTSTRAP_ADMIN_SECRET);
        env.put("CHARTER_MEMBERSHIP_HTTP_TLS_HOSTS", "membership,localhost,127.0.0.1");
        env.put("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=75");
        requireManifestVariables(env, DeployedEnvironment.MEMBERSHIP);
        membership = node(NodeImages.Node.MEMBERSHIP, "membership", env, List.of())
                .withExposedPorts(7054)
                .waitingFor(Wait.forHttps("/actuator/health/readiness").forPort(7054).allowInsecure()
                        .forStatusCode(200).withStartupTimeout(STARTUP));
        membership.start();
    }

    /**
     * Backs the membership database up as docs/deploy.md says to (a custom-format {@code pg_dump}, consistent while
     * the service runs) and copies the dump out of the database's container to {@code dump} on this host.
     */
    void backUpMembershipDatabase(Path dump) throws Exception {
        execOrFail(postgres, "pg_dump", "-U", "charter", "-Fc", "-f", "/tmp/membership.dump", "charter_membership");
        postgres.copyFileFromContainer("/tmp/membership.dump", dump.toString());
        execOrFail(postgres, "rm", "/tmp/membership.dump");
    }

    /** Drops the membership database, as a lost volume or a mistaken operator would (the service must be stopped). */
    void destroyMembershipDatabase() throws Exception {
        execOrFail(postgres, "dropdb", "-U", "charter", "charter_membership");
    }

    /** Restores the membership database from {@code dump} into a new, empty database, as docs/deploy.md says to. */
    void restoreMembershipDatabase(Path dump) throws Exception {
        postgres.copyFileToContainer(org.testcontainers.utility.MountableFile.forHostPath(dump), "/tmp/membership.dump");
        execOrFail(postgres, "createdb", "-U", "charter", "charter_membership");
        execOrFail(postgres, "pg_restore", "-U", "charter", "-d", "charter_membership", "--no-owner", "--exit-on-error",
                "/tmp/membership.dump");
    }

    private static void execOrFail(GenericContainer<?> container, String... command) throws Exception {
        var result = container.execInContainer(command);
        if (result.getExitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.getExitCode() + "): "
                    + result.getStderr());
        }
    }

    /** Stops the membership service container (the database keeps its state). */
    void stopMembership() {
        membership.stop();
        started.remove(membership);
    }

    private List<GenericContainer<?>> orderers(List<String> names) {
        List<GenericContainer<?>> containers = new ArrayList<>();
        for (String name : names) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("CHARTER_ORDERER_MSP_ID", ORDERER_ORG);
            env.put("CHARTER_ORDERER_TLS_TRUSTED_ROOTS", ROOT_FILE);
            env.put("CHARTER_ORDERER_CLUSTER_HOST", name);
            env.put("CHARTER_ORDERER_MEMBERSHIP_URL", "https://membership:7054");
            env.put("CHARTER_ORDERER_MEMBERSHIP_ENROLLMENT_ID", name);
            // the secret file named after the node, read through Spring's config tree import
            env.put("SPRING_CONFIG_IMPORT", "optional:configtree:" + ENROLLMENT_DIRECTORY);
            env.put("CHARTER_ORDERER_MEMBERSHIP_ENROLLMENT_SECRET", "${" + name + "}");
            env.put("CHARTER_ORDERER_MEMBERSHIP_TLS_HOSTS", name + ",localhost,127.0.0.1");
            env.put("CHARTER_ORDERER_MEMBERSHIP_ADVERTISED_HOST", name);
            env.put("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=75");
            requireManifestVariables(env, DeployedEnvironment.ORDERER);
            GenericContainer<?> orderer = node(NodeImages.Node.ORDERER, name, env, List.of(bind(files.resolve("consortium"), CONSORTIUM_DIRECTORY),
                    bind(files.resolve("enrollment"), ENROLLMENT_DIRECTORY)))
                    .withExposedPorts(7050, 9443, 9444)
                    .waitingFor(Wait.forHttp("/actuator/health/readiness").forPort(9444).forStatusCode(200)
                            .withStartupTimeout(STARTUP));
            orderers.put(name, orderer);
            containers.add(orderer);
        }
        return containers;
    }

    /** The peer's ledger database (named after it) and its data volume, kept across restarts of its container. */
    private void createPeerStorage(String name) throws Exception {
        var created = postgres.execInContainer("psql", "-U", "charter", "-d", "charter_membership", "-c",
                "CREATE DATABASE \"" + name + "\"");
        if (created.getExitCode() != 0) {
            throw new IllegalStateException("creating the database of " + name + " failed: " + created.getStderr());
        }
        String volume = "charter-" + name + "-" + Long.toHexString(System.nanoTime());
        DockerClientFactory.instance().client().createVolumeCmd().withName(volume).exec();
        volumes.add(volume);
        peerVolumes.put(name, volume);
    }

    /** A peer container, not started: the same variables as the peer StatefulSets of the manifests. */
    private GenericContainer<?> peer(String name) {
        String mspId = peerOrganizations.get(name);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CHARTER_PEER_PEER_ID", name);
        env.put("CHARTER_PEER_MSP_ID", mspId);
        env.put("CHARTER_PEER_TLS_TRUSTED_ROOTS", ROOT_FILE);
        env.put("CHARTER_PEER_DATABASE_URL", "jdbc:postgresql://postgres:5432/" + name);
        env.put("CHARTER_PEER_DATABASE_USERNAME", "charter");
        env.put("CHARTER_PEER_DATABASE_PASSWORD", "charter-db-password");
        env.put("CHARTER_PEER_MEMBERSHIP_URL", "https://membership:7054");
        env.put("CHARTER_PEER_MEMBERSHIP_ENROLLMENT_ID", name);
        env.put("SPRING_CONFIG_IMPORT", "optional:configtree:" + ENROLLMENT_DIRECTORY);
        env.put("CHARTER_PEER_MEMBERSHIP_ENROLLMENT_SECRET", "${" + name + "}");
        env.put("CHARTER_PEER_MEMBERSHIP_TLS_HOSTS", name + ",localhost,127.0.0.1");
        env.put("CHARTER_PEER_MEMBERSHIP_ADVERTISED_HOST", name);
        env.put("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=75");
        requireManifestVariables(env, DeployedEnvironment.PEER);
        GenericContainer<?> peer = node(NodeImages.Node.PEER, name, env, List.of(bind(files.resolve("consortium"), CONSORTIUM_DIRECTORY),
                bind(files.resolve("enrollment"), ENROLLMENT_DIRECTORY),
                new Bind(peerVolumes.get(name), new Volume("/var/lib/charter"))))
                .withExposedPorts(7060, 9445, 9446)
                .waitingFor(Wait.forHttp("/actuator/health/readiness").forPort(9446).forStatusCode(200)
                        .withStartupTimeout(STARTUP));
        peers.put(name, peer);
        return peer;
    }

    /** Starts the peer again on its volume and database (after {@link #stopPeer}). */
    void restartPeer(String name) {
        peer(name).start();
    }

    /**
     * Stops the peer with SIGTERM and Docker's grace period (as Kubernetes does), then removes the container;
     * answers the exit code (143: the JVM ended on SIGTERM; 137: killed after the grace period).
     */
    long stopPeer(String name) {
        GenericContainer<?> peer = peers.remove(name);
        long exitCode = stopGracefully(peer);
        peer.stop();
        started.remove(peer);
        return exitCode;
    }

    static long stopGracefully(GenericContainer<?> container) {
        var docker = DockerClientFactory.instance().client();
        docker.stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
        return docker.inspectContainerCmd(container.getContainerId()).exec().getState().getExitCodeLong();
    }

    Map<String, GenericContainer<?>> peers() {
        return peers;
    }

    Map<String, String> peerOrganizations() {
        return peerOrganizations;
    }

    /** The admin of a peer organization (its TLS certificate opens the peers' admin API). */
    MembershipAdmin.Member organizationAdmin(String mspId) {
        return organizationAdmins.get(mspId);
    }

    /**
     * A node container as the manifests run it. Mounted files are bind mounts set on the create command (as
     * Kubernetes mounts ConfigMaps and Secrets): Testcontainers' own file copies cannot write into a read-only
     * root file system.
     */
    private GenericContainer<?> node(NodeImages.Node kind, String name, Map<String, String> env, List<Bind> mounts) {
        GenericContainer<?> container = new GenericContainer<>(NodeImages.image(kind))
                .withNetwork(network)
                .withNetworkAliases(name)
                .withCreateContainerCmdModifier(cmd -> cmd.withName("charter-" + name + "-" + Long.toHexString(System.nanoTime()))
                        .getHostConfig().withReadonlyRootfs(true).withMemory(MEMORY_LIMIT).withBinds(mounts))
                .withTmpFs(Map.of("/tmp", "rw,exec,size=256m"))
                .withEnv(env)
                .withLogConsumer(logFile(name));
        started.add(container);
        return container;
    }

    private static void requireManifestVariables(Map<String, String> env, List<String> manifest) {
        if (!new java.util.HashSet<>(manifest).equals(env.keySet())) {
            throw new IllegalStateException("the test configures " + env.keySet() + " but the manifests " + manifest);
        }
    }

    private static Bind bind(Path hostFile, String containerPath) {
        return new Bind(hostFile.toAbsolutePath().toString(), new Volume(containerPath), AccessMode.ro);
    }

    URI membershipUrl() {
        return URI.create("https://localhost:" + membership.getMappedPort(7054));
    }

    MembershipAdmin admin() {
        return admin;
    }

    /** An admin of the orderer organization: its TLS certificate is accepted by the participation API. */
    MembershipAdmin.TlsIdentity ordererAdmin() {
        return ordererAdmin;
    }

    Map<String, GenericContainer<?>> orderers() {
        return orderers;
    }

    X509Certificate root() {
        return admin.root();
    }

    /** Stops one orderer container (SIGTERM, then Docker's grace period; Testcontainers removes it). */
    void stopOrderer(String name) {
        GenericContainer<?> orderer = orderers.remove(name);
        orderer.stop();
        started.remove(orderer);
    }

    private static Path logDirectory() {
        return Path.of(System.getProperty("charter.deploy.directory", "."), "target", "network-logs").toAbsolutePath();
    }

    private static Consumer<OutputFrame> logFile(String name) {
        Path directory = logDirectory();
        return frame -> {
            try {
                Files.createDirectories(directory);
                try (OutputStream out = Files.newOutputStream(directory.resolve(name + ".log"), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
                    out.write(frame.getBytes() == null ? new byte[0] : frame.getBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (GenericContainer<?> container : List.copyOf(started).reversed()) {
            try {
                container.stop();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        started.clear();
        for (String volume : volumes) {
            try {
                DockerClientFactory.instance().client().removeVolumeCmd(volume).exec();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        try {
            network.close();
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        try (var paths = Files.walk(files)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            failure = failure == null ? new UncheckedIOException(e) : failure;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
