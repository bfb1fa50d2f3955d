package io.charter.peer.privatedata;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.transport.TransportClient;

import io.charter.peer.ledger.Ledger;
import io.charter.protocol.CollectionPrivateWrites;
import io.charter.protocol.PrivateDataOutcome;
import io.charter.protocol.PushPrivateDataRequest;
import io.charter.protocol.PushPrivateDataResponse;
import io.charter.protocol.TxPrivateWrites;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an endorsing peer does with the private writes of a simulation before it answers the client: keeps those of
 * the collections its organization is a member of in its transient store, and pushes each collection's writes to
 * other peers of the collection's member organizations ({@code peer.PushPrivateData}): at most
 * {@code maxPeerCount}, and it fails unless at least {@code requiredPeerCount} stored them (at least one when this
 * peer is not a member, so that the values reach some member). A peer of a non-member organization is never sent a
 * value: targets are taken from the member organizations only, and the transport checks that the server's TLS
 * certificate is a peer of the organization it is sent as. Thread-safe.
 */
public final class Dissemination {

    private static final Logger LOG = LoggerFactory.getLogger(Dissemination.class);

    /** The peers of a channel's organizations this peer can reach, by organization; never this peer itself. */
    @FunctionalInterface
    public interface MemberPeers {
        Map<String, List<PeerAddress>> of(String channelId);
    }

    /** A transport client to a peer that must present a TLS certificate of a PEER of {@code mspId}. */
    @FunctionalInterface
    public interface PeerClients {
        TransportClient client(PeerAddress endpoint, String mspId);
    }

    /** A collection's writes of one transaction. */
    public record Writes(Collection collection, CollectionPrivateWrites writes) {}

    private record Target(String mspId, PeerAddress endpoint) {}

    private final String ownMspId;
    private final MemberPeers memberPeers;
    private final PeerClients clients;
    private final PrivateDataSettings settings;

    public Dissemination(String ownMspId, MemberPeers memberPeers, PeerClients clients, PrivateDataSettings settings) {
        this.ownMspId = ownMspId;
        this.memberPeers = memberPeers;
        this.clients = clients;
        this.settings = settings;
    }

    /**
     * The dissemination of a peer that knows no other peer (tests, tools): the writes of its own organization's
     * collections stay in its transient store, and a collection that needs other member peers is refused.
     */
    public static Dissemination isolated(String ownMspId) {
        return new Dissemination(ownMspId, channelId -> Map.of(), (endpoint, mspId) -> {
            throw new IllegalStateException("this peer knows no other peer");
        }, PrivateDataSettings.DEFAULTS);
    }

    public PrivateDataSettings settings() {
        return settings;
    }

