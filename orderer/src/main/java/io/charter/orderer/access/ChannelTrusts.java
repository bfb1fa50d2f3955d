package io.charter.orderer.access;

import io.charter.orderer.channel.ChannelOrderer;
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
public final class ChannelTrusts {

    private final Clock clock;
    private final Map<String, Entry> byChannel = new ConcurrentHashMap<>();
    private final List<X509Certificate> bootstrapTlsRoots;

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

    public ChannelTrust of(ChannelOrderer channel) {
        return of(channel.config());
    }

    public ChannelTrust of(ChannelConfig config) {
        Entry entry = byChannel.get(config.getChannelId());
        if (entry != null && entry.config() == config) {
            return entry.trust();
        }
        Entry fresh = new Entry(config, ChannelTrust.of(config, clock));
        byChannel.put(config.getChannelId(), fresh);
        return fresh.trust();
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
