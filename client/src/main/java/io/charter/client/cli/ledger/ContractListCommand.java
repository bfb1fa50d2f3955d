package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.sdk.BlockEvent;
import io.charter.client.sdk.EventStream;
import io.charter.common.membership.MembershipClient;
import io.charter.peer.lifecycle.Lifecycle;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.NamespaceReadWriteSet;
import io.charter.protocol.ProposalResponsePayload;
import io.charter.protocol.TxReadWriteSet;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.Payload;
import io.charter.protocol.Transaction;
import io.charter.protocol.TxValidationCode;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code charter contract list}: the contracts defined on a channel, read from its committed blocks: every
 * valid {@code CONTRACT_DEFINITION} transaction carries its definition, and the last one of a name is in force.
 * Peers answer no query on the reserved {@code _lifecycle} namespace, and the block stream is what the SDK
 * offers every channel member; reading the chain costs one pass over it (fine for the local network's sizes).
 */
@Command(name = "list", description = {"List the contracts defined on the channel (name, version, sequence, endorsement"
        + " policy, package id), from the definitions in its committed blocks.", "Example:  charter contract list -C mychannel"})
public final class ContractListCommand extends CharterSubcommand {

    @Option(names = "--idle", paramLabel = "MILLIS", defaultValue = "1000", description = "After the height the index"
            + " reports, stop when no further block arrives within this time (default: ${DEFAULT-VALUE}).")
    long idleMillis;

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() {
        if (idleMillis < 0) {
            throw io.charter.client.cli.CliException.usage("--idle must not be negative");
        }
        Map<String, ContractDefinition> defined = new TreeMap<>();
        try (LedgerOptions.Connection connection = ledger.connect(wallet())) {
            long height = indexHeight(connection);
            try (EventStream<BlockEvent> blocks = SdkErrors.call(() -> connection.gateway().network(ledger.channel())
                    .blockEvents(0))) {
                long next = 0;
                while (true) {
                    Duration wait = next < height ? Duration.ofSeconds(10) : Duration.ofMillis(idleMillis);
                    Optional<BlockEvent> block = SdkErrors.call(() -> blocks.next(wait));
                    if (block.isEmpty()) {
                        break;
                    }
                    definitions(block.get()).forEach(d -> defined.put(d.getName(), d));
                    next = block.get().blockNumber() + 1;
                }
            }
        }
        List<Map<String, Object>> json = new ArrayList<>();
        StringBuilder text = new StringBuilder(defined.isEmpty() ? "no contract is defined on " + ledger.channel() + "\n"
                : String.format("%-20s %-10s %-9s %-40s %s%n", "NAME", "VERSION", "SEQUENCE", "POLICY", "PACKAGE"));
        for (ContractDefinition d : defined.values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", d.getName());
            row.put("version", d.getVersion());
            row.put("sequence", d.getSequence());
            row.put("endorsementPolicy", d.getEndorsementPolicy());
            row.put("packageId", d.getPackageId());
            row.put("approvedBy", d.getApprovedByList());
            json.add(row);
            text.append(String.format("%-20s %-10s %-9d %-40s %s%n", d.getName(), d.getVersion(), d.getSequence(),
                    d.getEndorsementPolicy().isEmpty() ? "(channel Endorsement)" : d.getEndorsementPolicy(),
                    d.getPackageId().isEmpty() ? "(latest installed)" : d.getPackageId()));
        }
        output().result(json, text.toString().stripTrailing());
    }

    /** The highest height any peer of the channel reported to the index (0 when none did). */
    private long indexHeight(LedgerOptions.Connection connection) {
        long height = 0;
        try {
            Map<String, List<MembershipClient.Node>> peers = connection.membership().peers(ledger.channel(),
                    connection.identity().credential());
            for (List<MembershipClient.Node> nodes : peers.values()) {
                for (MembershipClient.Node node : nodes) {
                    height = Math.max(height, node.channelHeights().getOrDefault(ledger.channel(), 0L));
                }
            }
        } catch (RuntimeException e) {
            // the height only shortens the wait: without it, blocks are read until one does not come within --idle
        }
        return height;
    }

    /**
     * The definitions committed by the valid CONTRACT_DEFINITION transactions of {@code event}, in block order: a
     * {@code commit}'s written definition (with the organizations that approved it), or a retired single-step
     * {@code define}'s argument. Approvals and readiness queries define nothing.
     */
    static List<ContractDefinition> definitions(BlockEvent event) {
        List<ContractDefinition> found = new ArrayList<>();
        List<TxValidationCode> codes = event.validationCodes();
        for (int i = 0; i < event.block().getData().getEnvelopesCount(); i++) {
            if (i >= codes.size() || codes.get(i) != TxValidationCode.VALID) {
                continue;
            }
            try {
                Payload payload = Payload.parseFrom(Envelope.parseFrom(event.block().getData().getEnvelopes(i)).getPayload());
                if (payload.getHeader().getType() != HeaderType.CONTRACT_DEFINITION) {
                    continue;
                }
                Transaction transaction = Transaction.parseFrom(payload.getData());
                ContractInvocation invocation = ContractInvocation.parseFrom(
                        transaction.getActions(0).getEndorsedAction().getProposalPayload());
                if (!invocation.getContractName().equals(Lifecycle.NAMESPACE) || invocation.getArgsCount() != 1) {
                    continue;
                }
                if (invocation.getFunction().equals(Lifecycle.DEFINE)) {
                    found.add(ContractDefinition.parseFrom(invocation.getArgs(0)));
                } else if (invocation.getFunction().equals(Lifecycle.COMMIT)) {
                    ContractDefinition argument = ContractDefinition.parseFrom(invocation.getArgs(0));
                    TxReadWriteSet rwset = TxReadWriteSet.parseFrom(ProposalResponsePayload.parseFrom(
                            transaction.getActions(0).getEndorsedAction().getProposalResponsePayload()).getResults());
                    for (NamespaceReadWriteSet ns : rwset.getNamespacesList()) {
                        for (KeyWrite write : ns.getWritesList()) {
                            if (ns.getNamespace().equals(Lifecycle.NAMESPACE) && write.getKey().equals(Lifecycle.key(argument.getName()))) {
                                found.add(ContractDefinition.parseFrom(write.getValue()));
                            }
                        }
                    }
                }
            } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
                // a valid transaction parsed when it was validated; a malformed one is not a definition
            }
        }
        return found;
    }
}
