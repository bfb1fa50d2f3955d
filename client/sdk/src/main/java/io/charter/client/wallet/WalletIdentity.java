package io.charter.client.wallet;

import io.charter.common.crypto.CryptoProviders;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.membership.MembershipClient;
import io.charter.common.pki.SubjectName;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An enrolled identity as the wallet keeps it: its signing certificate with the chain above it (issuing CA,
 * root), the signing key, and optionally a TLS certificate and key for mutual TLS with nodes.
 *
 * @param name the wallet's label for it (the enrollment id unless chosen otherwise)
 */
public record WalletIdentity(String name, X509Certificate certificate, List<X509Certificate> chain,
        PrivateKey privateKey, Optional<TlsCredential> tls) {

    public WalletIdentity {
        Wallet.checkName(name);
        chain = List.copyOf(chain);
    }

    /** The signing certificate then its chain, as PEM files and SDK identities hold it. */
    public List<X509Certificate> signingChain() {
        return Stream.concat(Stream.of(certificate), chain.stream()).toList();
    }

    /** The enrollment id, from the certificate's CN. */
    public String enrollmentId() {
        return subject().map(SubjectName::commonName).orElse(name);
    }

    /** The organization (MSP id), from the certificate's O. */
    public String mspId() {
        return subject().map(SubjectName::organization).orElse("?");
    }

    /** The role (client, peer, orderer, admin), from the certificate's OU. */
    public String role() {
        return subject().flatMap(SubjectName::role).map(r -> r.label()).orElse("?");
    }

    public String serial() {
        return certificate.getSerialNumber().toString(16);
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** The signer of this identity's key (the key pair is checked to match). */
    public EcdsaSigner signer() {
        return EcdsaSigner.of(privateKey, certificate.getPublicKey(), CryptoProviders.preferred());
    }

    /** For the membership service's token-authenticated calls. */
    public MembershipClient.Credential credential() {
        return new MembershipClient.Credential(certificate, signer());
    }

    private Optional<SubjectName> subject() {
        return SubjectName.from(certificate);
    }
}
