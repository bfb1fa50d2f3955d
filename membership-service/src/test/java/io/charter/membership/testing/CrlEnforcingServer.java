package io.charter.membership.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS 1.3 server that requires client certificates chaining to the consortium root and checks the
 * client's certificate against CRLs it was given (JDK PKIX, CRLs only, no network fetch): how a node
 * refuses a revoked identity at the handshake.
 */
public final class CrlEnforcingServer {

    private final SSLContext context;

    public CrlEnforcingServer(TestClient.Credential serverTls, X509Certificate root, List<X509Certificate> intermediates,
                              List<X509CRL> crls) {
        try {
            char[] password = "server".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", serverTls.keys().getPrivate(), password,
                    serverTls.fullChain().toArray(java.security.cert.Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);

            PKIXBuilderParameters pkix = new PKIXBuilderParameters(Set.of(new TrustAnchor(root, null)), new X509CertSelector());
            List<Object> material = new ArrayList<>(intermediates);
            material.addAll(crls);
            pkix.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(material)));
            PKIXRevocationChecker revocation = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX").getRevocationChecker();
            revocation.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                    PKIXRevocationChecker.Option.ONLY_END_ENTITY, PKIXRevocationChecker.Option.NO_FALLBACK));
            pkix.addCertPathChecker(revocation);
            pkix.setRevocationEnabled(false); // the explicit checker above does it
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(new CertPathTrustManagerParameters(pkix));

            context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Accepts one connection from a client presenting {@code client} and answers whether the server
     * completed the handshake (and echoed a byte) or refused it, with the server-side exception.
     */
    public Outcome handshake(TestClient client, TestClient.Credential clientCredential)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            CompletableFuture<Outcome> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.startHandshake();
                    InputStream in = socket.getInputStream();
                    int b = in.read();
                    socket.getOutputStream().write(b);
                    socket.getOutputStream().flush();
                    return new Outcome(true, null);
                } catch (IOException e) {
                    return new Outcome(false, e);
                }
            });
            try (SSLSocket socket = (SSLSocket) client.sslContext(clientCredential).getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write(42);
                out.flush();
                socket.getInputStream().read();
            } catch (IOException expectedWhenRefused) {
                // the server's verdict is what counts
            }
            return serverSide.get(60, TimeUnit.SECONDS);
        }
    }

    public record Outcome(boolean accepted, Exception failure) {}
}
