package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.Output;
import io.charter.client.sdk.BlockEvent;
import io.charter.client.sdk.ContractEvent;
import io.charter.client.sdk.EventStream;
import io.charter.client.sdk.Network;
import io.charter.common.protocol.Identifiers;
import io.charter.protocol.TxValidationCode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code charter events}: the channel's committed blocks, or one contract's events, from a block on, one line each
 * (text, or JSON lines), like a Fabric application's block and chaincode event listeners. {@code --checkpoint}
 * keeps where the last run stopped, so that runs one after the other see every event exactly once.
 */
@Command(name = "events", description = {"Show the channel's committed blocks, or one contract's events (--contract),"
        + " from a block on: one line each, as text or JSON lines (-o json). Stops after --count events, or when no"
        + " block came for --wait seconds, or never with --follow. --checkpoint FILE resumes where the last run"
        + " stopped: every event exactly once across runs.",
        "Example:  charter events --from 0 --count 3",
        "Example:  charter events --contract asset-transfer --follow --checkpoint asset-events.json -o json"})
public final class EventsCommand extends CharterSubcommand {

    @Option(names = "--contract", paramLabel = "NAME", description = "Show this contract's events (those of valid"
            + " transactions) instead of blocks.")
    String contract;

    @Option(names = "--from", paramLabel = "BLOCK", defaultValue = "0", description = "The first block to read"
            + " (default: ${DEFAULT-VALUE}); ignored when the --checkpoint file exists.")
    long from;

    @Option(names = "--count", paramLabel = "N", description = "Stop after this many blocks or events.")
    Long count;

    @Option(names = "--follow", description = "Keep waiting for new blocks (stop with Ctrl-C, or --count).")
    boolean follow;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "3", description = "Without --follow: stop when"
            + " no new block came for this long (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Where to resume from (read when the file"
            + " exists) and where this run's position is kept after every event it prints.")
    Path checkpointFile;

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() {
        if (from < 0) {
            throw CliException.usage("a block number is 0 or more, not --from " + from);
        }
        if (count != null && count < 1) {
            throw CliException.usage("--count is 1 or more, not " + count);
        }
        if (waitSeconds < 1) {
            throw CliException.usage("--wait is 1 second or more, not " + waitSeconds);
        }
        if (contract != null && !Identifiers.isName(contract)) {
            throw CliException.usage("--contract " + Identifiers.quote(contract) + " is not a contract name: 1 to "
                    + Identifiers.MAX_NAME_LENGTH + " characters");
        }
        String stream = contract == null ? EventsCheckpoint.BLOCKS : EventsCheckpoint.CONTRACT_PREFIX + contract;
        EventsCheckpoint start = checkpointFile == null ? EventsCheckpoint.start(ledger.channel(), stream, from)
                : EventsCheckpoint.readOrStart(checkpointFile, ledger.channel(), stream, from);
        try (LedgerOptions.Connection connection = ledger.connect(wallet())) {
            Network network = SdkErrors.call(() -> connection.gateway().network(ledger.channel()));
            long shown = contract == null ? blocks(network, start) : contractEvents(network, start);
            output().progress(shown + (contract == null ? " block(s)" : " event(s)") + " shown" + (checkpointFile == null
                    ? "" : "; position kept in " + checkpointFile));
        }
    }

    private long blocks(Network network, EventsCheckpoint start) {
        long shown = 0;
        try (EventStream<BlockEvent> events = SdkErrors.call(() -> network.blockEvents(start.nextBlock()))) {
            Optional<BlockEvent> next;
            while ((count == null || shown < count) && (next = SdkErrors.call(() -> events.next(patience()))).isPresent()) {
                BlockEvent block = next.get();
                output().line(blockView(block), blockText(block));
                shown++;
                keep(start.at(block.blockNumber() + 1, 0));
            }
        }
        return shown;
    }

    private long contractEvents(Network network, EventsCheckpoint start) {
        long shown = 0;
        long block = start.nextBlock();
        int doneInBlock = 0;
        int toSkip = start.eventsDoneInBlock();
        try (EventStream<ContractEvent> events = SdkErrors.call(() -> network.contractEvents(contract, start.nextBlock()))) {
            Optional<ContractEvent> next;
            while ((count == null || shown < count) && (next = SdkErrors.call(() -> events.next(patience()))).isPresent()) {
                ContractEvent event = next.get();
                if (event.blockNumber() != block) {
                    block = event.blockNumber();
                    doneInBlock = 0;
                    toSkip = 0;
                }
                doneInBlock++;
                if (toSkip > 0) { // shown by the run that kept this checkpoint
                    toSkip--;
                    continue;
                }
                output().line(eventView(event), eventText(event));
                shown++;
                keep(events.nextBlockNumber() > block ? start.at(events.nextBlockNumber(), 0)
                        : start.at(block, doneInBlock));
            }
            if (checkpointFile != null && events.nextBlockNumber() > block) {
                keep(start.at(events.nextBlockNumber(), 0)); // blocks without events of the contract count as read
            }
        }
        return shown;
    }

    private Duration patience() {
        return follow ? Duration.ofDays(365) : Duration.ofSeconds(waitSeconds);
    }

    private void keep(EventsCheckpoint position) {
        if (checkpointFile != null) {
            position.writeTo(checkpointFile);
        }
    }

    static Map<String, Object> blockView(BlockEvent event) {
        return BlockCommand.view(event);
    }

    static String blockText(BlockEvent event) {
        Map<String, Integer> codes = new TreeMap<>();
        for (TxValidationCode code : event.validationCodes()) {
            codes.merge(code.name(), 1, Integer::sum);
        }
        StringBuilder summary = new StringBuilder();
        codes.forEach((code, n) -> summary.append(summary.isEmpty() ? "" : ", ").append(n).append(' ').append(code));
        return String.format("block %d  %d transaction(s)%s  data hash %s", event.blockNumber(),
                event.transactionCount(), summary.isEmpty() ? "" : " (" + summary + ")",
                HexFormat.of().formatHex(event.block().getHeader().getDataHash().toByteArray()));
    }

    static Map<String, Object> eventView(ContractEvent event) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("block", event.blockNumber());
        view.put("txId", event.txId());
        view.put("contract", event.contractName());
        view.put("event", event.eventName());
        Optional<String> text = utf8(event.payload());
        if (text.isPresent()) {
            view.put("payload", text.get());
        } else {
            view.put("payloadBase64", Base64.getEncoder().encodeToString(event.payload()));
        }
        return view;
    }

    static String eventText(ContractEvent event) {
        String payload = utf8(event.payload()).map(Output::printable)
                .orElseGet(() -> "base64:" + Base64.getEncoder().encodeToString(event.payload()));
        return String.format("block %d  tx %s  %s.%s  %s", event.blockNumber(), event.txId(), event.contractName(),
                Output.printable(event.eventName()), payload);
    }

    /** The payload as text when it is well-formed UTF-8, which most contracts' JSON payloads are. */
    private static Optional<String> utf8(byte[] payload) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
