package io.charter.common.transport;

import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.frame.FrameEncoder;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.protocol.Frame;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A small consortium on loopback: Org1 and Org2 under one root, with mutable CRLs. */
final class TransportTestSupport {

    static final String LOOPBACK = "127.0.0.1";
    /** Generous: only there so that a broken test fails instead of hanging. */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Access for test methods that are about something else than access: every role of every trusted organization. */
    static final MethodAccess ANYONE = MethodAccess.trustedOrganizations(io.charter.common.pki.Role.values());

    final TestPki pki = TestPki.create("Org1MSP", "Org2MSP");
    final List<X509CRL> crls = new CopyOnWriteArrayList<>();
    final TlsTrust trust = TlsTrust.of(List.of(pki.root().certificate()), () -> crls);

    TlsCredentials tls(String org, String name, Role role) {
        return credentials(pki.organization(org).enrollTls(name, role));
    }

    static TlsCredentials credentials(TestPki.Credential credential) {
        return new TlsCredentials(credential.keys().getPrivate(), credential.chain());
    }

    TransportServer.Builder server(TlsCredentials credentials) {
        return TransportServer.builder(credentials, trust).bind(LOOPBACK, 0).ioThreads(1);
    }

    TransportClient.Builder client(TransportServer server, TlsCredentials credentials) {
        return TransportClient.builder(LOOPBACK, server.port(), credentials, trust);
    }

    /** A bare TLS 1.3 socket with a client certificate, for speaking bytes the real client never would. */
    static SSLSocket rawTlsSocket(int port, TlsCredentials credentials) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("me", credentials.privateKey(), new char[0], credentials.chain().toArray(Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, new char[0]);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), new TrustManager[] {new TrustingAnyServer()}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress(LOOPBACK, port), (int) PATIENCE.toMillis());
        socket.setSoTimeout((int) PATIENCE.toMillis());
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        socket.startHandshake();
        return socket;
    }

    static void writeFrame(OutputStream out, Frame frame) throws IOException {
        var buffer = Unpooled.buffer();
        FrameEncoder.encode(frame, buffer);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        out.write(bytes);
        out.flush();
    }

    /** The next frame, or empty at end of stream (or when the connection was reset). */
    static Optional<Frame> readFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        try {
            int length = data.readInt();
            byte[] bytes = new byte[length];
            data.readFully(bytes);
            return Optional.of(Frame.parseFrom(bytes));
        } catch (EOFException | javax.net.ssl.SSLException | java.net.SocketException e) {
            return Optional.empty();
        }
    }

    /** Reads until the peer closes; true if it did (rather than the read timing out). */
    static boolean closedByPeer(Socket socket) throws IOException {
        byte[] sink = new byte[4096];
        try {
            while (socket.getInputStream().read(sink) >= 0) {
                // discard
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the peer also counts as closed
        }
    }

    /** The raw test client is the one being checked, not the server: it accepts any server. */
    private static final class TrustingAnyServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
