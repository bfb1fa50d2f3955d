package io.charter.orderer.administration;

import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.admin.AdminCaller;
import io.charter.common.config.ChannelConfigs;
import io.charter.common.config.ChannelTrust;
import io.charter.common.identity.ValidationResult;
import io.charter.common.logging.LogLevels;
import io.charter.common.logging.LogSpec;
import io.charter.common.logging.LogSpecException;
import io.charter.common.logging.LogbackLevels;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.orderer.access.ChannelTrusts;
import io.charter.orderer.channel.ChannelInfo;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.channel.OrderingNode;
import io.charter.orderer.consensus.RaftIds;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orderer's channel participation operations, for the REST API and the transport alike, so the rules live in
 * one place. Who may: an ADMIN of an organization of the channel, checked with the channel's {@link ChannelTrust}
 * (its TLS and signing CAs and CRLs); for a join, of the genesis block's configuration. The TLS certificate of the
 * connection and, for a signed transport request, the signing certificate must both be valid ADMIN identities of
 * that organization and name the same subject. Every check runs before anything is written; a refusal leaves no
 * channel behind.
 */
public final class OrdererAdministration {

    private static final Logger LOG = LoggerFactory.getLogger(OrdererAdministration.class);

    /** The largest genesis block accepted. */
    public static final int MAX_GENESIS_BYTES = 8 * 1024 * 1024;

    /** How the orderer joins a channel from a checked genesis block (the server: node, trust, metrics). */
    @FunctionalInterface
    public interface ChannelJoiner {
        ChannelOrderer join(Block genesis) throws IOException;
    }

    /** How the orderer leaves a channel (the server: node, trust, metrics). */
    @FunctionalInterface
    public interface ChannelLeaver {
        /** @throws IllegalArgumentException when the channel is not joined (left meanwhile) */
        void leave(String channelId, boolean removeData) throws IOException;
    }

    private final OrderingNode node;
    private final ChannelTrusts trusts;
    private final ChannelJoiner joiner;
    private final ChannelLeaver leaver;
    private final String organization;
    private final Optional<LogLevels> logLevels;

    /**
     * @param organization the orderer's own organization (MSP id): only its admins make the orderer join a channel
     */
    public OrdererAdministration(OrderingNode node, ChannelTrusts trusts, ChannelJoiner joiner, ChannelLeaver leaver,
            String organization) {
        this(node, trusts, joiner, leaver, organization, LogbackLevels.ofProcess());
    }

    public OrdererAdministration(OrderingNode node, ChannelTrusts trusts, ChannelJoiner joiner, ChannelLeaver leaver,
            String organization, Optional<LogLevels> logLevels) {
        this.node = node;
        this.trusts = trusts;
        this.joiner = joiner;
        this.leaver = leaver;
        this.organization = organization;
        this.logLevels = logLevels;
    }

    /** A joined channel, and whether it was joined (with the same genesis block) before this request. */
    public record Join(ChannelInfo channel, boolean alreadyJoined) {}

    /** A genesis block checked, and its caller authorized, but not joined yet. */
    public record CheckedJoin(AdminCaller caller, Block genesis, String channelId) {}

    /**
     * Joins the channel of a genesis block; idempotent for the same block.
     *
     * @throws AdminRefusedException see {@link #check} and {@link #join(CheckedJoin)}; nothing is joined then
     */
    public Join join(AdminCaller caller, byte[] genesisBytes) {
        return join(check(caller, genesisBytes));
    }

