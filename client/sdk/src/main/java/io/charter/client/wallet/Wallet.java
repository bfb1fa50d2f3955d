package io.charter.client.wallet;

import io.charter.common.pki.Pem;
import io.charter.common.pki.PkiFormatException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of enrolled identities, one sub-folder each, plus the connection details of the membership
 * service that issued them (its address and the consortium root to trust). Layout (docs/cli.md):
 *
 * <pre>
 * wallet.properties        format=1, membership.url, default (the identity used when --as is not given)
 * consortium-root.pem      the only certificate trusted for the membership service's TLS
 * &lt;name&gt;/signing-cert.pem  certificate, then issuing CA, then root
 * &lt;name&gt;/signing-key.pem   PKCS#8, owner read/write only
 * &lt;name&gt;/tls-cert.pem, tls-key.pem (when enrolled with TLS)
 * </pre>
 *
 * Every write is atomic: an identity's folder is written aside and moved into place, so a failure leaves
 * the wallet as it was.
 */
public final class Wallet {

    public static final int FORMAT = 1;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final String PROPERTIES = "wallet.properties";
    private static final String ROOT = "consortium-root.pem";

    /** The membership service's address and the consortium root certificate to trust for it. */
    public record Connection(URI membershipUrl, X509Certificate consortiumRoot) {}

    private final Path folder;

    public Wallet(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    public Path folder() {
        return folder;
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an identity name is 1 to 64 letters, digits, '.', '_', '@' or '-',"
                    + " starting with a letter or digit: " + name);
        }
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    // ---- connection details

