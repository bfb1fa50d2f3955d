package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.sdk.BlockEvent;
import io.charter.client.sdk.EventStream;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;
import io.charter.protocol.TxValidationCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code charter block}: one committed block: its hashes and its transactions with their validation codes;
 * with {@code --out}, also its bytes (like Fabric's {@code peer channel fetch}), e.g. the genesis block to
 * join another node to the channel.
 */
@Command(name = "block", description = {"Show a committed block of the channel: number, hashes, and each"
        + " transaction's id, type and validation code; --out also writes the block's bytes.",
        "Example:  charter block 1", "Example:  charter block 0 --out mychannel.block   (the genesis block, for"
        + " 'charter channel join')"})
public final class BlockCommand extends CharterSubcommand {

    @Parameters(index = "0", paramLabel = "NUMBER", description = "The block number (0 is the genesis block).")
    long number;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long to wait for the block to be committed (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the block (protobuf bytes, as committed)"
            + " to this file, which must not exist yet.")
    Path out;

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() {
        if (number < 0) {
            throw CliException.usage("a block number is 0 or more, not " + number);
        }
        if (out != null && Files.exists(out)) {
            throw CliException.conflict(out + " exists: remove it or give another --out");
        }
        try (LedgerOptions.Connection connection = ledger.connect(wallet());
                EventStream<BlockEvent> blocks = SdkErrors.call(() -> connection.gateway().network(ledger.channel())
                        .blockEvents(number))) {
            Optional<BlockEvent> event = SdkErrors.call(() -> blocks.next(Duration.ofSeconds(waitSeconds)));
            BlockEvent block = event.orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "BLOCK_NOT_FOUND", "block "
                    + number + " is not committed on " + ledger.channel() + " (within " + waitSeconds + " s): the"
                    + " height is lower ('charter nodes' shows it)"));
            if (out != null) {
                write(block.block().toByteArray());
            }
            output().result(view(block), text(block) + (out == null ? "" : "written to " + out + "\n"));
        }
    }

    /** Through a temporary file in the same folder, so that a failure leaves no partial block at {@code out}. */
    private void write(byte[] bytes) {
        Path target = out.toAbsolutePath();
        try {
            Path temporary = Files.createTempFile(target.getParent(), ".block-", ".tmp");
            try {
                Files.write(temporary, bytes);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "CANNOT_WRITE", "cannot write " + out + ": " + e.getMessage()
                    + "; check the folder exists and is writable");
        }
    }

    static Map<String, Object> view(BlockEvent event) {
        Map<String, Object> view = new LinkedHashMap<>();
        HexFormat hex = HexFormat.of();
        view.put("number", event.blockNumber());
        view.put("previousHash", hex.formatHex(event.block().getHeader().getPreviousHash().toByteArray()));
        view.put("dataHash", hex.formatHex(event.block().getHeader().getDataHash().toByteArray()));
        List<Map<String, Object>> transactions = new ArrayList<>();
        List<TxValidationCode> codes = event.validationCodes();
        for (int i = 0; i < event.block().getData().getEnvelopesCount(); i++) {
            Map<String, Object> tx = new LinkedHashMap<>();
            tx.put("index", i);
            try {
                Payload payload = Payload.parseFrom(Envelope.parseFrom(event.block().getData().getEnvelopes(i)).getPayload());
                tx.put("txId", payload.getHeader().getTxId());
                tx.put("type", payload.getHeader().getType().name());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                tx.put("txId", "(not an envelope)");
                tx.put("type", "?");
            }
            tx.put("validationCode", i < codes.size() ? codes.get(i).name() : "-");
            event.conflict(i).ifPresent(conflict -> tx.put("conflict", ConflictView.json(conflict)));
            transactions.add(tx);
        }
        view.put("transactions", transactions);
        return view;
    }

    @SuppressWarnings("unchecked")
    static String text(BlockEvent event) {
        Map<String, Object> view = view(event);
        StringBuilder text = new StringBuilder("block " + view.get("number") + "\n  previous hash " + view.get("previousHash")
                + "\n  data hash     " + view.get("dataHash") + "\n");
        for (Map<String, Object> tx : (List<Map<String, Object>>) view.get("transactions")) {
            text.append(String.format("  %3d  %-64s %-22s %s%n", tx.get("index"), tx.get("txId"), tx.get("type"),
                    tx.get("validationCode")));
            if (tx.get("conflict") instanceof Map<?, ?> conflict) {
                text.append("       ").append(conflict.get("explanation")).append('\n');
            }
        }
        return text.toString();
    }
}