    /**
     * Checks a join request without joining: the caller is an admin of the orderer's own organization, the
     * block is a genesis block of a channel this orderer is a consenter of, and the caller an admin of that
     * organization in the channel's configuration. An admin of another organization of the channel may not make
     * this orderer take on a channel (as in Fabric, where only the orderer's operator uses its participation API).
     *
     * @throws AdminRefusedException NOT_ADMIN, NOT_ORDERER_ADMIN, ORGANIZATION_NOT_IN_CHANNEL, CREATOR_MISMATCH,
     *     TOO_LARGE, NOT_A_GENESIS_BLOCK, NOT_A_CONSENTER
     */
    public CheckedJoin check(AdminCaller caller, byte[] genesisBytes) {
        SubjectName admin = requireAdminSubjects(caller);
        if (!admin.organization().equals(organization)) {
            throw new AdminRefusedException(AdminRefusal.NOT_ORDERER_ADMIN, "only admins of " + organization
                    + " make this orderer join channels; the caller is an admin of " + admin.organization());
        }
        if (genesisBytes.length > MAX_GENESIS_BYTES) {
            throw new AdminRefusedException(AdminRefusal.TOO_LARGE, "the genesis block has " + genesisBytes.length
                    + " bytes; this orderer accepts at most " + MAX_GENESIS_BYTES);
        }
        Block genesis;
        ChannelConfig config;
        ChannelTrust trust;
        try {
            genesis = Block.parseFrom(genesisBytes);
            if (!genesis.hasHeader() || genesis.getHeader().getNumber() != 0) {
                throw new IllegalArgumentException("block " + genesis.getHeader().getNumber()
                        + " is not a genesis block: give the channel's block 0");
            }
            config = ChannelConfigs.of(genesis);
            trust = ChannelTrust.of(config);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new AdminRefusedException(AdminRefusal.NOT_A_GENESIS_BLOCK, "not a genesis config block: " + e.getMessage());
        }
        requireAdmin(trust, caller);
        if (config.getOrderer().getConsentersList().stream()
                .noneMatch(c -> RaftIds.memberId(c.getEndpoint()).equals(node.memberId()))) {
            throw new AdminRefusedException(AdminRefusal.NOT_A_CONSENTER, "channel " + config.getChannelId()
                    + " does not list this orderer (" + node.memberId() + ") among its consenters: join its consenters");
        }
        return new CheckedJoin(caller, genesis, config.getChannelId());
    }

    /**
     * Joins a checked channel; the same genesis block again is {@code alreadyJoined}.
     *
     * @throws AdminRefusedException ALREADY_JOINED (from another genesis block), NOT_A_GENESIS_BLOCK, JOIN_FAILED
     */
    public Join join(CheckedJoin checked) {
        Optional<ChannelOrderer> joined = node.channel(checked.channelId());
        if (joined.isPresent()) {
            return new Join(info(checked.channelId()), sameGenesis(joined.get(), checked.genesis()));
        }
        ChannelOrderer channel;
        try {
            channel = joiner.join(checked.genesis());
        } catch (IllegalStateException e) {
            ChannelOrderer now = node.channel(checked.channelId()).orElseThrow(() -> e);
            return new Join(info(now.channelId()), sameGenesis(now, checked.genesis()));
        } catch (IllegalArgumentException e) {
            throw new AdminRefusedException(AdminRefusal.NOT_A_GENESIS_BLOCK, e.getMessage());
        } catch (IOException e) {
            throw new AdminRefusedException(AdminRefusal.JOIN_FAILED, "cannot join channel " + checked.channelId()
                    + ": " + e.getMessage());
        }
        LOG.info("joined channel {} at the request of {}", channel.channelId(),
                checked.caller().tls().getSubjectX500Principal());
        return new Join(info(channel.channelId()), false);
    }

    /** A leave checked, and its caller authorized, but not done yet. */
    public record CheckedLeave(AdminCaller caller, String channelId) {}

    /** A left channel: its height here when left, and whether its blocks were deleted. */
    public record Leave(String channelId, long height, boolean dataRemoved) {}

    /**
     * Checks a leave request without leaving: the caller is an admin of the orderer's own organization (taking the
     * orderer off a channel is its operator's decision, as joining it is), the channel is joined, and the caller is
     * an admin of that organization in the channel's configuration.
     *
     * @throws AdminRefusedException NOT_ADMIN, CREATOR_MISMATCH, NOT_ORDERER_ADMIN, NOT_JOINED,
     *     ORGANIZATION_NOT_IN_CHANNEL
     */
    public CheckedLeave checkLeave(AdminCaller caller, String channelId) {
        SubjectName admin = requireAdminSubjects(caller);
        if (!admin.organization().equals(organization)) {
            throw new AdminRefusedException(AdminRefusal.NOT_ORDERER_ADMIN, "only admins of " + organization
                    + " take this orderer off a channel; the caller is an admin of " + admin.organization());
        }
        ChannelOrderer channel = node.channel(channelId).orElseThrow(() -> notJoined(channelId));
        requireAdmin(trusts.of(channel.config()), caller);
        return new CheckedLeave(caller, channelId);
    }

