package io.charter.common.membership;

import io.charter.common.pki.Pem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's identity on disk under {@code <data>/msp/}: {@code signing-key.pem}, {@code signing-cert.pem},
 * {@code tls-key.pem}, {@code tls-cert.pem} (PEM; chains leaf first).
 *
 * <p>Replacing the four files cannot be one rename, so a store is journaled: the new files are written
 * and fsynced into {@code msp/next/}, then a {@code COMPLETE} marker is written and fsynced, then each
 * file is renamed over the old one, and the staging directory is removed. A crash before the marker
 * leaves the old identity (the partial staging is discarded at the next load); a crash after it is
 * rolled forward at the next load. Either way no key is ever paired with another key's certificate.
 */
final class IdentityFiles {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityFiles.class);
    static final List<String> NAMES = List.of("signing-key.pem", "signing-cert.pem", "tls-key.pem", "tls-cert.pem");
    static final String STAGING = "next";
    static final String COMPLETE = "COMPLETE";

    private final Path msp;

    IdentityFiles(Path dataDirectory) {
        this.msp = dataDirectory.resolve("msp");
    }

    Path directory() {
        return msp;
    }

    /** The stored identity, after finishing or discarding an interrupted store; empty when none is stored. */
    Optional<NodeBootstrap.Identity> load() throws IOException {
        recover();
        for (String name : NAMES) {
            if (!Files.exists(msp.resolve(name))) {
                return Optional.empty();
            }
        }
        return Optional.of(new NodeBootstrap.Identity(
                Pem.decodePrivateKey(Files.readString(msp.resolve("signing-key.pem"))),
                Pem.decodeCertificates(Files.readString(msp.resolve("signing-cert.pem"))),
                Pem.decodePrivateKey(Files.readString(msp.resolve("tls-key.pem"))),
                Pem.decodeCertificates(Files.readString(msp.resolve("tls-cert.pem")))));
    }

    /** Replaces the stored identity with {@code identity}; on failure the previous files are untouched. */
    void store(NodeBootstrap.Identity identity) throws IOException {
        Files.createDirectories(msp);
        Path staging = msp.resolve(STAGING);
        deleteStaging(staging);
        Files.createDirectory(staging);
        List<String> texts = List.of(Pem.encodePrivateKey(identity.signingKey()), Pem.encodeCertificates(identity.signingChain()),
                Pem.encodePrivateKey(identity.tlsKey()), Pem.encodeCertificates(identity.tlsChain()));
        for (int i = 0; i < NAMES.size(); i++) {
            writeSynced(staging.resolve(NAMES.get(i)), texts.get(i));
        }
        syncDirectory(staging);
        writeSynced(staging.resolve(COMPLETE), "");
        syncDirectory(staging);
        rollForward(staging);
    }

    private void recover() throws IOException {
        Path staging = msp.resolve(STAGING);
        if (!Files.exists(staging)) {
            return;
        }
        if (Files.exists(staging.resolve(COMPLETE))) {
            LOG.info("finishing an interrupted identity update in {}", staging);
            rollForward(staging);
        } else {
            LOG.warn("discarding an incomplete identity update in {}; the previous identity stays", staging);
            deleteStaging(staging);
        }
    }

    private void rollForward(Path staging) throws IOException {
        for (String name : NAMES) {
            Path staged = staging.resolve(name);
            if (Files.exists(staged)) { // absent when a previous roll-forward moved it already
                Files.move(staged, msp.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        syncDirectory(msp);
        deleteStaging(staging);
        syncDirectory(msp);
    }

    private static void deleteStaging(Path staging) throws IOException {
        if (!Files.exists(staging)) {
            return;
        }
        if (Files.isDirectory(staging)) {
            // the marker goes first so that a crash while deleting never leaves a marker without all files
            Files.deleteIfExists(staging.resolve(COMPLETE));
            try (Stream<Path> files = Files.list(staging)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
        Files.deleteIfExists(staging);
    }

    private static void writeSynced(Path file, String text) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            // some platforms (Windows) cannot open a directory to sync it; the renames are still atomic there
            LOG.debug("cannot sync directory {}: {}", directory, e.getMessage());
        }
    }
}
