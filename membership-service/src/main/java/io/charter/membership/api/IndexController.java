package io.charter.membership.api;

import io.charter.membership.Caller;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipCore;
import io.charter.membership.MembershipException;
import io.charter.membership.index.ExpiringCertificate;
import io.charter.membership.index.Heartbeat;
import io.charter.membership.index.IndexAnswer;
import io.charter.membership.index.LeaderLease;
import io.charter.membership.index.NodeView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "index", description = "The index server: node registry, heartbeats, discovery, leader leases")
public class IndexController {

    private final MembershipCore core;

    public IndexController(MembershipCore core) {
        this.core = core;
    }

    @Schema(description = "A node's signed index request: the canonical encoding (NodeRegistration.encode() or"
            + " Heartbeat.encode()) and the node signing key's DER ECDSA signature over exactly those bytes, both base64")
    public record SignedIndexRequest(String request, String signature) {}

    @Schema(description = "The answer to a registration or heartbeat; fetch the CRLs anew when crlVersion changes")
    public record IndexAnswerResponse(String nodeId, long crlVersion, long heartbeatIntervalMillis,
                                      long revocationPropagationBoundMillis) {
        static IndexAnswerResponse of(IndexAnswer a) {
            return new IndexAnswerResponse(a.nodeId(), a.crlVersion(), a.heartbeatInterval().toMillis(),
                    a.revocationPropagationBound().toMillis());
        }
    }

    public record EndpointResponse(String host, int port) {}

    @Schema(description = "A node, with its TLS certificate so that a client can open mTLS straight away")
    public record NodeResponse(
            String nodeId, String mspId, String role, List<EndpointResponse> endpoints, Map<String, Long> channelHeights,
            boolean anchor, String signingCertificate, String tlsCertificate, Instant registeredAt,
            Instant lastHeartbeat, String state) {
        static NodeResponse of(NodeView n) {
            return new NodeResponse(n.nodeId(), n.mspId(), n.role().label(),
                    n.endpoints().stream().map(e -> new EndpointResponse(e.host(), e.port())).toList(),
                    n.channelHeights(), n.anchor(), Json.pem(n.signingCertificate()), Json.pem(n.tlsCertificate()),
                    n.registeredAt(), n.lastHeartbeat(), n.state().name());
        }
    }

    public record LeaseResponse(String channel, String mspId, boolean granted, String holder, long term,
                                Instant expiresAt) {
        static LeaseResponse of(LeaderLease l) {
            return new LeaseResponse(l.channel(), l.mspId(), l.granted(), l.holder(), l.term(), l.expiresAt());
        }
    }

    public record ExpiringResponse(String nodeId, String mspId, String profile, String serial, Instant notAfter) {
        static ExpiringResponse of(ExpiringCertificate e) {
            return new ExpiringResponse(e.nodeId(), e.mspId(), Json.label(e.profile()), Json.serial(e.serialNumber()),
                    e.notAfter());
        }
    }

    @PostMapping("/api/v1/nodes")
    @Operation(summary = "Register (or re-register) a node; the request is signed by the node's signing key")
    public IndexAnswerResponse register(@RequestBody SignedIndexRequest request) {
        Signed signed = Signed.of(request);
        return IndexAnswerResponse.of(core.index().register(signed.body, signed.signature));
    }

    @PostMapping("/api/v1/nodes/{nodeId}/heartbeat")
    @Operation(summary = "Renew a node's registration and ledger heights; answers the current CRL version")
    public IndexAnswerResponse heartbeat(@PathVariable String nodeId, @RequestBody SignedIndexRequest request) {
        Signed signed = Signed.of(request);
        Heartbeat heartbeat = Heartbeat.decode(signed.body);
        if (!heartbeat.nodeId().equals(nodeId)) {
            throw Json.invalid("the heartbeat is signed for node '" + heartbeat.nodeId() + "', not '" + nodeId + "'");
        }
        return IndexAnswerResponse.of(core.index().heartbeat(signed.body, signed.signature));
    }

