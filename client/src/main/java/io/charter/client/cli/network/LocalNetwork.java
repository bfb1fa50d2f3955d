package io.charter.client.cli.network;

import io.charter.client.cli.CliException;
import io.charter.client.network.NetworkLayout;
import java.util.Properties;

/** Checks shared by up, down and status: is the folder a network of this version. */
final class LocalNetwork {

    private LocalNetwork() {}

    /** The stored settings of the network in {@code layout}, refusing a folder of another format. */
    static Properties compatibleSettings(NetworkLayout layout) {
        Properties settings = layout.load().orElseThrow();
        String format = settings.getProperty("format", "?");
        if (!Integer.toString(NetworkLayout.FORMAT).equals(format)) {
            throw CliException.conflict("the local network in " + layout.folder() + " is of data format " + format
                    + " and this charter uses format " + NetworkLayout.FORMAT + ": nothing was changed. Use the charter"
                    + " that created it, or remove it with 'charter down --purge' (its ledger is lost), or use another --home");
        }
        return settings;
    }
}
