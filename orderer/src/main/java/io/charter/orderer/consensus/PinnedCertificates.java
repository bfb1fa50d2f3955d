package io.charter.orderer.consensus;

import com.google.protobuf.ByteString;
import io.charter.protocol.Consenter;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The TLS certificates (DER) the Raft transport accepts from its peers: those of the consenters of the
 * channels this orderer serves. A member connecting to this one presents its client certificate; a
 * member this one connects to presents its server certificate.
 */
public record PinnedCertificates(Set<ByteString> clientCertificates, Set<ByteString> serverCertificates) {

    public static final PinnedCertificates NONE = new PinnedCertificates(Set.of(), Set.of());

    public PinnedCertificates {
        clientCertificates = Set.copyOf(clientCertificates);
        serverCertificates = Set.copyOf(serverCertificates);
    }

    /** The client and server TLS certificates of {@code consenters} (empty entries ignored). */
    public static PinnedCertificates of(Collection<Consenter> consenters) {
        Set<ByteString> clients = new HashSet<>();
        Set<ByteString> servers = new HashSet<>();
        for (Consenter consenter : consenters) {
            if (!consenter.getClientTlsCert().isEmpty()) {
                clients.add(consenter.getClientTlsCert());
            }
            if (!consenter.getServerTlsCert().isEmpty()) {
                servers.add(consenter.getServerTlsCert());
            }
        }
        return new PinnedCertificates(clients, servers);
    }
}
