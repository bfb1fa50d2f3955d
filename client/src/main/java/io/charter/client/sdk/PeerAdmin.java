package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.admin.SignedAdminEnvelopes;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.protocol.ChannelsRequest;
import io.charter.protocol.ChannelsResponse;
import io.charter.protocol.HeaderType;
import io.charter.protocol.InstallContractRequest;
import io.charter.protocol.InstallContractResponse;
import io.charter.protocol.InstalledContractsRequest;
import io.charter.protocol.InstalledContractsResponse;
import io.charter.protocol.JoinChannelRequest;
import io.charter.protocol.JoinChannelResponse;
import io.charter.protocol.PeerAdminRequest;
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
 * Administers one peer over its transport, as Fabric's {@code peer lifecycle chaincode install} and
 * {@code peer channel join} do over the peer's gRPC endpoint: each request is signed by the identity (a fresh
 * nonce and the signing time, docs/protocol-encodings.md) and sent on a mutual-TLS connection with the
 * identity's TLS certificate; the peer accepts it from an ADMIN of its own organization only. Works against
 * any peer, the local network's included. A refusal is a {@link PeerAdminException} with the peer's stable code
 * (docs/peer.md).
 */
public final class PeerAdmin implements AutoCloseable {

    static final String INSTALL_CONTRACT = "peer.InstallContract";
    static final String JOIN_CHANNEL = "peer.JoinChannel";
    static final String INSTALLED_CONTRACTS = "peer.InstalledContracts";
    static final String CHANNELS = "peer.Channels";
    private static final Pattern REFUSAL = Pattern.compile("^([A-Z][A-Z_]+): (.*)$", Pattern.DOTALL);

    private final Identity identity;
    private final TransportClient client;
    private final String address;
    private final Duration timeout;
    private final Clock clock;

