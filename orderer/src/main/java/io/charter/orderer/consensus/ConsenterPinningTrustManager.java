package io.charter.orderer.consensus;

import com.google.protobuf.ByteString;
import java.net.Socket;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft transport's trust, as Fabric's cluster authentication: a peer's TLS certificate must first
 * pass the PKIX checks of {@code pkix} (chain to a trusted root, validity, and whatever else the
 * delegate checks), then be the TLS certificate of a consenter of a channel this orderer serves: a
 * connecting member's certificate one of the consenters' client certificates, the certificate of a
 * member this one connects to one of their server certificates, or a certificate of the same subject
 * from the same issuing CA as one of those (a renewed certificate). The allowed set is read from {@code
 * pinned} at every handshake, so a config update changing the consenters, or a channel joined or
 * removed, takes effect at the next connection (connections already open stay open).
 */
public final class ConsenterPinningTrustManager extends X509ExtendedTrustManager {

    private static final Logger LOG = LoggerFactory.getLogger(ConsenterPinningTrustManager.class);
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final X509ExtendedTrustManager pkix;
    private final Supplier<PinnedCertificates> pinned;
    private final AtomicLong refused = new AtomicLong();
    private final Map<ByteString, Long> lastLogged = new ConcurrentHashMap<>();

    public ConsenterPinningTrustManager(X509ExtendedTrustManager pkix, Supplier<PinnedCertificates> pinned) {
        this.pkix = Objects.requireNonNull(pkix, "pkix");
        this.pinned = Objects.requireNonNull(pinned, "pinned");
    }

    /** Handshakes refused because the certificate, though it passed PKIX, is not a consenter's. */
    public long refused() {
        return refused.get();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        requirePinned(chain, Side.CLIENT);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
        requirePinned(chain, Side.CLIENT);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
        requirePinned(chain, Side.CLIENT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
        requirePinned(chain, Side.SERVER);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, socket);
        requirePinned(chain, Side.SERVER);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, engine);
        requirePinned(chain, Side.SERVER);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    private enum Side { CLIENT, SERVER }

    /**
     * A consenter's renewed TLS certificate: the same subject from the same issuing CA as a pinned one (the
     * chain has already passed PKIX, so that CA vouches for the subject). Renewal through the membership
     * service keeps both, so an orderer that renews and restarts rejoins Raft without a config update;
     * Fabric requires one per rotation, one of its known operational chores.
     */
    private static boolean sameIdentityAsPinned(X509Certificate leaf, Set<ByteString> allowed) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (ByteString der : allowed) {
            X509Certificate pinnedCertificate;
            try {
                pinnedCertificate = (X509Certificate) factory.generateCertificate(der.newInput());
            } catch (CertificateException e) {
                continue; // a consenter entry that does not parse pins nothing
            }
            if (pinnedCertificate.getSubjectX500Principal().equals(leaf.getSubjectX500Principal())
                    && pinnedCertificate.getIssuerX500Principal().equals(leaf.getIssuerX500Principal())) {
                return true;
            }
        }
        return false;
    }

    private void requirePinned(X509Certificate[] chain, Side side) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the Raft peer presented no TLS certificate");
        }
        ByteString leaf;
        try {
            leaf = ByteString.copyFrom(chain[0].getEncoded());
        } catch (CertificateEncodingException e) {
            throw new CertificateException("the Raft peer's TLS certificate cannot be encoded", e);
        }
        PinnedCertificates current = pinned.get();
        Set<ByteString> allowed = side == Side.CLIENT ? current.clientCertificates() : current.serverCertificates();
        if (allowed.contains(leaf) || sameIdentityAsPinned(chain[0], allowed)) {
            return;
        }
        refused.incrementAndGet();
        String role = side == Side.CLIENT ? "client" : "server";
        String message = "the Raft peer's TLS certificate (subject " + chain[0].getSubjectX500Principal().getName()
                + ", serial " + chain[0].getSerialNumber().toString(16) + ") chains to a trusted root but is not the "
                + role + " TLS certificate of a consenter of any channel this orderer serves, nor issued by the same CA"
                + " to the same subject as one; a config update must list it among the channel's consenters";
        long now = System.nanoTime();
        Long last = lastLogged.get(leaf);
        if (last == null || now - last > LOG_INTERVAL_NANOS) {
            if (lastLogged.size() > 1_000) {
                lastLogged.clear();
            }
            lastLogged.put(leaf, now);
            LOG.warn("refused a Raft connection: {}", message);
        }
        throw new CertificateException(message);
    }
}
