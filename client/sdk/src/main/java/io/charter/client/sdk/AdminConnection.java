package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.charter.common.admin.SignedAdminEnvelopes;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportException;
import io.charter.common.transport.tls.ExpectedServer;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.protocol.HeaderType;
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
 * The call path {@link PeerAdmin} and {@link OrdererAdmin} share: an admin request sealed in a signed envelope
 * of the node kind's header type, sent over a mutual-TLS transport connection with the identity's TLS
 * certificate, and the node's refusals (the error frame's reason, a name of the node kind's wire enum) or the
 * call's failures turned into the caller's exception type.
 */
final class AdminConnection implements AutoCloseable {

    /** Builds the exception a caller of one node kind expects. */
    interface Failures {
        /**
         * @param refused whether {@code code} is the node's own refusal code (the error frame's reason, or the message
         *     prefix of a node older than that field), which the exception turns into the node kind's wire enum
         */
        RuntimeException failure(String code, boolean refused, ErrorCode transportCode, String message, Throwable cause);
    }

    private static final Pattern REFUSAL = Pattern.compile("^([A-Z][A-Z_]+): (.*)$", Pattern.DOTALL);

    private final Identity identity;
    private final TransportClient client;
    private final HeaderType requestType;
    private final String node;
    private final String unavailableCode;
    private final String notSupportedAdvice;
    private final Duration timeout;
    private final Clock clock;
    private final Failures failures;

    private AdminConnection(Identity identity, TransportClient client, HeaderType requestType, String node,
            String unavailableCode, String notSupportedAdvice, Duration timeout, Clock clock, Failures failures) {
        this.identity = identity;
        this.client = client;
        this.requestType = requestType;
        this.node = node;
        this.unavailableCode = unavailableCode;
        this.notSupportedAdvice = notSupportedAdvice;
        this.timeout = timeout;
        this.clock = clock;
        this.failures = failures;
    }

    /**
     * Connects (on the first call) to {@code host:port}, trusting {@code trustRoots} for the node's TLS certificate.
     *
     * @param kind {@code peer} or {@code orderer}, for messages and the {@code PEER_UNAVAILABLE}-style code
     * @param notSupportedAdvice appended when the node does not serve a method (an older version)
     */
    static AdminConnection open(Identity identity, Collection<X509Certificate> trustRoots, String host, int port,
            Duration timeout, HeaderType requestType, String kind, String notSupportedAdvice, Failures failures) {
        Objects.requireNonNull(identity, "identity");
        TransportClient client = TransportClient.builder(host, port, identity.tls(), TlsTrust.withoutCrls(List.copyOf(trustRoots)))
                .expectServer("orderer".equals(kind) ? ExpectedServer.orderer() : ExpectedServer.peer())
                .connectTimeout(timeout)
                .connect();
        return new AdminConnection(identity, client, requestType, kind + " " + host + ":" + port,
                kind.toUpperCase(java.util.Locale.ROOT) + "_UNAVAILABLE", notSupportedAdvice, timeout, Clock.systemUTC(),
                failures);
    }

    /** The request as an Envelope: a header of the request type (creator, fresh nonce, tx id, now), signed over the payload. */
    ByteString seal(ByteString request) {
        return SignedAdminEnvelopes.seal(requestType, request, identity.serialized(), identity.signer(), clock.instant());
    }

    ByteString call(String method, ByteString request) {
        try {
            return client.call(method, seal(request), timeout).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw translate(method, e.getCause());
        } catch (TimeoutException e) {
            throw failed("TIMEOUT", ErrorCode.DEADLINE_EXCEEDED, node + " did not answer " + method + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("CANCELLED", ErrorCode.CANCELLED, "interrupted", e);
        }
    }

    <T> T parse(ByteString bytes, Parser<T> parser) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw failed("INTERNAL", ErrorCode.INTERNAL, node + " answered with a malformed response", e);
        }
    }

    private RuntimeException translate(String method, Throwable cause) {
        if (!(cause instanceof TransportException failure)) {
            return failed("INTERNAL", ErrorCode.INTERNAL, method + " on " + node + " failed: " + cause, cause);
        }
        if (failure.reason().isPresent()) {
            String code = failure.reason().get();
            String message = failure.detail().startsWith(code + ": ") ? failure.detail().substring(code.length() + 2)
                    : failure.detail();
            return failures.failure(code, true, failure.code(), message, failure);
        }
        Matcher refusal = REFUSAL.matcher(failure.detail());
        if (refusal.matches()) {
            // a node older than the frame's reason field: its stable code starts the message
            return failures.failure(refusal.group(1), true, failure.code(), refusal.group(2), failure);
        }
        return switch (failure.code()) {
            case UNAVAILABLE -> failed(unavailableCode, failure.code(), node + " cannot be reached ("
                    + failure.detail() + ")", failure);
            case DEADLINE_EXCEEDED -> failed("TIMEOUT", failure.code(), node + " did not answer " + method
                    + " within " + timeout.toSeconds() + " s", failure);
            case UNKNOWN_METHOD -> failed("NOT_SUPPORTED", failure.code(), node + " does not serve " + method
                    + " (" + notSupportedAdvice + ")", failure);
            default -> failed(failure.code().name(), failure.code(), method + " on " + node + ": "
                    + failure.detail(), failure);
        };
    }

    /** A failure of the call itself, no refusal of the node. */
    private RuntimeException failed(String code, ErrorCode transportCode, String message, Throwable cause) {
        return failures.failure(code, false, transportCode, message, cause);
    }

    @Override
    public void close() {
        client.close(Duration.ofMillis(200));
    }
}
