package io.charter.peer.node;

import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.NodeRequests;
import io.charter.peer.delivery.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a channel's orderers and this organization's other peers through the membership service's
 * index (discovery of UP nodes), with the other organizations' peers (for private data), and remembers the last answer per channel under
 * {@code <dataDir>/discovery/<channel>.txt}: while the index is down, the peer keeps working with the
 * nodes it last knew, across restarts.
 */
public final class IndexDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(IndexDiscovery.class);

    /** The two discovery calls (a {@link MembershipClient} with the peer's credential, or a fake). */
    public interface Index {
        List<MembershipClient.Node> orderers(String channelId);

        Map<String, List<MembershipClient.Node>> peers(String channelId);

        static Index of(MembershipClient client, MembershipClient.Credential credential) {
            return new Index() {
                @Override
                public List<MembershipClient.Node> orderers(String channelId) {
                    return client.orderers(channelId, credential);
                }

                @Override
                public Map<String, List<MembershipClient.Node>> peers(String channelId) {
                    return client.peers(channelId, credential);
                }
            };
        }
    }

    private final Index index;
    private final String mspId;
    private final String selfId;
    private final Path directory;
    /** Channels whose last discovery failed: an outage is logged once, not at every refresh. */
    private final java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Per channel, the highest height the index last reported for one of its orderers. */
    private final Map<String, Long> ordererHeights = new java.util.concurrent.ConcurrentHashMap<>();

    public IndexDiscovery(Index index, String mspId, String selfId, Path dataDir) {
        this.index = index;
        this.mspId = mspId;
        this.selfId = selfId;
        this.directory = dataDir.resolve("discovery");
    }

    /**
     * The channel's neighbours from the index, or the last known ones when the index cannot be reached
     * (empty lists when there are none: the peer then works from what its organization pushes).
     */
    public Neighbours discover(String channelId) {
        return fromIndex(channelId).orElseGet(() -> lastKnown(channelId));
    }

    /**
     * The channel's neighbours as the index lists them now, remembered as the last known; empty when the
     * index cannot be reached. The first failure of an outage is logged as a warning, the following ones
     * only at debug level, and the recovery once.
     */
    public Optional<Neighbours> fromIndex(String channelId) {
        try {
            List<Endpoint> orderers = new ArrayList<>();
            long ordererHeight = -1;
            for (MembershipClient.Node node : index.orderers(channelId)) {
                first(node).ifPresent(e -> orderers.add(new Endpoint(node.nodeId(), e.host(), e.port())));
                Long height = node.channelHeights() == null ? null : node.channelHeights().get(channelId);
                if (height != null) {
                    ordererHeight = Math.max(ordererHeight, height);
                }
            }
            List<Endpoint> peers = new ArrayList<>();
            Map<String, List<Endpoint>> others = new java.util.TreeMap<>();
            for (Map.Entry<String, List<MembershipClient.Node>> organization : index.peers(channelId).entrySet()) {
                for (MembershipClient.Node node : organization.getValue()) {
                    if (organization.getKey().equals(mspId)) {
                        if (!node.nodeId().equals(selfId)) {
                            first(node).ifPresent(e -> peers.add(new Endpoint(node.nodeId(), e.host(), e.port())));
                        }
                    } else {
                        first(node).ifPresent(e -> others.computeIfAbsent(organization.getKey(), m -> new ArrayList<>())
                                .add(new Endpoint(node.nodeId(), e.host(), e.port())));
                    }
                }
            }
            Neighbours found = new Neighbours(peers, orderers, "index", others);
            remember(channelId, found);
            if (ordererHeight >= 0) {
                ordererHeights.put(channelId, ordererHeight);
            } else {
                ordererHeights.remove(channelId);
            }
            if (failing.remove(channelId)) {
                LOG.info("channel {}: the index answers again ({} orderers, {} organization peers)", channelId,
                        orderers.size(), peers.size());
            }
            return Optional.of(found);
        } catch (RuntimeException e) {
            if (failing.add(channelId)) {
                Neighbours known = lastKnown(channelId);
                LOG.warn("channel {}: discovery through the index failed ({}); keeping the last known {} orderers and {}"
                        + " peers until it answers again", channelId, e.getMessage(), known.orderers().size(),
                        known.organizationPeers().size());
            } else {
                LOG.debug("channel {}: the index is still unreachable: {}", channelId, e.getMessage());
            }
            return Optional.empty();
        }
    }

    /**
     * The highest height of the channel that one of its orderers reported to the index, as of the last
     * answer (it may trail the orderers' real height by one heartbeat and one refresh); empty when the
     * index has not answered since start or reported no height.
     */
    public Optional<Long> ordererHeight(String channelId) {
        return Optional.ofNullable(ordererHeights.get(channelId));
    }

    private static Optional<NodeRequests.Endpoint> first(MembershipClient.Node node) {
        return node.endpoints().stream().findFirst();
    }

    /** The last neighbours remembered for {@code channelId}; empty lists when none. */
    public Neighbours lastKnown(String channelId) {
        Path file = file(channelId);
        List<Endpoint> peers = new ArrayList<>();
        List<Endpoint> orderers = new ArrayList<>();
        Map<String, List<Endpoint>> others = new java.util.TreeMap<>();
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file)) {
                    String[] fields = line.split(" ");
                    if (fields.length == 4) {
                        Endpoint endpoint = new Endpoint(fields[1], fields[2], Integer.parseInt(fields[3]));
                        (fields[0].equals("peer") ? peers : orderers).add(endpoint);
                    } else if (fields.length == 5 && fields[0].equals("member")) {
                        others.computeIfAbsent(fields[1], m -> new ArrayList<>())
                                .add(new Endpoint(fields[2], fields[3], Integer.parseInt(fields[4])));
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot read the last known neighbours of {} from {}: {}", channelId, file, e.getMessage());
            }
        }
        return new Neighbours(peers, orderers, "last known", others);
    }

    private void remember(String channelId, Neighbours neighbours) {
        Path file = file(channelId);
        StringBuilder text = new StringBuilder();
        neighbours.organizationPeers().forEach(e -> text.append("peer ").append(line(e)));
        neighbours.orderers().forEach(e -> text.append("orderer ").append(line(e)));
        neighbours.otherOrganizations().forEach((msp, endpoints) -> endpoints.forEach(
                e -> text.append("member ").append(msp.replace(' ', '_')).append(' ').append(line(e))));
        try {
            Files.createDirectories(directory);
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, text);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("cannot remember the neighbours of {} in {}: {}", channelId, file, e.getMessage());
        }
    }

    private static String line(Endpoint e) {
        return e.id().replace(' ', '_') + " " + e.host() + " " + e.port() + "\n";
    }

    private Path file(String channelId) {
        if (!JoinedChannels.isValidChannelId(channelId)) {
            throw new IllegalArgumentException("'" + channelId + "' is not a channel id");
        }
        return directory.resolve(channelId + ".txt");
    }
}
