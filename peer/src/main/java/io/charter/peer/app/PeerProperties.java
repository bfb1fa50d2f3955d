package io.charter.peer.app;

import io.charter.shell.MembershipProperties;
import io.charter.shell.PemIdentity;
import io.charter.shell.TlsFiles;
import io.charter.shell.TransportLimitsProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the peer is configured with, under {@code charter.peer} (docs/peer.md lists every key with
 * its default; relaxed binding maps each to an environment variable, e.g. {@code charter.peer.database.url}
 * to {@code CHARTER_PEER_DATABASE_URL}, list elements to {@code CHARTER_PEER_ORDERERS_0}, ...).
 *
 * @param dataDir installed contracts ({@code contracts/}), the joined channels ({@code channels/}), the
 *     enrolled identity ({@code msp/}) and the last discovered neighbours ({@code discovery/})
 * @param peerId unique within the organization, the common name of the peer's TLS certificate (the
 *     election checks it); defaults to {@code membership.node-id}, then {@code membership.enrollment-id}
 * @param mspId the peer's organization
 * @param signing the signing identity endorsements carry (PEM certificate chain and PKCS#8 key)
 * @param tls the TLS identity (transport and admin HTTPS) and the trusted TLS roots (the consortium
 *     root: admin clients, the membership service, and the transport before any channel is joined)
 * @param orderers {@code host:port} of the orderers' transports; empty: discovered through the index
 * @param organizationPeers {@code id@host:port} of the other peers of the organization; empty: discovered
 * @param membership the membership service (off unless {@code url} is set); the host registered for the transport
 *     endpoint defaults to transport.host, or the first TLS host when that is a wildcard address
 * @param discovery how often discovered neighbours are refreshed from the index
 * @param leaderLease how often a peer asks the index for its organization's leader lease (with a membership service)
 * @param privateData private data collections: dissemination, transient store, reconciliation
 * @param dissemination how blocks reach the organization's peers (leader with a relay tree, or every peer pulling)
 */
@ConfigurationProperties("charter.peer")
public record PeerProperties(
        @DefaultValue("data/peer") Path dataDir,
        String peerId,
        @DefaultValue("Org1") String mspId,
        @DefaultValue PemIdentity signing,
        @DefaultValue TlsFiles tls,
        @DefaultValue Listen transport,
        @DefaultValue Database database,
        @DefaultValue List<String> orderers,
        @DefaultValue List<String> organizationPeers,
        @DefaultValue MembershipProperties membership,
        @DefaultValue Contracts contracts,
        @DefaultValue Discovery discovery,
        @DefaultValue LeaderLease leaderLease,
        @DefaultValue PrivateData privateData,
        @DefaultValue Dissemination dissemination) {

    /** Where the peer's properties are, as the errors about them say. */
    public static final String PREFIX = "charter.peer";

    /** Where the transport listens, and its limits ({@code charter.peer.transport.limits.*}). */
    public record Listen(@DefaultValue("0.0.0.0") String host, @DefaultValue("7060") int port,
            @DefaultValue TransportLimitsProperties limits) {}

    /** The ledger's PostgreSQL database (one per peer; schema by Flyway at start). */
    public record Database(
            @DefaultValue("jdbc:postgresql://localhost:5432/peer") String url,
            @DefaultValue("peer") String username,
            @DefaultValue("peer") String password) {}

    /**
     * @param refreshInterval how often a joined channel's orderers and organization peers are asked from
     *     the index again (only when neither {@code orderers} nor {@code organization-peers} is set)
     */
    public record Discovery(@DefaultValue("30s") Duration refreshInterval) {}

    /**
     * @param renewInterval how often a caught-up peer asks the index for the leader lease of each joined channel
     *     (the holder renews it; keep it well under the index's {@code index.lease-ttl}, 10 s by default)
     */
    public record LeaderLease(@DefaultValue("3s") Duration renewInterval) {}

    /**
     * @param pushTimeout how long an endorser waits for a member peer to store pushed private writes
     * @param transientMaxEntries the most entries a channel's transient store holds (beyond: PRIVATE_DATA_STORE_FULL)
     * @param transientMaxEntriesPerOrganization the most of those one organization's peers may hold
     * @param reconcileInterval how often a member peer asks other member peers for the private data it misses
     */
    public record PrivateData(@DefaultValue("3s") Duration pushTimeout,
                              @DefaultValue("100000") int transientMaxEntries,
                              @DefaultValue("25000") int transientMaxEntriesPerOrganization,
                              @DefaultValue("5s") Duration reconcileInterval) {

        io.charter.peer.privatedata.PrivateDataSettings toSettings() {
            return new io.charter.peer.privatedata.PrivateDataSettings(pushTimeout, transientMaxEntries,
                    transientMaxEntriesPerOrganization, reconcileInterval);
        }
    }

    /**
     * @param mode {@code leader}: the organization's elected leader alone pulls from the orderers and pushes to the
     *     others; {@code every-peer}: every peer pulls from the orderers itself, nothing is pushed
     * @param relayFanout into how many relay subtrees a pushing peer splits the peers it pushes to; 0: the leader
     *     pushes to every peer itself
     */
    public record Dissemination(@DefaultValue("leader") String mode, @DefaultValue("3") int relayFanout) {

        io.charter.peer.dissemination.DisseminationSettings toSettings() {
            io.charter.peer.dissemination.DisseminationSettings.Mode parsed = switch (mode.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "leader" -> io.charter.peer.dissemination.DisseminationSettings.Mode.LEADER;
                case "every-peer" -> io.charter.peer.dissemination.DisseminationSettings.Mode.EVERY_PEER;
                default -> throw new IllegalArgumentException(PREFIX + ".dissemination.mode must be leader or every-peer,"
                        + " not '" + mode + "'");
            };
            if (relayFanout < 0) {
                throw new IllegalArgumentException(PREFIX + ".dissemination.relay-fanout must be 0 (linear push) or"
                        + " positive, not " + relayFanout);
            }
            return new io.charter.peer.dissemination.DisseminationSettings(parsed, relayFanout);
        }
    }

    /** @param invocationTimeout the longest one contract invocation may take */
    public record Contracts(@DefaultValue("3s") Duration invocationTimeout) {}
}
