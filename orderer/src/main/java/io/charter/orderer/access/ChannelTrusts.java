package io.charter.orderer.access;

import io.charter.common.config.ChannelTrust;
import io.charter.protocol.ChannelConfig;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ChannelTrust} of each channel, built from its configuration on first use and kept
 * until the channel is removed or its configuration object changes. Thread-safe.
 */
public final class ChannelTrusts implements io.charter.common.membership.NodeBootstrap.CrlTarget {

    private final Clock clock;
    private final Map<String, Entry> byChannel = new ConcurrentHashMap<>();
    private final List<X509Certificate> bootstrapTlsRoots;
    /** CRLs fetched from the membership service, per MSP id: newer than those in the channel configurations. */
    private final Map<String, List<X509CRL>> fetchedCrls = new ConcurrentHashMap<>();

    private record Entry(ChannelConfig config, ChannelTrust trust) {}

    /**
     * @param bootstrapTlsRoots TLS roots trusted before (and besides) any channel's organizations, e.g.
     *     the consortium root, so that the first admins and orderers can connect
     */
    public ChannelTrusts(Clock clock, Collection<X509Certificate> bootstrapTlsRoots) {
        this.clock = clock;
        this.bootstrapTlsRoots = List.copyOf(bootstrapTlsRoots);
    }

    public ChannelTrusts() {
        this(Clock.systemUTC(), List.of());
    }

    public ChannelTrust of(ChannelConfig config) {
        Entry entry = byChannel.get(config.getChannelId());
        if (entry != null && entry.config() == config) {
            return entry.trust();
        }
        Entry fresh = new Entry(config, ChannelTrust.of(config, clock));
        fetchedCrls.forEach((mspId, crls) -> apply(fresh.trust(), mspId, crls));
        byChannel.put(config.getChannelId(), fresh);
        return fresh.trust();
    }

    /**
     * Replaces the CRLs of organization {@code mspId} (signing and TLS CAs together, as fetched from the
     * membership service) in every channel that has it, and in channels built later from their
     * configuration. Identity verdicts cached before are invalidated; the transport's trust reads the
     * new CRLs at the next handshake.
     */
    public void updateCrls(String mspId, List<X509CRL> crls) {
        fetchedCrls.put(mspId, List.copyOf(crls));
        byChannel.values().forEach(entry -> apply(entry.trust(), mspId, crls));
    }

    /** The MSP ids of every known channel's organizations. */
    public Set<String> mspIds() {
        Set<String> ids = new java.util.TreeSet<>();
        byChannel.values().forEach(entry -> ids.addAll(entry.trust().registry().mspIds()));
        return ids;
    }

    private static void apply(ChannelTrust trust, String mspId, List<X509CRL> crls) {
        if (!trust.registry().mspIds().contains(mspId)) {
            return;
        }
        try {
            trust.registry().updateCrls(mspId, crls);
        } catch (IllegalArgumentException e) {
            org.slf4j.LoggerFactory.getLogger(ChannelTrusts.class).warn("CRLs of {} not applied to channel {}: {}",
                    mspId, trust.channelId(), e.getMessage());
        }
    }

    public void forget(String channelId) {
        byChannel.remove(channelId);
    }

    /** The TLS roots of every known channel's organizations and the bootstrap roots, without repeats. */
    public List<X509Certificate> tlsRoots() {
        Set<X509Certificate> roots = new LinkedHashSet<>(bootstrapTlsRoots);
        byChannel.values().forEach(e -> roots.addAll(e.trust().tlsRoots()));
        return new ArrayList<>(roots);
    }

    public List<X509CRL> crls() {
        Set<X509CRL> crls = new LinkedHashSet<>();
        byChannel.values().forEach(e -> crls.addAll(e.trust().crls()));
        return new ArrayList<>(crls);
    }
}
