package io.charter.deploy.network;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.testing.TestHttp;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.protocol.Block;
import io.charter.protocol.BroadcastResponse;
import io.charter.protocol.DeliverRequest;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.SerializedIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.testcontainers.containers.GenericContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What an admin and a client do with an orderer from outside: participation API, broadcast, deliver. */
final class Orderers {

    static final String BROADCAST = OrdererMethodNames.BROADCAST;
    static final String DELIVER = OrdererMethodNames.DELIVER;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Orderers() {}

    /** POST the genesis block to the orderer's participation API as {@code admin} (TLS client certificate). */
    static HttpResponse<String> join(GenericContainer<?> orderer, MembershipAdmin.TlsIdentity admin, X509Certificate root, byte[] genesis) {
        return TestHttp.send(https(admin, root), HttpRequest.newBuilder(participation(orderer, ""))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(genesis)).build());
    }

    /** {@code GET /participation/v1/channels/{channel}}, parsed; empty object when not 200. */
    static JsonNode channel(GenericContainer<?> orderer, MembershipAdmin.TlsIdentity admin, X509Certificate root, String channel) {
        HttpResponse<String> answer = TestHttp.send(https(admin, root),
                HttpRequest.newBuilder(participation(orderer, "/" + channel)).GET().build());
        return answer.statusCode() == 200 ? JSON.readTree(answer.body()) : JSON.createObjectNode();
    }

    /** The Raft status of a channel at this orderer. */
    static JsonNode raft(GenericContainer<?> orderer, MembershipAdmin.TlsIdentity admin, X509Certificate root, String channel) {
        HttpResponse<String> answer = TestHttp.send(https(admin, root),
                HttpRequest.newBuilder(participation(orderer, "/" + channel + "/raft")).GET().build());
        return answer.statusCode() == 200 ? JSON.readTree(answer.body()) : JSON.createObjectNode();
    }

    static HttpResponse<String> operations(GenericContainer<?> orderer, String path) {
        return TestHttp.send(HttpClient.newHttpClient(), HttpRequest.newBuilder(
                URI.create("http://localhost:" + orderer.getMappedPort(9444) + path)).GET().build());
    }

    /** A transport connection to the orderer as {@code member} (its TLS certificate), trusting the consortium root. */
    static TransportClient connect(GenericContainer<?> orderer, MembershipAdmin.Member member, X509Certificate root) {
        return TransportClient.builder("localhost", orderer.getMappedPort(7050),
                new TlsCredentials(member.tlsKeys().getPrivate(), member.tlsChain()), TlsTrust.withoutCrls(List.of(root)))
                .connect();
    }

    /** A signed ENDORSER_TRANSACTION envelope by {@code creator} carrying {@code data}. */
    static Envelope envelope(String channel, MembershipAdmin.Member creator, String data) throws Exception {
        ByteString identity = SerializedIdentity.newBuilder().setMspId(creator.mspId())
                .setCertificate(ByteString.copyFrom(creator.signingCertificate().getEncoded())).build().toByteString();
        ByteString nonce = TransactionIds.newNonce();
        return Envelopes.seal(PayloadHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION).setChannelId(channel)
                        .setTxId(TransactionIds.compute(nonce, identity)).setCreator(identity).setNonce(nonce).build(),
                ByteString.copyFromUtf8(data), EcdsaSigner.of(creator.signingKeys()));
    }

    static BroadcastResponse broadcast(TransportClient client, Envelope envelope) throws Exception {
        return BroadcastResponse.parseFrom(client.call(BROADCAST, envelope.toByteString(), Duration.ofSeconds(40))
                .get(60, TimeUnit.SECONDS));
    }

    /** Blocks {@code from..to} of the channel as this orderer serves them. */
    static List<Block> deliver(TransportClient client, String channel, long from, long to) throws Exception {
        DeliverRequest request = DeliverRequest.newBuilder().setChannelId(channel).setStartNumber(from).setStopNumber(to).build();
        CompletableFuture<List<Block>> done = new CompletableFuture<>();
        List<Block> blocks = new ArrayList<>();
        client.serverStream(DELIVER, request.toByteString(), Duration.ofSeconds(60)).subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteString item) {
                try {
                    blocks.add(Block.parseFrom(item));
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    done.completeExceptionally(e);
                }
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(blocks);
            }
        });
        return done.get(90, TimeUnit.SECONDS);
    }

    private static URI participation(GenericContainer<?> orderer, String path) {
        return URI.create("https://localhost:" + orderer.getMappedPort(9443) + "/participation/v1/channels" + path);
    }

    static HttpClient https(MembershipAdmin.TlsIdentity member, X509Certificate root) {
        try {
            char[] password = "network-test".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("tls", member.key(), password, member.chain().toArray(Certificate[]::new));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", root);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
