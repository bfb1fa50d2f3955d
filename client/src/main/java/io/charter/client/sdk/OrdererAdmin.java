package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.admin.SignedAdminEnvelopes;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrdererAdminRequest;
import io.charter.protocol.OrdererChannel;
import io.charter.protocol.OrdererChannelsRequest;
import io.charter.protocol.OrdererChannelsResponse;
import io.charter.protocol.OrdererJoinChannelRequest;
import io.charter.protocol.OrdererJoinChannelResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Administers one orderer's channel membership over its transport ({@code orderer.JoinChannel},
 * {@code orderer.Channels}), as {@link PeerAdmin} does for a peer: each request is signed by the identity (an
 * ORDERER_ADMIN envelope with a fresh nonce and the signing time, docs/protocol-encodings.md) and sent on a
 * mutual-TLS connection with the identity's TLS certificate; the orderer accepts it from an ADMIN of an
 * organization of the channel. Works against any orderer, the local network's plain cores included (which have no
 * channel participation REST API). A refusal is an {@link OrdererAdminException} with the orderer's stable code
 * (docs/orderer.md).
 */
public final class OrdererAdmin implements AutoCloseable {

    static final String JOIN_CHANNEL = "orderer.JoinChannel";
    static final String CHANNELS = "orderer.Channels";
    private static final Pattern REFUSAL = Pattern.compile("^([A-Z][A-Z_]+): (.*)$", Pattern.DOTALL);

    private final Identity identity;
    private final TransportClient client;
    private final String address;
    private final Duration timeout;
    private final Clock clock;

    private OrdererAdmin(Identity identity, TransportClient client, String address, Duration timeout, Clock clock) {
        this.identity = identity;
        this.client = client;
        this.address = address;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** A channel the orderer has joined; {@code alreadyJoined} when it had, from the same genesis block. */
    public record JoinedChannel(String channelId, long height, String leader, String role, boolean alreadyJoined) {}

    /**
     * A refused or failed administration call.
     *
     * @param code the orderer's refusal code (e.g. NOT_ADMIN, NOT_A_CONSENTER), or for a failure of the call itself
     *     {@code ORDERER_UNAVAILABLE}, {@code TIMEOUT}, {@code NOT_SUPPORTED} or the transport's code
     */
    public static final class OrdererAdminException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;
        private final ErrorCode transportCode;

        OrdererAdminException(String code, ErrorCode transportCode, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
            this.transportCode = transportCode;
        }

        public String code() {
            return code;
        }

        public ErrorCode transportCode() {
            return transportCode;
        }
    }

    /**
     * Connects to the orderer's transport at {@code host:port}, trusting {@code trustRoots} for its TLS certificate.
     * The connection opens on the first call.
     */
    public static OrdererAdmin connect(Identity identity, Collection<X509Certificate> trustRoots, String host, int port,
                                       Duration timeout) {
        Objects.requireNonNull(identity, "identity");
        TransportClient client = TransportClient.builder(host, port, identity.tls(), TlsTrust.withoutCrls(List.copyOf(trustRoots)))
                .connectTimeout(timeout)
                .connect();
        return new OrdererAdmin(identity, client, host + ":" + port, timeout, Clock.systemUTC());
    }

    /** Makes the orderer join the channel of {@code genesis} (block 0) as a consenter; idempotent for the same block. */
    public JoinedChannel join(byte[] genesis) {
        OrdererJoinChannelResponse response = parse(call(JOIN_CHANNEL, OrdererAdminRequest.newBuilder()
                .setJoinChannel(OrdererJoinChannelRequest.newBuilder().setGenesisBlock(ByteString.copyFrom(genesis)))
                .build()), OrdererJoinChannelResponse.parser());
        return channel(response.getChannel(), response.getAlreadyJoined());
    }

    /** The channels the orderer has joined of which the identity is an admin. */
    public List<JoinedChannel> channels() {
        return parse(call(CHANNELS, OrdererAdminRequest.newBuilder().setChannels(OrdererChannelsRequest.getDefaultInstance())
                .build()), OrdererChannelsResponse.parser()).getChannelsList().stream().map(c -> channel(c, true)).toList();
    }

    private static JoinedChannel channel(OrdererChannel c, boolean alreadyJoined) {
        return new JoinedChannel(c.getChannelId(), c.getHeight(), c.getLeader(), c.getRole(), alreadyJoined);
    }

    private ByteString call(String method, OrdererAdminRequest request) {
        ByteString signed = SignedAdminEnvelopes.seal(HeaderType.ORDERER_ADMIN, request.toByteString(),
                identity.serialized(), identity.signer(), clock.instant());
        try {
            return client.call(method, signed, timeout).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw translate(method, e.getCause());
        } catch (TimeoutException e) {
            throw new OrdererAdminException("TIMEOUT", ErrorCode.DEADLINE_EXCEEDED, "orderer " + address
                    + " did not answer " + method + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrdererAdminException("CANCELLED", ErrorCode.CANCELLED, "interrupted", e);
        }
    }

    private OrdererAdminException translate(String method, Throwable cause) {
        if (!(cause instanceof TransportException failure)) {
            return new OrdererAdminException("INTERNAL", ErrorCode.INTERNAL, method + " on " + address + " failed: "
                    + cause, cause);
        }
        Matcher refusal = REFUSAL.matcher(failure.detail());
        if (refusal.matches()) {
            // the orderer's refusal: its stable code starts the message
            return new OrdererAdminException(refusal.group(1), failure.code(), refusal.group(2), failure);
        }
        return switch (failure.code()) {
            case UNAVAILABLE -> new OrdererAdminException("ORDERER_UNAVAILABLE", failure.code(), "orderer " + address
                    + " cannot be reached (" + failure.detail() + ")", failure);
            case DEADLINE_EXCEEDED -> new OrdererAdminException("TIMEOUT", failure.code(), "orderer " + address
                    + " did not answer " + method + " within " + timeout.toSeconds() + " s", failure);
            case UNKNOWN_METHOD -> new OrdererAdminException("NOT_SUPPORTED", failure.code(), "orderer " + address
                    + " does not serve " + method + " (an older version? use --orderer-admin URL)", failure);
            default -> new OrdererAdminException(failure.code().name(), failure.code(), method + " on " + address + ": "
                    + failure.detail(), failure);
        };
    }

    private <T> T parse(ByteString bytes, com.google.protobuf.Parser<T> parser) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OrdererAdminException("INTERNAL", ErrorCode.INTERNAL, "orderer " + address
                    + " answered with a malformed response", e);
        }
    }

    @Override
    public void close() {
        client.close(Duration.ofMillis(200));
    }
}
