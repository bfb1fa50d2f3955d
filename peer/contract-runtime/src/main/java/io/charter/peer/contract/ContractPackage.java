package io.charter.peer.contract;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A contract jar installed on this peer.
 *
 * @param packageId {@code <contract name>:<lower-case hex SHA-256 of the jar bytes>}
 * @param name the name of the jar's {@code @Contract} class
 * @param sha256 the hex SHA-256 of the jar
 * @param jar where the jar is kept
 */
public record ContractPackage(String packageId, String name, String sha256, Path jar) {

    public ContractPackage {
        Objects.requireNonNull(packageId, "packageId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(jar, "jar");
    }

    public static String packageId(String name, String sha256) {
        return name + ":" + sha256;
    }
}