    public Optional<Connection> connection() {
        Properties properties = properties();
        String url = properties.getProperty("membership.url");
        Path root = folder.resolve(ROOT);
        if (url == null || !Files.exists(root)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Connection(URI.create(url), Pem.decodeCertificate(Files.readString(root))));
        } catch (IOException e) {
            throw new WalletException(WalletException.Reason.IO, "cannot read " + root + ": " + e.getMessage(), e);
        } catch (PkiFormatException | IllegalArgumentException e) {
            throw new WalletException(WalletException.Reason.CORRUPT, root + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    public void saveConnection(Connection connection) {
        createFolder();
        writeAtomically(folder.resolve(ROOT), Pem.encodeCertificate(connection.consortiumRoot()));
        Properties properties = properties();
        properties.setProperty("membership.url", connection.membershipUrl().toString());
        saveProperties(properties);
    }

    // ---- identities

    public Optional<String> defaultIdentity() {
        return Optional.ofNullable(properties().getProperty("default")).filter(name -> contains(name));
    }

    public void setDefaultIdentity(String name) {
        checkName(name);
        Properties properties = properties();
        properties.setProperty("default", name);
        saveProperties(properties);
    }

    public boolean contains(String name) {
        return validName(name) && Files.isRegularFile(folder.resolve(name).resolve("signing-cert.pem"));
    }

    /** The identities, sorted by name. */
    public List<WalletIdentity> list() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<WalletIdentity> identities = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && contains(name)) {
                    identities.add(get(name));
                }
            }
        } catch (IOException e) {
            throw new WalletException(WalletException.Reason.IO, "cannot list " + folder + ": " + e.getMessage(), e);
        }
        identities.sort(Comparator.comparing(WalletIdentity::name));
        return identities;
    }

    public Optional<WalletIdentity> find(String name) {
        return contains(name) ? Optional.of(get(name)) : Optional.empty();
    }

    /** The identity {@code name}; {@code NOT_FOUND} with the names there are when it is missing. */
    public WalletIdentity get(String name) {
        if (!contains(name)) {
            List<String> names = names();
            throw new WalletException(WalletException.Reason.NOT_FOUND, "no identity '" + name + "' in the wallet "
                    + folder + (names.isEmpty() ? " (it is empty: enroll one with 'charter enroll')"
                            : " (it holds: " + String.join(", ", names) + ")"));
        }
        Path dir = folder.resolve(name);
        try {
            List<X509Certificate> signing = Pem.decodeCertificates(Files.readString(dir.resolve("signing-cert.pem")));
            PrivateKey key = Pem.decodePrivateKey(Files.readString(dir.resolve("signing-key.pem")));
            Optional<TlsCredential> tls = Optional.empty();
            if (Files.exists(dir.resolve("tls-cert.pem"))) {
                List<X509Certificate> tlsChain = Pem.decodeCertificates(Files.readString(dir.resolve("tls-cert.pem")));
                tls = Optional.of(new TlsCredential(tlsChain.getFirst(), tlsChain.subList(1, tlsChain.size()),
                        Pem.decodePrivateKey(Files.readString(dir.resolve("tls-key.pem")))));
            }
            return new WalletIdentity(name, signing.getFirst(), signing.subList(1, signing.size()), key, tls);
        } catch (IOException e) {
            throw new WalletException(WalletException.Reason.IO, "cannot read identity '" + name + "' in " + dir
                    + ": " + e.getMessage(), e);
        } catch (PkiFormatException | IllegalArgumentException e) {
            throw new WalletException(WalletException.Reason.CORRUPT, "identity '" + name + "' in " + dir
                    + " is damaged (" + e.getMessage() + "): remove that folder and enroll again", e);
        }
    }

    public List<String> names() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).filter(this::contains).sorted().toList();
        } catch (IOException e) {
            throw new WalletException(WalletException.Reason.IO, "cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores {@code identity} under its name. With {@code replace} false an existing identity of that name
     * is an {@code EXISTS} error and nothing is written.
     */
    public void put(WalletIdentity identity, boolean replace) {
        createFolder();
        Path target = folder.resolve(identity.name());
        if (!replace && Files.exists(target)) {
            throw new WalletException(WalletException.Reason.EXISTS, "the wallet already holds an identity named '"
                    + identity.name() + "': choose another with --name, or remove " + target);
        }
        Path staging = folder.resolve(".staging-" + identity.name() + "-" + UUID.randomUUID());
        try {
            Files.createDirectory(staging);
            Files.writeString(staging.resolve("signing-cert.pem"), Pem.encodeCertificates(identity.signingChain()));
            writeKey(staging.resolve("signing-key.pem"), identity.privateKey());
            if (identity.tls().isPresent()) {
                TlsCredential tls = identity.tls().get();
                Files.writeString(staging.resolve("tls-cert.pem"), Pem.encodeCertificates(tls.fullChain()));
                writeKey(staging.resolve("tls-key.pem"), tls.privateKey());
            }
            if (Files.exists(target)) {
                Path old = folder.resolve(".old-" + identity.name() + "-" + UUID.randomUUID());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (FileAlreadyExistsException e) {
            deleteTree(staging);
            throw new WalletException(WalletException.Reason.EXISTS, "the wallet already holds an identity named '"
                    + identity.name() + "'", e);
        } catch (IOException e) {
            deleteTree(staging);
            throw new WalletException(WalletException.Reason.IO, "cannot write identity '" + identity.name() + "' to "
                    + folder + ": " + e.getMessage(), e);
        }
    }

    // ---- files

    private void createFolder() {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new WalletException(WalletException.Reason.IO, "cannot create the wallet folder " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    private Properties properties() {
        Properties properties = new Properties();
        Path file = folder.resolve(PROPERTIES);
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new WalletException(WalletException.Reason.IO, "cannot read " + file + ": " + e.getMessage(), e);
            }
            String format = properties.getProperty("format", "?");
            if (!Integer.toString(FORMAT).equals(format)) {
                throw new WalletException(WalletException.Reason.CORRUPT, file + " is of wallet format " + format
                        + ", this charter reads format " + FORMAT + ": use a newer charter or another --wallet");
            }
        }
        return properties;
    }

    private void saveProperties(Properties properties) {
        properties.setProperty("format", Integer.toString(FORMAT));
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "charter wallet");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeAtomically(folder.resolve(PROPERTIES), text.toString());
    }

    private static void writeKey(Path file, PrivateKey key) throws IOException {
        Files.writeString(file, Pem.encodePrivateKey(key));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own protection applies
        }
    }

    private void writeAtomically(Path file, String content) {
        Path temporary = file.resolveSibling("." + file.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.writeString(temporary, content);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the original failure is the one to report
            }
            throw new WalletException(WalletException.Reason.IO, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new WalletException(WalletException.Reason.IO, "cannot remove " + root + ": " + e.getMessage(), e);
        }
    }
}