    private PeerAdmin(Identity identity, TransportClient client, String address, Duration timeout, Clock clock) {
        this.identity = identity;
        this.client = client;
        this.address = address;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** An installed contract package; {@code alreadyInstalled} when the peer had the same jar before. */
    public record InstalledContract(String packageId, String name, String sha256, boolean alreadyInstalled) {}

    /** A channel the peer has joined; {@code alreadyJoined} when it had, from the same genesis block. */
    public record JoinedChannel(String channelId, long height, String leader, boolean isLeader, boolean alreadyJoined) {}

    /**
     * A refused or failed administration call.
     *
     * @param code the peer's refusal code (e.g. NOT_ADMIN, INVALID_CONTRACT_PACKAGE), or for a failure of the
     *     call itself {@code PEER_UNAVAILABLE}, {@code TIMEOUT} or the transport's code
     */
    public static final class PeerAdminException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;
        private final ErrorCode transportCode;

        PeerAdminException(String code, ErrorCode transportCode, String message, Throwable cause) {
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
     * Connects to the peer's transport at {@code host:port}, trusting {@code trustRoots} for its TLS certificate.
     * The connection opens on the first call.
     */
    public static PeerAdmin connect(Identity identity, Collection<X509Certificate> trustRoots, String host, int port,
                                    Duration timeout) {
        Objects.requireNonNull(identity, "identity");
        TransportClient client = TransportClient.builder(host, port, identity.tls(), TlsTrust.withoutCrls(List.copyOf(trustRoots)))
                .connectTimeout(timeout)
                .connect();
        return new PeerAdmin(identity, client, host + ":" + port, timeout, Clock.systemUTC());
    }

    /** Installs a contract jar on the peer; idempotent. */
    public InstalledContract install(byte[] jar) {
        InstallContractResponse response = parse(call(INSTALL_CONTRACT, PeerAdminRequest.newBuilder()
                .setInstallContract(InstallContractRequest.newBuilder().setContractJar(ByteString.copyFrom(jar))).build()),
                InstallContractResponse.parser());
        var c = response.getContract();
        return new InstalledContract(c.getPackageId(), c.getName(), c.getSha256(), response.getAlreadyInstalled());
    }

    /** Makes the peer join the channel of {@code genesis} (block 0); idempotent for the same block. */
    public JoinedChannel join(byte[] genesis) {
        JoinChannelResponse response = parse(call(JOIN_CHANNEL, PeerAdminRequest.newBuilder()
                .setJoinChannel(JoinChannelRequest.newBuilder().setGenesisBlock(ByteString.copyFrom(genesis))).build()),
                JoinChannelResponse.parser());
        return channel(response.getChannel(), response.getAlreadyJoined());
    }

    /** The contract packages installed on the peer, oldest first. */
    public List<InstalledContract> installedContracts() {
        return parse(call(INSTALLED_CONTRACTS, PeerAdminRequest.newBuilder()
                .setInstalledContracts(InstalledContractsRequest.getDefaultInstance()).build()),
                InstalledContractsResponse.parser()).getContractsList().stream()
                .map(c -> new InstalledContract(c.getPackageId(), c.getName(), c.getSha256(), true)).toList();
    }

    /** The channels the peer has joined. */
    public List<JoinedChannel> channels() {
        return parse(call(CHANNELS, PeerAdminRequest.newBuilder().setChannels(ChannelsRequest.getDefaultInstance()).build()),
                ChannelsResponse.parser()).getChannelsList().stream().map(c -> channel(c, true)).toList();
    }

    private static JoinedChannel channel(io.charter.protocol.JoinedChannel c, boolean alreadyJoined) {
        return new JoinedChannel(c.getChannelId(), c.getHeight(), c.getLeader(), c.getIsLeader(), alreadyJoined);
    }

    /** The request as an Envelope: a PEER_ADMIN header (creator, fresh nonce, tx id, now), signed over the payload. */
    ByteString sign(PeerAdminRequest request) {
        return SignedAdminEnvelopes.seal(HeaderType.PEER_ADMIN, request.toByteString(), identity.serialized(),
                identity.signer(), clock.instant());
    }

    private ByteString call(String method, PeerAdminRequest request) {
        try {
            return client.call(method, sign(request), timeout).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw translate(method, e.getCause());
        } catch (TimeoutException e) {
            throw new PeerAdminException("TIMEOUT", ErrorCode.DEADLINE_EXCEEDED, "peer " + address + " did not answer "
                    + method + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerAdminException("CANCELLED", ErrorCode.CANCELLED, "interrupted", e);
        }
    }

    private PeerAdminException translate(String method, Throwable cause) {
        if (!(cause instanceof TransportException failure)) {
            return new PeerAdminException("INTERNAL", ErrorCode.INTERNAL, method + " on " + address + " failed: " + cause, cause);
        }
        Matcher refusal = REFUSAL.matcher(failure.detail());
        if (refusal.matches()) {
            // the peer's refusal: its stable code starts the message
            return new PeerAdminException(refusal.group(1), failure.code(), refusal.group(2), failure);
        }
        return switch (failure.code()) {
            case UNAVAILABLE -> new PeerAdminException("PEER_UNAVAILABLE", failure.code(), "peer " + address
                    + " cannot be reached (" + failure.detail() + ")", failure);
            case DEADLINE_EXCEEDED -> new PeerAdminException("TIMEOUT", failure.code(), "peer " + address
                    + " did not answer " + method + " within " + timeout.toSeconds() + " s", failure);
            case UNKNOWN_METHOD -> new PeerAdminException("NOT_SUPPORTED", failure.code(), "peer " + address
                    + " does not serve " + method + " (an older version?)", failure);
            default -> new PeerAdminException(failure.code().name(), failure.code(), method + " on " + address + ": "
                    + failure.detail(), failure);
        };
    }

    private <T> T parse(ByteString bytes, com.google.protobuf.Parser<T> parser) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new PeerAdminException("INTERNAL", ErrorCode.INTERNAL, "peer " + address + " answered with a malformed "
                    + "response", e);
        }
    }

    @Override
    public void close() {
        client.close(Duration.ofMillis(200));
    }
}
