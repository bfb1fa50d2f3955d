package io.charter.membership.ca;

import java.nio.file.Path;
import java.util.Objects;

/** Where to import an existing consortium root CA from on first start, instead of creating one. */
public sealed interface CaImport {

    /**
     * A PEM certificate (or chain: the root must be self-signed and come last) and a PEM private key
     * (PKCS#8 {@code PRIVATE KEY} or {@code EC PRIVATE KEY}, unencrypted).
     */
    record PemFiles(Path certificate, Path privateKey) implements CaImport {
        public PemFiles {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }

    /** A PKCS#12 key store; {@code alias} may be null when the store holds exactly one key entry. */
    record Pkcs12(Path file, char[] password, String alias) implements CaImport {
        public Pkcs12 {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(password, "password");
        }
    }
}
