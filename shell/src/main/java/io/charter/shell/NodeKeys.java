package io.charter.shell;

import io.charter.common.pki.Pem;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A node's signing and TLS keys with their chains (leaf first): the enrolled identity when the node uses the
 * membership service, else its configured PEM files.
 */
public record NodeKeys(List<X509Certificate> signingChain, PrivateKey signingKey, List<X509Certificate> tlsChain,
                       PrivateKey tlsKey) {

    /** @param prefix the node's properties ({@code charter.peer}), named in the error when a file is missing */
    public static NodeKeys of(Optional<MembershipSetup> enrolled, PemIdentity signing, TlsFiles tls, String prefix) {
        if (enrolled.isPresent()) {
            var identity = enrolled.get().identity();
            return new NodeKeys(identity.signingChain(), identity.signingKey(), identity.tlsChain(), identity.tlsKey());
        }
        return new NodeKeys(
                Pem.readCertificates(require(signing.certificate(), prefix + ".signing.certificate")),
                Pem.readPrivateKey(require(signing.privateKey(), prefix + ".signing.private-key")),
                Pem.readCertificates(require(tls.certificate(), prefix + ".tls.certificate")),
                Pem.readPrivateKey(require(tls.privateKey(), prefix + ".tls.private-key")));
    }

    private static Path require(Path path, String key) {
        if (path == null) {
            throw new IllegalStateException(key + " is required (a PEM file)");
        }
        return path;
    }
}
