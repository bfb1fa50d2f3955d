package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.sdk.Invocation;
import io.charter.client.sdk.SubmitResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code charter invoke}: submit a transaction and wait until it is committed. */
@Command(name = "invoke", description = {"Submit a transaction: endorsed by the peers the contract's policy needs,"
        + " ordered, and waited for until committed. Prints the function's result.",
        "Example:  charter invoke asset-transfer CreateAsset asset1 blue 5 Tom 100",
        "Private inputs (--transient, --transient-file) go to the endorsing peers only, not into the transaction."})
public final class InvokeCommand extends CharterSubcommand {

    @Parameters(index = "0", paramLabel = "CONTRACT", description = "The contract, e.g. asset-transfer.")
    String contract;

    @Parameters(index = "1", paramLabel = "FUNCTION", description = "The function, e.g. CreateAsset.")
    String function;

    @Parameters(index = "2..*", paramLabel = "ARG", description = "Its arguments (strings).")
    List<String> args = new ArrayList<>();

    @Option(names = "--mvcc-retries", paramLabel = "N", defaultValue = "0",
            description = "Run it again this many times when a read conflict invalidates it (default: ${DEFAULT-VALUE}).")
    int mvccRetries;

    @Mixin
    TransientOptions transientOptions;

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() {
        if (mvccRetries < 0) {
            throw io.charter.client.cli.CliException.usage("--mvcc-retries must not be negative");
        }
        // checked before the wallet is opened or any node asked: a bad one sends nothing
        Map<String, byte[]> transientData = transientOptions.data();
        try (LedgerOptions.Connection connection = ledger.connect(wallet())) {
            SubmitResult result = SdkErrors.call(() -> connection.gateway().network(ledger.channel()).contract(contract)
                    .submit(Invocation.of(function, args.toArray(String[]::new)).withTransient(transientData)
                            .withMvccRetries(mvccRetries)));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("txId", result.txId());
            json.put("block", result.blockNumber());
            json.put("txNumber", result.txNumber());
            json.put("result", result.resultText());
            json.put("attempts", result.attempts());
            String text = result.resultText();
            output().result(json, (text.isEmpty() ? "" : text + "\n") + "committed: transaction " + result.txId()
                    + " in block " + result.blockNumber());
        }
    }
}
