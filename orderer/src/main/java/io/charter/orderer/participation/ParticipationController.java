package io.charter.orderer.participation;

import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.admin.AdminCaller;
import io.charter.orderer.administration.AdminRefusal;
import io.charter.orderer.administration.AdminRefusedException;
import io.charter.orderer.administration.OrdererAdministration;
import io.charter.orderer.channel.ChannelInfo;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.consensus.RaftStatus;
import io.charter.orderer.service.OrdererServer;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The channel participation API, like Fabric's {@code /participation/v1/channels}, on the admin
 * HTTPS listener (client certificate required). Every call is made by an admin: the caller's TLS
 * client certificate must be a valid identity with the ADMIN role of an organization of the channel
 * (for a join and a removal: of the orderer's own organization, in the channel's configuration), checked
 * with the channel's TLS CAs and CRLs.
 * Listing shows the channels whose admin the caller is.
 */
@RestController
@RequestMapping("/participation/v1/channels")
public class ParticipationController {

    private static final Logger LOG = LoggerFactory.getLogger(ParticipationController.class);
    static final String CLIENT_CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final OrdererServer server;

    public ParticipationController(OrdererServer server) {
        this.server = server;
    }

    /** One channel as listed and shown. */
    public record ChannelView(String name, String status, String consensusRelation, long height, String leader,
                              String role) {}

    public record ChannelList(List<ChannelView> channels) {}

    public record RaftView(String channel, String self, String role, String leader, long term, long commitIndex,
                           long lastAppliedIndex, long height, List<RaftStatus.Member> members) {}

    /** A refusal: the HTTP status's name, the stable code (an {@link AdminRefusal} name, or the status's) and why. */
    public record ErrorView(String error, String code, String message) {}

    /** Thrown for a refused call; mapped to its HTTP status. */
    static final class ApiException extends RuntimeException {
        final HttpStatus status;
        final String code;

        ApiException(HttpStatus status, String message) {
            super(message);
            this.status = status;
            this.code = status.name();
        }

        ApiException(AdminRefusedException refusal) {
            super(refusal.getMessage(), refusal);
            this.status = HttpStatus.valueOf(refusal.refusal().httpStatus());
            this.code = refusal.refusal().name();
        }
    }

    /**
     * Joins the channel of a genesis block through {@link OrdererAdministration} (the rules the transport's
     * {@code orderer.JoinChannel} applies): 201 Created when joined, 200 OK when joined before with the same block.
     */
    @PostMapping(consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<ChannelView> join(@RequestBody byte[] body, HttpServletRequest request) {
        AdminCaller caller = AdminCaller.tlsOnly(caller(request));
        OrdererAdministration.Join join;
        try {
            join = server.administration().join(caller, body);
        } catch (AdminRefusedException e) {
            throw new ApiException(e);
        }
        return ResponseEntity.status(join.alreadyJoined() ? HttpStatus.OK : HttpStatus.CREATED)
                .header("Location", "/participation/v1/channels/" + join.channel().channelId())
                .body(view(join.channel()));
    }

    @GetMapping
    public ChannelList list(HttpServletRequest request) {
        X509Certificate caller = caller(request);
        List<ChannelView> views = new ArrayList<>();
        for (ChannelInfo info : server.channels()) {
            Optional<ChannelOrderer> channel = server.node().channel(info.channelId());
            if (channel.isPresent() && isAdmin(channel.get(), caller)) {
                views.add(view(info));
            }
        }
        if (views.isEmpty()) {
            // admin of no joined channel: only an admin certificate (trusted by TLS) may learn that there is none
            boolean adminSubject = SubjectName.from(caller).flatMap(SubjectName::role).filter(Role.ADMIN::equals).isPresent();
            if (!adminSubject || !server.channels().isEmpty()) {
                throw new ApiException(HttpStatus.FORBIDDEN, "the client certificate is not an admin of any channel of this orderer");
            }
        }
        return new ChannelList(views);
    }

    @GetMapping("/{channel}")
    public ChannelView show(@PathVariable String channel, HttpServletRequest request) {
        authorize(channel, request);
        return view(channel);
    }

    @DeleteMapping("/{channel}")
    public ResponseEntity<Void> remove(@PathVariable String channel, HttpServletRequest request) throws IOException {
        X509Certificate caller = requireAdminRole(request);
        ChannelOrderer joined = server.node().channel(channel)
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "not a member of channel " + channel));
        try {
            server.administration().requireOrdererAdmin(joined, AdminCaller.tlsOnly(caller));
        } catch (AdminRefusedException e) {
            throw new ApiException(e);
        }
        server.remove(channel);
        LOG.info("left channel {} at the request of {}", channel, caller.getSubjectX500Principal());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{channel}/raft")
    public RaftView raft(@PathVariable String channel, HttpServletRequest request) {
        authorize(channel, request);
        RaftStatus status = server.node().channel(channel).orElseThrow().raftStatus();
        return new RaftView(channel, status.self(), status.role(), status.leader(), status.term(), status.commitIndex(),
                status.lastAppliedIndex(), status.height(), status.members());
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ErrorView> refused(ApiException e) {
        return ResponseEntity.status(e.status).body(new ErrorView(e.status.name(), e.code, e.getMessage()));
    }

    /** The caller, once its certificate has the ADMIN role: checked before a channel is looked up, so non-admins learn nothing. */
    private X509Certificate requireAdminRole(HttpServletRequest request) {
        X509Certificate caller = caller(request);
        try {
            server.administration().requireAdminRole(AdminCaller.tlsOnly(caller));
        } catch (AdminRefusedException e) {
            throw new ApiException(e);
        }
        return caller;
    }

    private X509Certificate authorize(String channelId, HttpServletRequest request) {
        X509Certificate caller = requireAdminRole(request);
        ChannelOrderer channel = server.node().channel(channelId)
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "not a member of channel " + channelId));
        try {
            server.administration().requireAdmin(channel, AdminCaller.tlsOnly(caller));
        } catch (AdminRefusedException e) {
            throw new ApiException(e);
        }
        return caller;
    }

    private boolean isAdmin(ChannelOrderer channel, X509Certificate caller) {
        try {
            server.administration().requireAdmin(channel, AdminCaller.tlsOnly(caller));
            return true;
        } catch (AdminRefusedException e) {
            return false;
        }
    }

    static X509Certificate caller(HttpServletRequest request) {
        if (request.getAttribute(CLIENT_CERTIFICATES) instanceof X509Certificate[] chain && chain.length > 0) {
            return chain[0];
        }
        throw new ApiException(HttpStatus.UNAUTHORIZED, "a TLS client certificate is required");
    }

    private ChannelView view(String channelId) {
        return server.channels().stream().filter(c -> c.channelId().equals(channelId)).findFirst().map(this::view)
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "not a member of channel " + channelId));
    }

    private ChannelView view(ChannelInfo info) {
        String status = info.leader().isEmpty() ? "inactive" : "active";
        String relation = "LEADER".equals(info.role()) || "FOLLOWER".equals(info.role()) || "CANDIDATE".equals(info.role())
                ? "consenter" : info.role().toLowerCase(java.util.Locale.ROOT);
        return new ChannelView(info.channelId(), status, relation, info.height(), info.leader(), info.role());
    }

}
