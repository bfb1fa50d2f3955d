package io.charter.membership.api;

import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.Role;
import io.charter.membership.Caller;
import io.charter.membership.MembershipCore;
import io.charter.membership.index.LeaderLease;
import io.charter.membership.index.NodeState;
import io.charter.membership.index.NodeView;
import io.charter.membership.organization.OrganizationInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The consortium in one answer, as the network map page ({@code /map/}) draws it: organizations, their nodes
 * by role with state, endpoints, heights per channel, the leader leases they hold and their certificates'
 * expiry. Authenticated like the rest of the API (a certificate: mTLS or a signed token).
 */
@RestController
@Tag(name = "network map", description = "The consortium's organizations, nodes, leaders, heights and expiring certificates")
public class NetworkMapController {

    private final MembershipCore core;
    private final Clock clock;

    public NetworkMapController(MembershipCore core, Clock clock) {
        this.core = core;
        this.clock = clock;
    }

    @Schema(description = "A node certificate's expiry; expiring when it ends within the warning window")
    public record CertificateExpiry(String profile, String serial, Instant notAfter, long daysLeft, boolean expiring) {}

    @Schema(description = "A registered node as the map draws it")
    public record MapNode(String nodeId, String mspId, String role, String state, List<String> endpoints,
                          boolean anchor, Instant lastHeartbeat, Map<String, Long> heights, List<String> leaderOf,
                          List<CertificateExpiry> certificates) {}

    @Schema(description = "A channel some node serves, with the highest height a node reports for it")
    public record MapChannel(String name, long height) {}

    @Schema(description = "An organization with its registered nodes (none for an organization without nodes)")
    public record MapOrganization(String mspId, boolean consortium, List<MapNode> nodes) {}

    @Schema(description = "The whole map: expiryWarningDays is the window (index.expiry-warning) in which a"
            + " certificate counts as expiring")
    public record NetworkMapResponse(Instant generatedAt, long expiryWarningDays, List<MapChannel> channels,
                                     List<MapOrganization> organizations) {}

    @GetMapping("/api/v1/network-map")
    @Operation(summary = "The consortium as the network map draws it: organizations, nodes by role, state, heights,"
            + " leaders and certificate expiry")
    public NetworkMapResponse map(Caller caller) {
        Instant now = clock.instant();
        Duration warning = core.settings().expiryWarning();
        List<NodeView> nodes = core.index().nodes(caller);
        Map<String, List<String>> leaderOf = new TreeMap<>();
        for (LeaderLease lease : core.index().leases(caller)) {
            leaderOf.computeIfAbsent(lease.holder(), k -> new ArrayList<>()).add(lease.channel());
        }
        Map<String, Long> channelHeights = new TreeMap<>();
        Map<String, List<MapNode>> byOrganization = new TreeMap<>();
        for (NodeView node : nodes) {
            node.channelHeights().forEach((channel, height) -> channelHeights.merge(channel, height, Math::max));
            // A DOWN node's lease is not leadership: discovery answers no leader for it either.
            List<String> leads = node.state() == NodeState.UP ? leaderOf.getOrDefault(node.nodeId(), List.of()) : List.of();
            byOrganization.computeIfAbsent(node.mspId(), k -> new ArrayList<>()).add(new MapNode(
                    node.nodeId(), node.mspId(), node.role().label(), node.state().name(),
                    node.endpoints().stream().map(e -> e.host() + ":" + e.port()).toList(), node.anchor(),
                    node.lastHeartbeat(), new TreeMap<>(node.channelHeights()), leads,
                    List.of(expiry(CertificatePurpose.SIGNING, node.signingCertificate(), now, warning),
                            expiry(CertificatePurpose.TLS, node.tlsCertificate(), now, warning))));
        }
        byOrganization.values().forEach(list -> list.sort(Comparator.comparing((MapNode n) -> roleOrder(n.role()))
                .thenComparing(MapNode::nodeId)));
        TreeSet<String> mspIds = new TreeSet<>(byOrganization.keySet());
        List<MapOrganization> organizations = new ArrayList<>();
        for (OrganizationInfo organization : core.organizations().list(caller)) {
            mspIds.remove(organization.mspId());
            organizations.add(new MapOrganization(organization.mspId(), organization.consortium(),
                    byOrganization.getOrDefault(organization.mspId(), List.of())));
        }
        for (String mspId : mspIds) { // nodes of an organization deleted since (not possible today; never hide a node)
            organizations.add(new MapOrganization(mspId, false, byOrganization.get(mspId)));
        }
        return new NetworkMapResponse(now, warning.toDays(),
                channelHeights.entrySet().stream().map(e -> new MapChannel(e.getKey(), e.getValue())).toList(),
                organizations);
    }

    private static int roleOrder(String role) {
        return role.equals(Role.ORDERER.label()) ? 0 : role.equals(Role.PEER.label()) ? 1 : 2;
    }

    private static CertificateExpiry expiry(CertificatePurpose profile, X509Certificate certificate, Instant now,
                                            Duration warning) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        long daysLeft = Math.floorDiv(Duration.between(now, notAfter).toHours(), 24);
        return new CertificateExpiry(Json.label(profile), Json.serial(certificate.getSerialNumber()), notAfter, daysLeft,
                !notAfter.isAfter(now.plus(warning)));
    }
}
