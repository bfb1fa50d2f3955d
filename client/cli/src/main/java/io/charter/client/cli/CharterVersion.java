package io.charter.client.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code charter --version}: the client module's version from its jar manifest, or "development". */
public final class CharterVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = CharterVersion.class.getPackage().getImplementationVersion();
        return new String[] {"charter " + (version == null ? "development build" : version),
                "JVM: ${java.version} (${java.vendor})"};
    }
}
