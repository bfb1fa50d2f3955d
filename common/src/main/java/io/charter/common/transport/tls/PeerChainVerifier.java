package io.charter.common.transport.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.util.IPAddress;

/**
 * Decides whether a certificate chain presented in a TLS handshake is acceptable:
 *
 * <ol>
 *   <li>PKIX path validation (signatures, validity periods, basic constraints, key usage) up to one
 *       of {@link TlsTrust#trustedRoots()};
 *   <li>the leaf is meant for the role it plays: the clientAuth or serverAuth extended key usage,
 *       when the certificate restricts its usages at all;
 *   <li>no certificate of the path appears on a CRL of its issuer, among {@link
 *       TlsTrust#currentCrls()};
 *   <li>for a server, optionally, that its subject alternative names include the host the client
 *       meant to reach.
 * </ol>
 *
 * <p>Revocation is checked here rather than by the JDK's PKIX revocation checker because Charter's
 * CRLs come from the membership service, not from distribution points: a CRL is used when it is
 * signed by the issuer of the certificate in question, whatever its thisUpdate/nextUpdate say (a
 * revocation stays true when a refresh is late; a CA whose CRL is not known yet revokes nothing).
 * Hostnames match subject alternative names exactly (case-insensitive DNS names, or IP literals);
 * Charter's CAs issue no wildcard names and the subject CN is never consulted.
 */
public final class PeerChainVerifier {

    /** The usage a peer certificate must allow, by the side the peer plays. */
    public enum PeerRole {
        CLIENT("1.3.6.1.5.5.7.3.2"),
        SERVER("1.3.6.1.5.5.7.3.1");

        private static final String ANY_USAGE = "2.5.29.37.0";
        private final String extendedKeyUsage;

        PeerRole(String extendedKeyUsage) {
            this.extendedKeyUsage = extendedKeyUsage;
        }
    }

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private final TlsTrust trust;
    private final Clock clock;

    public PeerChainVerifier(TlsTrust trust, Clock clock) {
        this.trust = trust;
        this.clock = clock;
    }

    /**
     * @param expectedHost for a server: the host name or IP literal the client connected to
     * @throws CertificateException saying why the chain is refused
     */
    public void verify(List<X509Certificate> chain, PeerRole role, Optional<String> expectedHost)
            throws CertificateException {
        if (chain.isEmpty()) {
            throw new CertificateException("the peer presented no certificate");
        }
        Collection<X509Certificate> roots = trust.trustedRoots();
        List<X509Certificate> path = withoutTrailingRoots(chain, roots);
        if (path.isEmpty()) {
            throw new CertificateException("the peer presented a root CA certificate as its own");
        }
        X509Certificate leaf = path.getFirst();
        X509Certificate anchor = validatePath(path, roots);
        checkUsage(leaf, role);
        checkRevocation(path, anchor, trust.currentCrls());
        if (expectedHost.isPresent()) {
            checkHost(leaf, expectedHost.get());
        }
    }

    private static List<X509Certificate> withoutTrailingRoots(List<X509Certificate> chain, Collection<X509Certificate> roots) {
        int end = chain.size();
        while (end > 0 && roots.contains(chain.get(end - 1))) {
            end--;
        }
        return List.copyOf(chain.subList(0, end));
    }

    /** Returns the trusted root the path ends in. */
    private X509Certificate validatePath(List<X509Certificate> path, Collection<X509Certificate> roots)
            throws CertificateException {
        if (roots.isEmpty()) {
            throw new CertificateException("no trusted roots are configured");
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate root : roots) {
            anchors.add(new TrustAnchor(root, null));
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return result.getTrustAnchor().getTrustedCert();
        } catch (CertPathValidatorException e) {
            throw new CertificateException("certificate " + describe(path.getFirst())
                    + " does not chain to a trusted root: " + e.getMessage(), e);
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw new CertificateException("cannot validate certificate paths on this JDK", e);
        }
    }

    private static void checkUsage(X509Certificate leaf, PeerRole role) throws CertificateException {
        List<String> usages;
        try {
            usages = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new CertificateException("unreadable extended key usage in " + describe(leaf), e);
        }
        if (usages != null && !usages.contains(role.extendedKeyUsage) && !usages.contains(PeerRole.ANY_USAGE)) {
            throw new CertificateException("certificate " + describe(leaf) + " is not meant for a TLS "
                    + role.name().toLowerCase(Locale.ROOT));
        }
    }

    private static void checkRevocation(List<X509Certificate> path, X509Certificate anchor, Collection<X509CRL> crls)
            throws CertificateException {
        if (crls.isEmpty()) {
            return;
        }
        for (int i = 0; i < path.size(); i++) {
            X509Certificate certificate = path.get(i);
            X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : anchor;
            for (X509CRL crl : crls) {
                if (crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())
                        && crl.getRevokedCertificate(certificate) != null
                        && signedBy(crl, issuer)) {
                    throw new CertificateException("certificate " + describe(certificate) + " is revoked");
                }
            }
        }
    }

    private static boolean signedBy(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            // A CRL that merely names the issuer proves nothing.
            return false;
        }
    }

    private static void checkHost(X509Certificate leaf, String host) throws CertificateException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean ipLiteral = IPAddress.isValid(bare);
        Collection<List<?>> names;
        try {
            names = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateException("unreadable subject alternative names in " + describe(leaf), e);
        }
        List<String> seen = new ArrayList<>();
        if (names != null) {
            for (List<?> name : names) {
                int type = (Integer) name.get(0);
                String value = String.valueOf(name.get(1));
                seen.add(value);
                if (ipLiteral ? type == IP_ADDRESS && sameAddress(bare, value)
                              : type == DNS_NAME && value.equalsIgnoreCase(bare)) {
                    return;
                }
            }
        }
        throw new CertificateException("certificate " + describe(leaf) + " is not valid for " + host
                + " (its names: " + seen + ")");
    }

    private static boolean sameAddress(String literal, String other) {
        try {
            // Both are IP literals, so no name lookup happens.
            return IPAddress.isValid(other) && InetAddress.getByName(literal).equals(InetAddress.getByName(other));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String describe(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "' (serial "
                + certificate.getSerialNumber().toString(16) + ")";
    }
}
