package io.charter.orderer.channel;

import io.charter.orderer.blockstore.BlockStoreOptions;
import io.charter.orderer.consensus.RaftSettings;
import io.charter.orderer.consensus.RaftTls;
import io.charter.protocol.Endpoint;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run an orderer.
 *
 * @param clusterEndpoint where this orderer's Raft server listens; it must equal the endpoint of
 *     this orderer's entry in the channels' consenters (it is the Raft peer id)
 * @param dataDirectory holds {@code raft/} (Ratis logs and snapshots) and {@code channels/<id>/} (block stores)
 * @param tls mutual TLS for Raft traffic, or empty for plaintext (tests only)
 * @param validator the broadcast checks that need the channel's identities and policies
 * @param observer receives block commit latencies, for metrics
 */
public record OrderingNodeConfig(
        Endpoint clusterEndpoint,
        Path dataDirectory,
        OrdererIdentity identity,
        RaftSettings raft,
        Optional<RaftTls> tls,
        BlockStoreOptions blockStore,
        ChannelSettings channel,
        EnvelopeValidator validator,
        ChannelObserver observer) {

    public OrderingNodeConfig {
        Objects.requireNonNull(clusterEndpoint, "clusterEndpoint");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(raft, "raft");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(blockStore, "blockStore");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(observer, "observer");
    }

    /** Without an observer. */
    public OrderingNodeConfig(Endpoint clusterEndpoint, Path dataDirectory, OrdererIdentity identity, RaftSettings raft,
            Optional<RaftTls> tls, BlockStoreOptions blockStore, ChannelSettings channel, EnvelopeValidator validator) {
        this(clusterEndpoint, dataDirectory, identity, raft, tls, blockStore, channel, validator, ChannelObserver.NONE);
    }
}
