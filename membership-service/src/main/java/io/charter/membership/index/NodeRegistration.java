package io.charter.membership.index;

import io.charter.common.membership.NodeRequests;
import io.charter.common.pki.Role;
import io.charter.membership.MembershipException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a node announces to the index, signed with its node signing key.
 *
 * <p>Canonical encoding ({@link #encode()}), version 1: ASCII {@code CNR1}; nodeId, mspId, role label
 * (strings); endpoint count, then per endpoint host (string) and port (int32); channel count, then per
 * channel in increasing UTF-16 order of the name: name (string) and ledger height (int64); anchor (one
 * byte, 0 or 1); signing certificate DER (block); TLS certificate DER (block); sentAt in epoch
 * milliseconds (int64). See {@link NodeRequests} for the primitives.
 *
 * @param role PEER or ORDERER; must match the certificates' OU
 * @param sentAt the node's clock at signing; must be within the service's max clock skew and later
 *     than the last accepted request of the node (replay protection)
 */
public record NodeRegistration(
        String nodeId,
        String mspId,
        Role role,
        List<Endpoint> endpoints,
        SortedMap<String, Long> channelHeights,
        boolean anchor,
        X509Certificate signingCertificate,
        X509Certificate tlsCertificate,
        Instant sentAt) {

    static final String MAGIC = "CNR1";

    public NodeRegistration {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(role, "role");
        endpoints = List.copyOf(endpoints);
        channelHeights = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(channelHeights));
        Objects.requireNonNull(signingCertificate, "signingCertificate");
        Objects.requireNonNull(tlsCertificate, "tlsCertificate");
        sentAt = Instant.ofEpochMilli(sentAt.toEpochMilli());
    }

    public static NodeRegistration of(String nodeId, String mspId, Role role, List<Endpoint> endpoints,
                                      Map<String, Long> channelHeights, boolean anchor,
                                      X509Certificate signingCertificate, X509Certificate tlsCertificate, Instant sentAt) {
        return new NodeRegistration(nodeId, mspId, role, endpoints, new TreeMap<>(channelHeights), anchor,
                signingCertificate, tlsCertificate, sentAt);
    }

    /** The exact bytes the node signs: common's {@link NodeRequests#registration}, the one encoder nodes use too. */
    public byte[] encode() {
        return NodeRequests.registration(nodeId, mspId, role.label(),
                endpoints.stream().map(e -> new NodeRequests.Endpoint(e.host(), e.port())).toList(),
                channelHeights, anchor, signingCertificate, tlsCertificate, sentAt);
    }

    /**
     * Decodes a registration, refusing anything that is not the canonical encoding of its value.
     *
     * @throws MembershipException NODE_REQUEST_MALFORMED
     */
    public static NodeRegistration decode(byte[] bytes) {
        CanonicalCodec.Reader r = new CanonicalCodec.Reader(bytes);
        r.magic(MAGIC);
        String nodeId = r.string();
        String mspId = r.string();
        String roleLabel = r.string();
        Role role = Role.fromLabel(roleLabel)
                .orElseThrow(() -> CanonicalCodec.malformed("role '" + roleLabel + "' is not a role"));
        int endpointCount = r.count();
        java.util.ArrayList<Endpoint> endpoints = new java.util.ArrayList<>();
        for (int i = 0; i < endpointCount; i++) {
            String host = r.string();
            int port = r.int32();
            try {
                endpoints.add(new Endpoint(host, port));
            } catch (IllegalArgumentException e) {
                throw CanonicalCodec.malformed(e.getMessage());
            }
        }
        int channelCount = r.count();
        TreeMap<String, Long> channels = new TreeMap<>();
        for (int i = 0; i < channelCount; i++) {
            channels.put(r.string(), r.int64());
        }
        boolean anchor = r.bool();
        X509Certificate signing = r.certificate();
        X509Certificate tls = r.certificate();
        Instant sentAt = Instant.ofEpochMilli(r.int64());
        r.end();
        NodeRegistration decoded;
        try {
            decoded = new NodeRegistration(nodeId, mspId, role, endpoints, channels, anchor, signing, tls, sentAt);
        } catch (RuntimeException e) {
            throw CanonicalCodec.malformed(e.getMessage());
        }
        if (!Arrays.equals(decoded.encode(), bytes)) {
            throw CanonicalCodec.malformed("it is not in canonical form (channels out of order or duplicated)");
        }
        return decoded;
    }
}
