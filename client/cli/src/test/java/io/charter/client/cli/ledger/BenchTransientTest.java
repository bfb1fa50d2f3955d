package io.charter.client.cli.ledger;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.client.cli.CliException;
import io.charter.client.cli.CliRun;
import io.charter.client.cli.ExitCodes;
import io.charter.common.testing.FreePorts;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.Proposal;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code charter bench --transient NAME=TEMPLATE}: the template takes the placeholders of {@code --args} ({run},
 * {i}), so each transaction's proposal carries its own transient value, in {@code Proposal.transient_map} (outside
 * the payload); a bad option is refused as {@code charter invoke --transient} refuses it ({@code BAD_TRANSIENT}, exit 1)
 * before anything is sent. The endorsing peer is played on loopback as in {@link TransientDataCommandsTest}; its
 * answers carry no endorsement, so the bench stops after the proposals were sent, which is all these tests look at.
 */
class BenchTransientTest {

    @TempDir
    Path home;

    private StandInEndorser peer;
    private List<Proposal> received;
    private String peerAddress;

    @BeforeEach
    void start() {
        peer = new StandInEndorser(home, proposal -> ProposalResponse.newBuilder().setResponse(Response.newBuilder()
                .setStatus(200).setPayload(ByteString.copyFromUtf8("{}"))).build());
        received = peer.received();
        peerAddress = peer.address();
    }

    @AfterEach
    void stop() {
        peer.close();
    }

    private static Map<String, String> transientOf(Proposal proposal) {
        Map<String, String> data = new TreeMap<>();
        proposal.getTransientMapMap().forEach((k, v) -> data.put(k, v.toStringUtf8()));
        return data;
    }

    private static List<String> argsOf(Proposal proposal) {
        try {
            return ContractInvocation.parseFrom(proposal.getPayload()).getArgsList().stream()
                    .map(ByteString::toStringUtf8).toList();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachTransactionCarriesItsOwnTransientValueFromTheTemplate() throws InvalidProtocolBufferException {
        CliRun run = charter(home, "bench", "--peer", peerAddress, "--orderer", "127.0.0.1:" + FreePorts.loopback(),
                "--as", "alice", "-n", "3", "--warmup", "2", "--function", "CreateAssetPrivately",
                "--transient", "appraisedValue=v{i}", "--transient", "tag={run}/{i}={i}", "--transient", "fixed=same");
        // the stand-in peer does not endorse: the bench stops once the proposals are sent
        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        // the warm-up's 2 and the measured 3, each proposed (at least) once
        assertThat(received).hasSizeGreaterThanOrEqualTo(5);
        Set<Integer> numbers = new java.util.TreeSet<>();
        for (Proposal proposal : received) {
            assertThat(ContractInvocation.parseFrom(proposal.getPayload()).getFunction()).isEqualTo("CreateAssetPrivately");
            // --args' default: bench-{run}-{i},blue,5,bench,100
            String[] id = argsOf(proposal).getFirst().split("-");
            String runId = id[1];
            int i = Integer.parseInt(id[2]);
            numbers.add(i);
            assertThat(transientOf(proposal)).containsExactly(Map.entry("appraisedValue", "v" + i),
                    Map.entry("fixed", "same"), Map.entry("tag", runId + "/" + i + "=" + i));
            // the transient values stay out of the part of the proposal that is ordered
            assertThat(proposal.getPayload().toStringUtf8()).doesNotContain("same").doesNotContain(runId + "/" + i + "=");
        }
        assertThat(numbers).containsExactly(0, 1, 2, 3, 4);
        assertThat(received.stream().map(p -> argsOf(p).getFirst().split("-")[1]).collect(Collectors.toSet())).hasSize(1);
    }

    @Test
    void withoutTheOptionTheProposalsHaveNoTransientData() {
        CliRun run = charter(home, "bench", "--peer", peerAddress, "--orderer", "127.0.0.1:" + FreePorts.loopback(),
                "--as", "alice", "-n", "2", "--warmup", "0");
        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(received).hasSizeGreaterThanOrEqualTo(2).allSatisfy(proposal -> assertThat(proposal.getTransientMapMap()).isEmpty());
    }

    @Test
    void aBadTransientOptionIsRefusedWithItsCodeAndNothingIsSent() {
        String secret = "s3cr3t-template";
        List<List<String>> bad = new ArrayList<>();
        bad.add(List.of("--transient", secret));
        bad.add(List.of("--transient", "=" + secret));
        bad.add(List.of("--transient", "price=" + secret, "--transient", "price=1"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= TransientOptions.MAX_ENTRIES; i++) {
            many.add("--transient");
            many.add("k" + i + "=" + secret);
        }
        bad.add(many);
        bad.add(List.of("--transient", "big=" + secret + "x".repeat(TransientOptions.MAX_BYTES)));
        for (List<String> options : bad) {
            List<String> args = new ArrayList<>(List.of("bench", "--peer", peerAddress, "--orderer", peerAddress, "--as",
                    "alice", "-n", "1", "--warmup", "0", "-o", "json"));
            args.addAll(options);
            CliRun run = charter(home, args.toArray(String[]::new));
            assertThat(run.exitCode()).as(run.toString().substring(0, Math.min(2000, run.toString().length())))
                    .isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("BAD_TRANSIENT").doesNotContain(secret);
            assertThat(run.out()).isEmpty();
        }
        assertThat(received).isEmpty();
    }

    @Test
    void templatesExpandPerTransactionAndTheLargestTransactionIsCheckedAgainstTheLimit() {
        Map<String, String> templates = BenchCommand.transientTemplates(List.of("a=v{i}", "b=={run}:{i}", "c="), 10);
        assertThat(templates).containsExactly(Map.entry("a", "v{i}"), Map.entry("b", "={run}:{i}"), Map.entry("c", ""));
        Map<String, String> seventh = new TreeMap<>();
        BenchCommand.transientData(templates, "r1", 7).forEach((k, v) -> seventh.put(k, new String(v, StandardCharsets.UTF_8)));
        assertThat(seventh).containsExactly(Map.entry("a", "v7"), Map.entry("b", "=r1:7"), Map.entry("c", ""));
        assertThat(BenchCommand.transientTemplates(List.of(), 10)).isEmpty();
        assertThat(BenchCommand.expand("bench-{run}-{i},{i}", "abc", 12)).isEqualTo("bench-abc-12,12");

        // 1 MiB minus the name and a one-digit {i}: fits for 10 transactions, not for 11 ({i} = 10 has two digits)
        String fits = "n=" + "x".repeat(TransientOptions.MAX_BYTES - 2) + "{i}";
        assertThat(BenchCommand.transientTemplates(List.of(fits), 10)).containsOnlyKeys("n");
        assertThatThrownBy(() -> BenchCommand.transientTemplates(List.of(fits), 11))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.getMessage()).contains("BAD_TRANSIENT")
                        .contains("larger than 1 MiB"));
    }
}
