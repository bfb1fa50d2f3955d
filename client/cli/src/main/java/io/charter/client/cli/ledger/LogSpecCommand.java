package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.sdk.OrdererAdmin;
import io.charter.client.sdk.PeerAdmin;
import io.charter.common.logging.LogSpec;
import io.charter.common.logging.LogSpecException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code charter logspec}: a node's log levels at run time, like Fabric's {@code /logspec}: read, or replaced with a
 * spec such as {@code info:io.charter.peer.validation=debug}, over the node's transport ({@code peer.LogSpec},
 * {@code orderer.LogSpec}: a request signed by an admin of the node's own organization).
 */
@Command(name = "logspec", description = {"Show a peer's or an orderer's log levels, or change them while it runs"
        + " (Fabric's /logspec): SPEC is a default level, then loggers with their own, e.g."
        + " 'info:io.charter.peer.validation,io.netty=debug'. Levels: trace, debug, info, warn, error. Needs an admin"
        + " of the node's organization. The local network's nodes share one process, so a change applies to all.",
        "Example:  charter logspec --peer peer0.org1 --as org1-admin",
        "Example:  charter logspec --peer peer0.org1 --as org1-admin 'info:io.charter.peer.validation=debug'",
        "Example:  charter logspec --orderer orderer1 --as orderer-admin warn"})
public final class LogSpecCommand extends CharterSubcommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "The levels to set; without it the"
            + " levels in force are shown.")
    String spec;

    @Option(names = "--orderer", paramLabel = "ORDERER", description = "An orderer instead of a peer: HOST:PORT of its"
            + " transport or its node id in the index (e.g. orderer1).")
    String orderer;

    @Mixin
    AdminOptions admin;

    @Override
    protected void run() throws IOException {
        if ((admin.peer == null) == (orderer == null)) {
            throw CliException.usage("give one node: --peer PEER or --orderer ORDERER (HOST:PORT or node id)");
        }
        Optional<String> change = Optional.ofNullable(spec);
        if (change.isPresent()) {
            try {
                LogSpec.parse(change.get()); // refused here with the node's own words, before anything is sent
            } catch (LogSpecException e) {
                throw new CliException(io.charter.client.cli.ExitCodes.USAGE, LogSpecException.CODE, e.getMessage());
            }
        }
        String node = orderer != null ? orderer : admin.peer;
        String inForce;
        if (orderer != null) {
            try (OrdererAdmin ordererAdmin = admin.connectOrdererTransport(wallet(), orderer)) {
                inForce = ordererAdmin.logSpec(change);
            } catch (OrdererAdmin.OrdererAdminException e) {
                throw AdminOptions.translate(e);
            }
        } else {
            try (PeerAdmin peerAdmin = admin.connectPeer(wallet())) {
                inForce = peerAdmin.logSpec(change);
            } catch (PeerAdmin.PeerAdminException e) {
                throw AdminOptions.translate(e);
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("node", node);
        json.put("spec", inForce);
        json.put("changed", change.isPresent());
        output().result(json, (change.isPresent() ? node + " now logs at " : node + " logs at ") + inForce);
    }
}
