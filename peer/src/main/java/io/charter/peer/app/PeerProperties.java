package io.charter.peer.app;

import java.net.URI;
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
 * @param discovery how often discovered neighbours are refreshed from the index
 */
@ConfigurationProperties("charter.peer")
public record PeerProperties(
        @DefaultValue("data/peer") Path dataDir,
        String peerId,
        @DefaultValue("Org1") String mspId,
        @DefaultValue Identity signing,
        @DefaultValue Tls tls,
        @DefaultValue Listen transport,
        @DefaultValue Database database,
        @DefaultValue List<String> orderers,
        @DefaultValue List<String> organizationPeers,
        @DefaultValue Membership membership,
        @DefaultValue Contracts contracts,
        @DefaultValue Discovery discovery) {

    /** PEM files: the certificate (chain, leaf first) and its PKCS#8 private key. */
    public record Identity(Path certificate, Path privateKey) {}

    /** PEM files of the TLS identity, and of the trusted TLS roots (one or more certificates). */
    public record Tls(Path certificate, Path privateKey, Path trustedRoots) {}

    /** Where the transport listens, and its limits ({@code charter.peer.transport.limits.*}). */
    public record Listen(@DefaultValue("0.0.0.0") String host, @DefaultValue("7060") int port,
            @DefaultValue TransportLimitsProperties limits) {}

    /** The ledger's PostgreSQL database (one per peer; schema by Flyway at start). */
    public record Database(
            @DefaultValue("jdbc:postgresql://localhost:5432/peer") String url,
            @DefaultValue("peer") String username,
            @DefaultValue("peer") String password) {}

    /**
     * The membership service (off unless {@code url} is set): enroll on first start, register as a peer,
     * heartbeat with the channels' heights, refresh CRLs, discover orderers and organization peers.
     *
     * @param nodeId the id in the index (default: the enrollment id)
     * @param tlsHosts subject alternative names requested for the TLS certificate
     * @param renewAt fraction of the certificates' lifetime after which they are re-enrolled (default 2/3);
     *     the node then exits with code 75 for its supervisor to restart it with the renewed identity
     * @param advertisedHost the host registered for the transport endpoint (default: transport.host, or
     *     the first TLS host when that is a wildcard address)
     */
    public record Membership(
            URI url,
            String enrollmentId,
            String enrollmentSecret,
            String nodeId,
            @DefaultValue({"localhost", "127.0.0.1"}) List<String> tlsHosts,
            String advertisedHost,
            Double renewAt) {}

    /**
     * @param refreshInterval how often a joined channel's orderers and organization peers are asked from
     *     the index again (only when neither {@code orderers} nor {@code organization-peers} is set)
     */
    public record Discovery(@DefaultValue("30s") Duration refreshInterval) {}

    /** @param invocationTimeout the longest one contract invocation may take */
    public record Contracts(@DefaultValue("3s") Duration invocationTimeout) {}
}
