package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.sdk.CommitStatus;
import io.charter.client.sdk.Network;
import io.charter.client.sdk.SdkErrorCode;
import io.charter.client.sdk.SdkException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code charter tx}: where a transaction was committed and whether it is valid. */
@Command(name = "tx", description = {"Show a transaction's commit status: block, position and validation code"
        + " (waits briefly if it is not committed yet)."})
public final class TxCommand extends CharterSubcommand {

    private static final Pattern TX_ID = Pattern.compile("[0-9a-f]{64}");

    @Parameters(index = "0", paramLabel = "TXID", description = "The transaction id (64 hex characters).")
    String txId;

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() {
        if (!TX_ID.matcher(txId).matches()) {
            throw CliException.usage("a transaction id is 64 lower-case hex characters, not '" + txId + "'");
        }
        try (LedgerOptions.Connection connection = ledger.connect(wallet())) {
            CommitStatus status;
            try {
                Network network = connection.gateway().network(ledger.channel());
                // committed already, valid or not (or only claimed by an unverified envelope); else wait for it
                Optional<CommitStatus> now = network.transactionStatus(txId);
                status = now.isPresent() ? now.get() : network.commitStatus(txId);
            } catch (SdkException e) {
                if (e.code() == SdkErrorCode.TIMEOUT) {
                    throw CliException.notFound("no transaction " + txId + " is committed on " + ledger.channel());
                }
                throw SdkErrors.translate(e);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("txId", status.txId());
            json.put("block", status.blockNumber());
            json.put("txNumber", status.txNumber());
            json.put("validationCode", status.validationCode());
            json.put("valid", status.isValid());
            json.put("claim", status.claim());
            status.conflict().ifPresent(conflict -> json.put("conflict", ConflictView.json(conflict)));
            output().result(json, "transaction " + txId + "\n  block " + status.blockNumber() + ", position "
                    + status.txNumber() + ", " + status.validationCode()
                    + status.conflict().map(conflict -> "\n  " + ConflictView.text(conflict)).orElse("")
                    + (status.claim() ? "\n  only claimed: the envelope names this id but its creator was not verified"
                            + " (or it repeated an id already committed); whoever sent it may have used another's id" : ""));
        }
    }
}
