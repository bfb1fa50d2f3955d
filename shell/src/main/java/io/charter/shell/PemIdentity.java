package io.charter.shell;

import java.nio.file.Path;

/** PEM files: the certificate (chain, leaf first) and its PKCS#8 private key; unset when the node enrolls instead. */
public record PemIdentity(Path certificate, Path privateKey) {}