    /**
     * Keeps and disseminates the private writes of transaction {@code txId}.
     *
     * @return empty when every collection reached its required peers; otherwise why not (no key or value in it)
     */
    public Optional<String> distribute(Ledger ledger, String txId, List<Writes> writes) {
        List<CollectionPrivateWrites> own = writes.stream().filter(w -> w.collection().isMember(ownMspId))
                .map(Writes::writes).toList();
        if (!own.isEmpty() && !ledger.putTransient(txId, own, true, ownMspId, ledger.height(),
                settings.maxTransientEntries(), settings.maxTransientEntriesPerOrganization())) {
            return Optional.of("this peer's transient store for " + ledger.channelId() + " is full ("
                    + settings.maxTransientEntries() + " entries, " + settings.maxTransientEntriesPerOrganization()
                    + " for its organization)");
        }
        Map<String, List<PeerAddress>> peers = memberPeers.of(ledger.channelId());
        Map<String, Integer> stored = new HashMap<>();
        Map<String, Set<Target>> tried = new HashMap<>();
        Map<String, Integer> needed = new LinkedHashMap<>();
        Map<String, List<Target>> candidates = new HashMap<>();
        Map<String, String> refusals = new java.util.TreeMap<>();
        for (Writes w : writes) {
            String name = w.collection().name();
            int required = Math.max(0, w.collection().config().getRequiredPeerCount());
            if (!w.collection().isMember(ownMspId)) {
                required = Math.max(required, 1);
            }
            needed.put(name, required);
            candidates.put(name, candidates(peers, w.collection()));
            stored.put(name, 0);
            tried.put(name, new LinkedHashSet<>());
        }
        // first round: up to maxPeerCount per collection; second round: more candidates where some failed
        for (int round = 0; round < 2; round++) {
            Map<Target, List<CollectionPrivateWrites>> sends = new LinkedHashMap<>();
            for (Writes w : writes) {
                String name = w.collection().name();
                int want = round == 0
                        ? Math.max(needed.get(name), w.collection().config().getMaxPeerCount())
                        : needed.get(name) - stored.get(name);
                for (Target target : candidates.get(name)) {
                    if (want <= 0) {
                        break;
                    }
                    if (tried.get(name).add(target)) {
                        sends.computeIfAbsent(target, t -> new ArrayList<>()).add(w.writes());
                        want--;
                    }
                }
            }
            if (sends.isEmpty()) {
                break;
            }
            Map<Target, CompletableFuture<String>> pushes = new LinkedHashMap<>();
            sends.forEach((target, collections) -> pushes.put(target, push(ledger.channelId(), txId, target, collections)));
            pushes.forEach((target, push) -> {
                String refusal;
                try {
                    refusal = push.get(settings.pushTimeout().toMillis() + 500, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    refusal = "interrupted";
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    refusal = "no answer within " + settings.pushTimeout().toMillis() + " ms";
                }
                if (refusal.isEmpty()) {
                    sends.get(target).forEach(w -> stored.merge(w.getCollection(), 1, Integer::sum));
                } else {
                    refusals.put(target.endpoint().id(), refusal);
                }
            });
            if (needed.entrySet().stream().allMatch(e -> stored.get(e.getKey()) >= e.getValue())) {
                break;
            }
        }
        List<String> short_ = new ArrayList<>();
        needed.forEach((name, required) -> {
            if (stored.get(name) < required) {
                short_.add("collection " + name + ": stored by " + stored.get(name) + " of the " + required
                        + " member peers required (" + candidates.get(name).size() + " known, tried "
                        + tried.get(name).stream().map(t -> t.endpoint().id()
                                + (refusals.containsKey(t.endpoint().id()) ? ": " + refusals.get(t.endpoint().id()) : ""))
                                .toList() + ")");
            }
        });
        if (!short_.isEmpty()) {
            return Optional.of(String.join("; ", short_));
        }
        return Optional.empty();
    }

    /** Peers of the collection's member organizations, one organization after the other in turn, shuffled within each. */
    private static List<Target> candidates(Map<String, List<PeerAddress>> peers, Collection collection) {
        List<List<Target>> byOrganization = new ArrayList<>();
        for (String mspId : collection.members()) {
            List<Target> targets = new ArrayList<>();
            peers.getOrDefault(mspId, List.of()).forEach(e -> targets.add(new Target(mspId, e)));
            Collections.shuffle(targets);
            byOrganization.add(targets);
        }
        Collections.shuffle(byOrganization);
        List<Target> interleaved = new ArrayList<>();
        for (int i = 0; byOrganization.stream().anyMatch(l -> !l.isEmpty()); i++) {
            for (List<Target> targets : byOrganization) {
                if (!targets.isEmpty()) {
                    interleaved.add(targets.removeFirst());
                }
            }
        }
        return interleaved;
    }

    /** Pushes; completes with "" when the peer stored the writes, else why not (an outcome and its detail). */
    private CompletableFuture<String> push(String channelId, String txId, Target target,
                                           List<CollectionPrivateWrites> collections) {
        ByteString request = PushPrivateDataRequest.newBuilder().setChannelId(channelId)
                .setWrites(TxPrivateWrites.newBuilder().setTxId(txId).addAllCollections(collections)).build().toByteString();
        try {
            return clients.client(target.endpoint(), target.mspId())
                    .call(PeerMethodNames.PUSH_PRIVATE_DATA, request, settings.pushTimeout())
                    .thenApply(bytes -> {
                        try {
                            PushPrivateDataResponse response = PushPrivateDataResponse.parseFrom(bytes);
                            if (response.getOutcome() == PrivateDataOutcome.STORED) {
                                return "";
                            }
                            LOG.info("tx {}: {} did not keep the private writes: {} {}", txId, target.endpoint().id(),
                                    response.getOutcome(), response.getDetail());
                            return response.getOutcome() + " " + response.getDetail();
                        } catch (InvalidProtocolBufferException e) {
                            return "not a PushPrivateDataResponse";
                        }
                    })
                    .exceptionally(e -> {
                        LOG.debug("tx {}: push of private writes to {} failed: {}", txId, target.endpoint().id(), e.toString());
                        return "unreachable: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                    });
        } catch (RuntimeException e) {
            LOG.debug("tx {}: no connection to {}: {}", txId, target.endpoint().id(), e.toString());
            return CompletableFuture.completedFuture("no connection: " + e.getMessage());
        }
    }
}
