package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.ServerStreamHandler;
import io.charter.common.transport.TransportServer;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A transport server on loopback answering chosen methods with a script, to drive the SDK into
 * answers real nodes give rarely (disagreeing endorsers, an orderer that is unavailable, a conflict).
 * The tests with real orderers and peers are {@link LoopbackNetworkSdkTest}.
 */
final class ScriptedNode implements AutoCloseable {

    final String name;
    final String mspId;
    private final TransportServer server;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    ScriptedNode(TestPki pki, String name, String mspId, Map<String, Function<ByteString, ByteString>> handlers) {
        this(pki, name, mspId, handlers, Map.of());
    }

    ScriptedNode(TestPki pki, String name, String mspId, Map<String, Function<ByteString, ByteString>> handlers,
                 Map<String, ServerStreamHandler> streams) {
        this.name = name;
        this.mspId = mspId;
        // clients check the server's role: a node serving orderer methods presents an orderer's certificate
        boolean orderer = java.util.stream.Stream.concat(handlers.keySet().stream(), streams.keySet().stream())
                .anyMatch(method -> method.startsWith("orderer."));
        TestPki.Credential tls = pki.organization(mspId).enrollTls(name, orderer ? Role.ORDERER : Role.PEER);
        TransportServer.Builder builder = TransportServer.builder(new TlsCredentials(tls.keys().getPrivate(), tls.chain()),
                TlsTrust.withoutCrls(List.of(pki.root().certificate()))).bind("127.0.0.1", 0);
        handlers.forEach((method, handler) -> builder.unary(method, io.charter.common.transport.MethodAccess.trustedOrganizations(Role.values()), (call, request) -> {
            calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
            return CompletableFuture.supplyAsync(() -> handler.apply(request));
        }));
        streams.forEach((method, handler) -> builder.serverStream(method, io.charter.common.transport.MethodAccess.trustedOrganizations(Role.values()), (call, request, sink) -> {
            calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
            handler.handle(call, request, sink);
        }));
        this.server = builder.build().start();
    }

    NodeEndpoint endpoint() {
        return new NodeEndpoint(name, mspId, "127.0.0.1", server.port());
    }

    int calls(String method) {
        AtomicInteger count = calls.get(method);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.close();
    }
}
