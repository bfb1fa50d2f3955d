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
import tools.jackson.databind.JsonNode;

/**
 * {@code charter contract install}: installs a contract jar on one peer through its admin REST API
 * ({@code POST /api/v1/contracts}). The jar is checked first with the peer's rules, so a bad jar fails here
 * without a round trip. The local network of {@code charter up} runs the peers' cores without their admin API:
 * its peers have the sample contract installed by {@code charter up}.
 */
@Command(name = "install", description = {"Install a contract jar on a peer through its admin REST API (HTTPS with"
        + " the identity's TLS certificate; an admin of the peer's organization). Idempotent; prints the package id.",
        "The local network ('charter up') serves no admin API: its peers have the sample contract installed.",
        "Example:  charter contract install --peer https://peer0.org1.example.com:9445 --as org1-admin asset-transfer.jar"})
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
        String expected = ContractPackageCommand.check(bytes).packageId();
        JsonNode installed = admin.connect(wallet()).post("/contracts", bytes);
        String packageId = installed.path("packageId").asString(expected);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("peer", admin.peer);
        json.put("packageId", packageId);
        json.put("name", installed.path("name").asString(""));
        output().result(json, "installed on " + admin.peer + ": package id " + packageId);
    }
}
