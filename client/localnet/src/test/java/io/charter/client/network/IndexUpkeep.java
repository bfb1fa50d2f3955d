package io.charter.client.network;

import io.charter.client.cli.network.HostClassPath;
import io.charter.client.wallet.Enroller;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.NodeRequests;
import io.charter.common.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The membership service (its Spring Boot application in its own class loader, as the local network runs it) on the
 * benchmark's embedded PostgreSQL, and the index upkeep each benchmarked peer's shell does at the deployed defaults:
 * registration, a heartbeat every interval the service answers (10 s), discovery of the channel's orderers and
 * organization peers every {@code charter.peer.discovery.refresh-interval} (30 s), and, for a peer that leads, the
 * renewal of its leader lease with each heartbeat (as the local network's host does). The peers of the benchmark keep
 * their test identities on the data path; here each has an identity enrolled from the service, so that the index
 * serves real, authenticated requests. The requests it answered are counted at their callers.
 */
final class IndexUpkeep implements AutoCloseable {

    private static final String ADMIN_SECRET = "scale-bench-admin-secret";

    private final MembershipServiceInstance service;
    private final URI url;
    private final MembershipClient client;
    private final MembershipAdmin admin;
    private final MembershipClient.Credential caller;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2,
            Thread.ofPlatform().daemon().name("bench-index-upkeep").factory());
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Duration discoveryInterval;

    private IndexUpkeep(MembershipServiceInstance service, Duration discoveryInterval) {
        this.service = service;
        this.discoveryInterval = discoveryInterval;
        this.url = URI.create("https://localhost:" + service.port());
        this.client = new MembershipClient(url, service.rootCertificate());
        this.admin = new MembershipAdmin(url, service.rootCertificate());
        WalletIdentity consortiumAdmin = new Enroller(client).enroll("admin", "admin", ADMIN_SECRET, Optional.of(List.of()));
        this.caller = consortiumAdmin.credential();
        for (String mspId : List.of("Org1", "Org2")) {
            if (!admin.organizationExists(caller, mspId)) {
                admin.createOrganization(caller, mspId);
            }
        }
    }

    static IndexUpkeep start(EmbeddedDatabase database, Duration discoveryInterval) throws Exception {
        database.createDatabase("membership");
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("charter.membership.database.url", database.jdbcUrl("membership"));
        properties.put("charter.membership.database.username", "postgres");
        properties.put("charter.membership.database.password", "postgres");
        properties.put("charter.membership.database.maximum-pool-size", "8");
        properties.put("charter.membership.ca.key-passphrase", "scale-bench-passphrase");
        properties.put("charter.membership.ca.key-derivation-iterations", "1000");
        properties.put("charter.membership.bootstrap-admin.secret", ADMIN_SECRET);
        properties.put("charter.membership.bootstrap-admin.max-enrollments", "10");
        properties.put("charter.membership.http.port", Integer.toString(FreePorts.loopback()));
        properties.put("server.address", "127.0.0.1");
        properties.put("spring.jmx.enabled", "false");
        properties.put("spring.main.banner-mode", "off");
        List<String> classPath = new ArrayList<>(HostClassPath.entries());
        // kept off the test class path (see the pom): the service's own classes
        classPath.add(System.getProperty("charter.membership.classes"));
        return new IndexUpkeep(MembershipServiceInstance.start(classPath, properties), discoveryInterval);
    }

    /** One benchmarked peer as the index knows it. */
    final class Node implements AutoCloseable {
        private final String nodeId;
        private final String mspId;
        private final WalletIdentity identity;
        private final List<java.util.concurrent.ScheduledFuture<?>> tasks = new ArrayList<>();

        private Node(String nodeId, String mspId, int port, String channel, LongSupplier height, BooleanSupplier leads) {
            this.nodeId = nodeId;
            this.mspId = mspId;
            var registration = admin.register(caller, nodeId, "peer", mspId, Map.of(), Optional.empty(),
                    List.of("localhost", "127.0.0.1"));
            this.identity = new Enroller(client).enroll(nodeId, nodeId, registration.secret(),
                    Optional.of(List.of("localhost", "127.0.0.1")));
            MembershipClient.IndexAnswer answer = client.registerNode(NodeRequests.registration(nodeId, mspId, "peer",
                    List.of(new NodeRequests.Endpoint("127.0.0.1", port)), Map.of(channel, height.getAsLong()), false,
                    identity.certificate(), identity.tls().orElseThrow().certificate(), Instant.now()), identity.signer());
            long heartbeat = answer.heartbeatInterval().isPositive() ? answer.heartbeatInterval().toMillis() : 10_000;
            // a random phase, as independent peers started at different moments have
            tasks.add(scheduler.scheduleAtFixedRate(() -> count(() -> {
                client.heartbeat(nodeId, NodeRequests.heartbeat(nodeId, mspId, Map.of(channel, height.getAsLong()),
                        Instant.now()), identity.signer());
                if (leads.getAsBoolean()) {
                    answered.incrementAndGet();
                    admin.acquireLeadership(identity.credential(), channel);
                }
            }), ThreadLocalRandom.current().nextLong(heartbeat), heartbeat, TimeUnit.MILLISECONDS));
            long discovery = discoveryInterval.toMillis();
            tasks.add(scheduler.scheduleAtFixedRate(() -> count(() -> {
                client.orderers(channel, identity.credential());
                answered.incrementAndGet();
                client.peers(channel, identity.credential());
            }), ThreadLocalRandom.current().nextLong(discovery), discovery, TimeUnit.MILLISECONDS));
        }

        @Override
        public void close() {
            tasks.forEach(task -> task.cancel(false));
        }
    }

    /** Registers {@code nodeId} (new in the index) and keeps it up until closed. */
    Node node(String nodeId, String mspId, int port, String channel, LongSupplier height, BooleanSupplier leads) {
        answered.incrementAndGet(); // the registration (its enrollment's requests are set-up, not upkeep)
        return new Node(nodeId, mspId, port, channel, height, leads);
    }

    private void count(Runnable calls) {
        try {
            calls.run();
            answered.incrementAndGet();
        } catch (RuntimeException e) {
            failed.incrementAndGet();
        }
    }

    /** Upkeep requests the index answered so far. */
    long answered() {
        return answered.get();
    }

    long failed() {
        return failed.get();
    }

    @Override
    public void close() throws IOException {
        scheduler.shutdownNow();
        client.close();
        service.close();
    }
}
