package io.charter.shell;

import io.charter.common.pki.Pem;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * PEM files of a node's TLS identity (unset when the node enrolls instead), and of the TLS roots it trusts before
 * any channel is joined (the consortium root: admin clients, the membership service).
 */
public record TlsFiles(Path certificate, Path privateKey, Path trustedRoots) {

    /** The certificates of {@code trusted-roots}; none when it is unset. */
    public List<X509Certificate> readTrustedRoots() {
        return trustedRoots == null ? List.of() : Pem.readCertificates(trustedRoots);
    }
}
