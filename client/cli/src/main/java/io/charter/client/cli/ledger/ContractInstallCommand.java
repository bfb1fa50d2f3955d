package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import io.charter.client.sdk.PeerAdmin;

/**
 * {@code charter contract install}: installs a contract jar on one peer over the peer's transport
 * ({@code peer.InstallContract}, a request signed by the identity, an admin of the peer's organization), as
 * Fabric's {@code peer lifecycle chaincode install}: against any peer, the local network's included. The jar is
 * checked first with the peer's rules, so a bad jar fails here without a round trip.
 */
@Command(name = "install", description = {"Install a contract jar on a peer over its transport (a request signed by"
        + " the identity, an admin of the peer's organization, on a mutual-TLS connection). Idempotent; prints the"
        + " package id.",
        "Example:  charter contract install --peer peer0.org1 --as org1-admin asset-transfer.jar",
        "          charter contract install --peer localhost:7070 --as org1-admin asset-transfer.jar"})
public final class ContractInstallCommand extends CharterSubcommand {

    @Parameters(index = "0", paramLabel = "JAR", description = "The contract jar ('charter contract package' writes one).")
    Path jar;

    @Mixin
    AdminOptions admin;

    @Override
    protected void run() throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw CliException.usage("no such jar: " + jar);
        }
        byte[] bytes = Files.readAllBytes(jar);
        ContractPackageCommand.check(bytes);
        PeerAdmin.InstalledContract installed;
        try (PeerAdmin peer = admin.connectPeer(wallet())) {
            installed = peer.install(bytes);
        } catch (PeerAdmin.PeerAdminException e) {
            throw AdminOptions.translate(e);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("peer", admin.peer);
        json.put("packageId", installed.packageId());
        json.put("name", installed.name());
        json.put("alreadyInstalled", installed.alreadyInstalled());
        output().result(json, (installed.alreadyInstalled() ? "already installed on " : "installed on ") + admin.peer
                + ": package id " + installed.packageId());
    }
}
