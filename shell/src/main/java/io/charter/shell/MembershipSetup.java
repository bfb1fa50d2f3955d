package io.charter.shell;

import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.NodeBootstrap;
import io.charter.common.membership.NodeRequests;
import io.charter.common.pki.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The membership service's client and the node's enrolled identity, when the node's {@code membership.url} is set:
 * what a shell's membership beans hold, from enrollment on first start to heartbeats (common's {@link NodeBootstrap},
 * shared by orderers and peers).
 */
public record MembershipSetup(MembershipClient client, NodeBootstrap.Membership membership,
                              NodeBootstrap.Settings settings, NodeBootstrap.Identity identity) {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipSetup.class);

    /**
     * Enrolls on first start (or loads the identity stored under {@code dataDir}).
     *
     * @param prefix the node's properties ({@code charter.orderer}), named in the errors
     * @param roots the node's trusted TLS roots: the first (the consortium root) is the service's trust anchor
     * @param endpoint where the node's transport is reached, as registered in the index
     */
    public static MembershipSetup enroll(String prefix, Role role, String mspId, MembershipProperties properties,
            List<X509Certificate> roots, Path dataDir, NodeRequests.Endpoint endpoint) throws IOException {
        if (roots.isEmpty()) {
            throw new IllegalStateException(prefix + ".tls.trusted-roots (the consortium root) is required with "
                    + prefix + ".membership.url");
        }
        String enrollmentId = properties.enrollmentId();
        if (enrollmentId == null || enrollmentId.isBlank()) {
            throw new IllegalStateException(prefix + ".membership.enrollment-id is required");
        }
        MembershipClient client = new MembershipClient(properties.url(), roots.getFirst());
        NodeBootstrap.Membership membership = NodeBootstrap.Membership.of(client);
        NodeBootstrap.Settings settings = new NodeBootstrap.Settings(role, mspId, enrollmentId,
                properties.enrollmentSecret() == null ? "" : properties.enrollmentSecret(),
                properties.nodeId() != null ? properties.nodeId() : enrollmentId, dataDir, properties.tlsHosts(),
                List.of(endpoint));
        return new MembershipSetup(client, membership, settings, NodeBootstrap.enrollOrLoad(membership, settings));
    }

    /**
     * Registers in the index (a failure is retried by the heartbeats) and starts heartbeats, CRL refreshes and
     * renewal. A renewed identity ends the application with {@link NodeBootstrap#RESTART_EXIT_CODE}: what the node
     * built from its identity at start (TLS, signer) keeps the previous one, so the renewed identity is taken into
     * use by a restart, which loads it from the data directory.
     */
    public NodeBootstrap start(String prefix, Double renewAt, NodeBootstrap.CrlTarget crls,
            Supplier<Map<String, Long>> channelHeights, ConfigurableApplicationContext context) {
        NodeBootstrap bootstrap = new NodeBootstrap(membership, settings, identity,
                NodeBootstrap.Renewal.fromProperty(renewAt, prefix + ".membership.renew-at"), crls, channelHeights,
                Clock.systemUTC());
        try {
            bootstrap.register();
        } catch (RuntimeException e) {
            LOG.warn("registering with the membership service failed; retrying with the heartbeats: {}", e.getMessage());
        }
        bootstrap.onRenewed(renewed -> NodeBootstrap.exitForRestart(
                () -> SpringApplication.exit(context, () -> NodeBootstrap.RESTART_EXIT_CODE)));
        bootstrap.start();
        return bootstrap;
    }
}
