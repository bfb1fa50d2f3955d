package io.charter.client.wallet;

import io.charter.common.crypto.EcKeys;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.membership.MembershipClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Obtains identities from the membership service: a fresh P-256 key per certificate, a CSR for it (the
 * key never leaves this process), enrollment of a signing certificate and, when asked, a TLS one. Nothing
 * is stored here: the caller puts the result in a {@link Wallet} once every step succeeded.
 */
public final class Enroller {

    private final MembershipClient membership;

    public Enroller(MembershipClient membership) {
        this.membership = membership;
    }

    /**
     * Enrolls {@code id} with its one-time {@code secret}.
     *
     * @param tlsHosts when present, also a TLS certificate for these subject alternative names
     */
    public WalletIdentity enroll(String name, String id, String secret, Optional<List<String>> tlsHosts) {
        KeyPair signingKeys = EcKeys.generate();
        MembershipClient.Enrollment signing = membership.enroll(id, secret, csr(id, signingKeys), "signing", List.of());
        Optional<TlsCredential> tls = Optional.empty();
        if (tlsHosts.isPresent()) {
            KeyPair tlsKeys = EcKeys.generate();
            MembershipClient.Enrollment issued = membership.enroll(id, secret, csr(id, tlsKeys), "tls", tlsHosts.get());
            tls = Optional.of(new TlsCredential(issued.certificate(), issued.chain(), tlsKeys.getPrivate()));
        }
        return new WalletIdentity(name, signing.certificate(), signing.chain(), signingKeys.getPrivate(), tls);
    }

    /** Renews every certificate of {@code current} with new keys, authenticated by its current signing certificate. */
    public WalletIdentity reenroll(WalletIdentity current, List<String> tlsHosts) {
        MembershipClient.Credential credential = current.credential();
        KeyPair signingKeys = EcKeys.generate();
        String id = current.enrollmentId();
        MembershipClient.Enrollment signing = membership.reenroll(credential, csr(id, signingKeys), "signing", List.of());
        Optional<TlsCredential> tls = Optional.empty();
        if (current.tls().isPresent()) {
            KeyPair tlsKeys = EcKeys.generate();
            MembershipClient.Enrollment issued = membership.reenroll(credential, csr(id, tlsKeys), "tls", tlsHosts);
            tls = Optional.of(new TlsCredential(issued.certificate(), issued.chain(), tlsKeys.getPrivate()));
        }
        return new WalletIdentity(current.name(), signing.certificate(), signing.chain(), signingKeys.getPrivate(), tls);
    }

    /** A DER PKCS#10 request with subject {@code CN=<id>} (the service sets O and OU from the registration). */
    static byte[] csr(String id, KeyPair keys) {
        try {
            EcdsaSigner.of(keys); // the key pair is a P-256 pair
            return new JcaPKCS10CertificationRequestBuilder(new X500Name(new org.bouncycastle.asn1.x500.RDN[] {
                    new org.bouncycastle.asn1.x500.RDN(org.bouncycastle.asn1.x500.style.BCStyle.CN,
                            new org.bouncycastle.asn1.DERUTF8String(id))}), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a CSR", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