    /**
     * Leaves a checked channel without stopping the orderer: its Raft group stops here and its Raft log is deleted;
     * its blocks are kept aside (a join with the same genesis block takes them back) unless {@code removeData}. A
     * restart does not rejoin it.
     *
     * @throws AdminRefusedException NOT_JOINED (left meanwhile), LEAVE_FAILED
     */
    public Leave leave(CheckedLeave checked, boolean removeData) {
        String channelId = checked.channelId();
        long height = node.channel(channelId).orElseThrow(() -> notJoined(channelId)).height();
        try {
            leaver.leave(channelId, removeData);
        } catch (IllegalArgumentException e) {
            throw notJoined(channelId);
        } catch (IOException e) {
            throw new AdminRefusedException(AdminRefusal.LEAVE_FAILED, "cannot leave channel " + channelId + ": "
                    + e.getMessage());
        }
        LOG.info("left channel {} at height {}{} at the request of {}", channelId, height,
                removeData ? ", its blocks deleted," : "", checked.caller().tls().getSubjectX500Principal());
        return new Leave(channelId, height, removeData);
    }

    private AdminRefusedException notJoined(String channelId) {
        return new AdminRefusedException(AdminRefusal.NOT_JOINED, "this orderer (" + node.memberId()
                + ") has not joined channel '" + channelId + "'");
    }

    /**
     * The joined channels of which the caller is an admin.
     *
     * @throws AdminRefusedException NOT_ADMIN when the caller is no admin at all, CREATOR_MISMATCH
     */
    public List<ChannelInfo> channels(AdminCaller caller) {
        requireAdminSubjects(caller);
        List<ChannelInfo> channels = new ArrayList<>();
        for (ChannelInfo info : node.channels()) {
            Optional<ChannelOrderer> channel = node.channel(info.channelId());
            if (channel.isPresent() && isAdmin(trusts.of(channel.get().config()), caller)) {
                channels.add(info);
            }
        }
        return channels;
    }

    /**
     * The log levels of the orderer's process, read ({@code spec} empty) or replaced (Fabric's {@code /logspec}), for
     * admins of the orderer's own organization only: they run its process. Changes are logged with the admin.
     *
     * @throws AdminRefusedException NOT_ADMIN, CREATOR_MISMATCH, NOT_ORDERER_ADMIN; INVALID_LOG_SPEC (the levels
     *     unchanged); LOG_LEVELS_UNAVAILABLE
     */
    public LogSpec logSpec(AdminCaller caller, Optional<String> spec) {
        SubjectName admin = requireAdminSubjects(caller);
        if (!admin.organization().equals(organization)) {
            throw new AdminRefusedException(AdminRefusal.NOT_ORDERER_ADMIN, "only admins of " + organization
                    + " read or change this orderer's log levels; the caller is an admin of " + admin.organization());
        }
        LogLevels levels = logLevels.orElseThrow(() -> new AdminRefusedException(AdminRefusal.LOG_LEVELS_UNAVAILABLE,
                "this orderer's process does not log through Logback, so its levels cannot be changed at run time"));
        LogSpec applied;
        try {
            applied = levels.readOrApply(spec);
        } catch (LogSpecException e) {
            throw new AdminRefusedException(AdminRefusal.INVALID_LOG_SPEC, e.getMessage());
        }
        if (spec.isEmpty()) {
            return applied;
        }
        LOG.warn("log levels set to '{}' at the request of {}", applied, caller.tls().getSubjectX500Principal());
        return applied;
    }

    /**
     * Checks that the caller is an admin of an organization of a joined channel (REST show, raft, remove).
     *
     * @throws AdminRefusedException NOT_ADMIN, ORGANIZATION_NOT_IN_CHANNEL, CREATOR_MISMATCH
     */
    public void requireAdmin(ChannelOrderer channel, AdminCaller caller) {
        requireAdminSubjects(caller);
        requireAdmin(trusts.of(channel.config()), caller);
    }

    /**
     * Checks that the caller's certificates have the ADMIN role and name the same subject, before anything else
     * is looked up (the REST API's first check).
     *
     * @throws AdminRefusedException NOT_ADMIN, CREATOR_MISMATCH
     */
    public void requireAdminRole(AdminCaller caller) {
        requireAdminSubjects(caller);
    }

