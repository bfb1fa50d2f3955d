package io.charter.orderer.consensus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The Raft settings of an orderer, turned into Ratis properties.
 *
 * @param electionTimeoutMin lower bound of the randomized election timeout
 * @param electionTimeoutMax upper bound
 * @param requestTimeout how long a Ratis client request (forwarding, block fetch) may take
 * @param snapshotEveryEntries take a snapshot (and purge the log before it) every this many entries
 * @param logSegmentMaxBytes Ratis rolls its log segments at this size; only closed segments are purged
 * @param purgeGap purge the log only when at least this many entries can go
 */
public record RaftSettings(
        Duration electionTimeoutMin,
        Duration electionTimeoutMax,
        Duration requestTimeout,
        long snapshotEveryEntries,
        long logSegmentMaxBytes,
        int purgeGap) {

    /** Production-like defaults: elections after 1-2 s of silence, snapshots every 10,000 blocks. */
    public static final RaftSettings DEFAULTS = new RaftSettings(
            Duration.ofMillis(1000), Duration.ofMillis(2000), Duration.ofSeconds(5), 10_000, 8L * 1024 * 1024, 1024);

    public RaftProperties toProperties(String host, int port, Path storage) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setHost(properties, host);
        GrpcConfigKeys.Server.setPort(properties, port);
        RaftServerConfigKeys.setStorageDir(properties, List.of(storage.toFile()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, millis(electionTimeoutMin));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, millis(electionTimeoutMax));
        RaftServerConfigKeys.Rpc.setRequestTimeout(properties, millis(requestTimeout));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, snapshotEveryEntries);
        // an operator's snapshot request is honoured whenever at least one entry was applied since the last
        RaftServerConfigKeys.Snapshot.setCreationGap(properties, 1);
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(logSegmentMaxBytes));
        RaftServerConfigKeys.Log.setPurgeGap(properties, purgeGap);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        // A follower behind the purged log catches up by fetching blocks (see ChannelStateMachine),
        // not by Ratis copying snapshot files.
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(properties, false);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, millis(requestTimeout));
        return properties;
    }

    /** Client-side properties for the orderer's own Ratis clients. */
    public RaftProperties clientProperties() {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, millis(requestTimeout));
        return properties;
    }

    private static TimeDuration millis(Duration duration) {
        return TimeDuration.valueOf(duration.toMillis(), TimeUnit.MILLISECONDS);
    }
}
