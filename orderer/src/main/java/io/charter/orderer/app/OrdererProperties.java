package io.charter.orderer.app;

import io.charter.shell.MembershipProperties;
import io.charter.shell.PemIdentity;
import io.charter.shell.TlsFiles;
import io.charter.shell.TransportLimitsProperties;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything the orderer is configured with, under {@code charter.orderer} (docs/orderer.md lists every
 * key with its default; Spring's relaxed binding maps each to an environment variable, e.g.
 * {@code charter.orderer.cluster.port} to {@code CHARTER_ORDERER_CLUSTER_PORT}).
 *
 * @param dataDir Ratis logs and snapshots ({@code raft/}) and block stores ({@code channels/})
 * @param mspId the orderer's organization
 * @param signing the orderer's signing identity (signs blocks)
 * @param tls the orderer's TLS identity (transport, Raft and admin HTTPS) and the TLS roots it trusts
 *     before any channel is joined (the consortium root)
 * @param transport where the Netty transport (broadcast, deliver) listens
 * @param cluster where Raft (Ratis over gRPC with mutual TLS) listens; must equal this orderer's
 *     consenter endpoint in the channels' configurations
 * @param membership the membership service (off unless {@code url} is set); the host registered for the transport
 *     endpoint defaults to the cluster host
 */
@ConfigurationProperties("charter.orderer")
public record OrdererProperties(
        @DefaultValue("data/orderer") Path dataDir,
        @DefaultValue("OrdererOrg") String mspId,
        @DefaultValue PemIdentity signing,
        @DefaultValue TlsFiles tls,
        @DefaultValue Listen transport,
        @DefaultValue Cluster cluster,
        @DefaultValue Raft raft,
        @DefaultValue BlockStore blockStore,
        @DefaultValue Channel channel,
        @DefaultValue Readiness readiness,
        @DefaultValue MembershipProperties membership) {

    /** Where the orderer's properties are, as the errors about them say. */
    public static final String PREFIX = "charter.orderer";

    /** Where the transport listens, and its limits ({@code charter.orderer.transport.limits.*}). */
    public record Listen(@DefaultValue("0.0.0.0") String host, @DefaultValue("7050") int port,
            @DefaultValue TransportLimitsProperties limits) {}

    /** {@code host} is both the bind address and the address in the consenter endpoint. */
    public record Cluster(@DefaultValue("127.0.0.1") String host, @DefaultValue("7051") int port) {}

    public record Raft(
            @DefaultValue("1s") Duration electionTimeoutMin,
            @DefaultValue("2s") Duration electionTimeoutMax,
            @DefaultValue("10s") Duration requestTimeout,
            @DefaultValue("10000") long snapshotEveryEntries,
            @DefaultValue("8MB") DataSize logSegmentMaxSize,
            @DefaultValue("1024") int purgeGap) {}

    public record BlockStore(@DefaultValue("64MB") DataSize segmentSize, @DefaultValue("true") boolean fsync) {}

    /** @param commitTimeout how long a broadcast waits for its block before answering COMMIT_TIMEOUT */
    public record Channel(@DefaultValue("30s") Duration commitTimeout, @DefaultValue("200000") int recentTxIds) {}

    /** @param maxLag ready when every channel has a leader and has applied the committed log up to this many entries */
    public record Readiness(@DefaultValue("16") long maxLag) {}
}