    /**
     * Checks that the caller is an admin of the orderer's own organization, valid in a joined channel's
     * configuration: taking the orderer off a channel is its operator's decision, as joining it is.
     *
     * @throws AdminRefusedException NOT_ADMIN, NOT_ORDERER_ADMIN, ORGANIZATION_NOT_IN_CHANNEL, CREATOR_MISMATCH
     */
    public void requireOrdererAdmin(ChannelOrderer channel, AdminCaller caller) {
        SubjectName admin = requireAdminSubjects(caller);
        if (!admin.organization().equals(organization)) {
            throw new AdminRefusedException(AdminRefusal.NOT_ORDERER_ADMIN, "only admins of " + organization
                    + " take this orderer off a channel; the caller is an admin of " + admin.organization());
        }
        requireAdmin(trusts.of(channel.config()), caller);
    }

    private boolean isAdmin(ChannelTrust trust, AdminCaller caller) {
        try {
            requireAdmin(trust, caller);
            return true;
        } catch (AdminRefusedException e) {
            return false;
        }
    }

    private static void requireAdmin(ChannelTrust trust, AdminCaller caller) {
        String mspId = SubjectName.from(caller.tls()).map(SubjectName::organization).orElse("");
        if (!trust.registry().mspIds().contains(mspId)) {
            throw new AdminRefusedException(AdminRefusal.ORGANIZATION_NOT_IN_CHANNEL, "channel " + trust.channelId()
                    + " has no organization " + mspId + ": act as an admin of one of " + trust.registry().mspIds());
        }
        if (trust.validateAdmin(caller.tls()) instanceof ValidationResult.Rejected rejected) {
            throw new AdminRefusedException(AdminRefusal.NOT_ADMIN, "the TLS certificate is not an admin of " + mspId
                    + " in channel " + trust.channelId() + ": " + rejected);
        }
        if (caller.signer().isPresent()
                && trust.validateAdminSigner(caller.signer().get()) instanceof ValidationResult.Rejected rejected) {
            throw new AdminRefusedException(AdminRefusal.NOT_ADMIN, "the signing certificate is not an admin of " + mspId
                    + " in channel " + trust.channelId() + ": " + rejected);
        }
    }

    /** The certificates' subjects: ADMIN role, and signer and TLS certificate of the same organization and name. */
    /** Returns the admin's subject (its TLS certificate's), the same as its signer's. */
    private static SubjectName requireAdminSubjects(AdminCaller caller) {
        SubjectName tls = adminSubject(caller.tls(), "TLS certificate");
        if (caller.signer().isPresent()) {
            SubjectName signer = adminSubject(caller.signer().get(), "signing certificate");
            if (!signer.commonName().equals(tls.commonName()) || !signer.organization().equals(tls.organization())) {
                throw new AdminRefusedException(AdminRefusal.CREATOR_MISMATCH, "the request is signed by "
                        + signer.commonName() + " of " + signer.organization() + " but the connection's TLS certificate is "
                        + tls.commonName() + "'s of " + tls.organization()
                        + ": sign with the identity whose TLS certificate you connect with");
            }
        }
        return tls;
    }

    private static SubjectName adminSubject(X509Certificate certificate, String what) {
        SubjectName subject = SubjectName.from(certificate).orElseThrow(() -> new AdminRefusedException(
                AdminRefusal.NOT_ADMIN, "the " + what + " has no usable subject (organization and role)"));
        if (subject.role().filter(Role.ADMIN::equals).isEmpty()) {
            throw new AdminRefusedException(AdminRefusal.NOT_ADMIN, "the " + what + " of " + subject.commonName()
                    + " is not an ADMIN of " + subject.organization() + " (role "
                    + subject.role().map(Role::name).orElse("none") + "): act as an admin of an organization of the channel");
        }
        return subject;
    }

    private ChannelInfo info(String channelId) {
        return node.channels().stream().filter(c -> c.channelId().equals(channelId)).findFirst()
                .orElseThrow(() -> new AdminRefusedException(AdminRefusal.JOIN_FAILED, "channel " + channelId
                        + " was left while being joined"));
    }

    /** True when the channel's block 0 is {@code genesis}; a refusal when it is another channel of the same id. */
    private static boolean sameGenesis(ChannelOrderer channel, Block genesis) {
        boolean same;
        try {
            same = channel.block(0).equals(genesis);
        } catch (IOException e) {
            throw new AdminRefusedException(AdminRefusal.JOIN_FAILED, "cannot read block 0 of channel "
                    + channel.channelId() + ": " + e.getMessage());
        }
        if (!same) {
            throw new AdminRefusedException(AdminRefusal.ALREADY_JOINED, "this orderer has joined channel "
                    + channel.channelId() + " from another genesis block");
        }
        return true;
    }
}
