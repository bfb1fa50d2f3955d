package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.sdk.Invocation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code charter query}: evaluate a function on one peer, nothing ordered. */
@Command(name = "query", description = {"Evaluate a contract function on one peer (of your organization, or --peer)"
        + " without ordering anything, and print what it returned.",
        "Example:  charter query asset-transfer ReadAsset asset1 --peer peer0.org2",
        "Private inputs (--transient, --transient-file) go to the peer only."})
public final class QueryCommand extends CharterSubcommand {

    @Parameters(index = "0", paramLabel = "CONTRACT", description = "The contract, e.g. asset-transfer.")
    String contract;

    @Parameters(index = "1", paramLabel = "FUNCTION", description = "The function, e.g. ReadAsset.")
    String function;

    @Parameters(index = "2..*", paramLabel = "ARG", description = "Its arguments (strings).")
    List<String> args = new ArrayList<>();

    @Mixin
    TransientOptions transientOptions;

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() {
        // checked before the wallet is opened or any node asked: a bad one sends nothing
        Map<String, byte[]> transientData = transientOptions.data();
        try (LedgerOptions.Connection connection = ledger.connect(wallet())) {
            byte[] result = SdkErrors.call(() -> connection.gateway().network(ledger.channel()).contract(contract)
                    .evaluate(Invocation.of(function, args.toArray(String[]::new)).withTransient(transientData)));
            String text = new String(result, StandardCharsets.UTF_8);
            output().result(Map.of("result", text), text);
        }
    }
}