    @GetMapping("/api/v1/nodes")
    @Operation(summary = "All registered nodes with their state (UP or DOWN)")
    public List<NodeResponse> nodes(Caller caller) {
        return core.index().nodes(caller).stream().map(NodeResponse::of).toList();
    }

    @GetMapping("/api/v1/nodes/expiring")
    @Operation(summary = "Registered nodes whose certificates expire within the warning window (default 30 days)")
    public List<ExpiringResponse> expiring(Caller caller) {
        return core.index().expiringCertificates(caller).stream().map(ExpiringResponse::of).toList();
    }

    @GetMapping("/api/v1/nodes/{nodeId}")
    @Operation(summary = "One registered node")
    public NodeResponse node(Caller caller, @PathVariable String nodeId) {
        return NodeResponse.of(core.index().node(caller, nodeId));
    }

    @DeleteMapping("/api/v1/nodes/{nodeId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Evict a node from the index (admins of its organization or consortium admins)")
    public void evict(Caller caller, @PathVariable String nodeId) {
        core.index().evict(caller, nodeId);
    }

    @GetMapping("/api/v1/discovery/channels/{channel}/orderers")
    @Operation(summary = "The UP orderers of a channel")
    public List<NodeResponse> orderers(Caller caller, @PathVariable String channel) {
        return core.index().orderers(caller, channel).stream().map(NodeResponse::of).toList();
    }

    @GetMapping("/api/v1/discovery/channels/{channel}/peers")
    @Operation(summary = "The UP peers of a channel, by organization")
    public Map<String, List<NodeResponse>> peers(Caller caller, @PathVariable String channel) {
        Map<String, List<NodeResponse>> answer = new LinkedHashMap<>();
        core.index().peersByOrganization(caller, channel)
                .forEach((msp, nodes) -> answer.put(msp, nodes.stream().map(NodeResponse::of).toList()));
        return answer;
    }

    @GetMapping("/api/v1/discovery/channels/{channel}/anchors")
    @Operation(summary = "The UP anchor peers of a channel")
    public List<NodeResponse> anchors(Caller caller, @PathVariable String channel) {
        return core.index().anchorPeers(caller, channel).stream().map(NodeResponse::of).toList();
    }

    @GetMapping("/api/v1/discovery/channels/{channel}/organizations/{mspId}/leader")
    @Operation(summary = "The elected leader peer of an organization on a channel (404 NODE_NOT_FOUND when none)")
    public NodeResponse leader(Caller caller, @PathVariable String channel, @PathVariable String mspId) {
        return core.index().leader(caller, channel, mspId).map(NodeResponse::of)
                .orElseThrow(() -> new MembershipException(ErrorCode.NODE_NOT_FOUND,
                        "No UP peer of " + mspId + " holds the leader lease on " + channel));
    }

    @PostMapping("/api/v1/channels/{channel}/leadership")
    @Operation(summary = "Acquire or renew the caller's leader lease for its organization on a channel (peers)")
    public LeaseResponse acquire(Caller caller, @PathVariable String channel) {
        return LeaseResponse.of(core.index().acquireLeadership(caller, channel));
    }

    @DeleteMapping("/api/v1/channels/{channel}/leadership")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Release the caller's leader lease if it holds it")
    public void release(Caller caller, @PathVariable String channel) {
        core.index().releaseLeadership(caller, channel);
    }

    private record Signed(byte[] body, byte[] signature) {
        static Signed of(SignedIndexRequest request) {
            if (request == null || request.request() == null || request.signature() == null) {
                throw new MembershipException(ErrorCode.NODE_REQUEST_MALFORMED, "request and signature are required");
            }
            try {
                return new Signed(Base64.getDecoder().decode(request.request()),
                        Base64.getDecoder().decode(request.signature()));
            } catch (IllegalArgumentException e) {
                throw new MembershipException(ErrorCode.NODE_REQUEST_MALFORMED, "request and signature must be base64");
            }
        }
    }
}
