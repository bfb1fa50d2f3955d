package io.charter.client.cli.ledger;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.client.cli.CliRun;
import io.charter.client.cli.ExitCodes;
import io.charter.common.testing.FreePorts;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.Proposal;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code charter invoke | query --transient NAME=VALUE --transient-file FILE} against a peer on loopback (common's
 * transport, with the peer's TLS certificate) that plays a contract reading {@code Context.transientData()}: the
 * transient data reaches the endorser in {@code Proposal.transient_map}, outside the payload that would be ordered, and
 * is never printed; bad transient data is refused before anything is sent. The real peer hands
 * {@code transient_map} to the contract (peer's Endorser); the whole network runs in LocalNetworkIT.
 */
class TransientDataCommandsTest {

    private static final String SECRET = "s3cr3t-120";

    @TempDir
    Path home;

    private StandInEndorser peer;
    private List<Proposal> received;
    private String peerAddress;
    /** What the peer answers: the names of the transient data it received (the values stay private), or a refusal. */
    private volatile boolean refuse;

    @BeforeEach
    void start() {
        peer = new StandInEndorser(home, this::answer);
        received = peer.received();
        peerAddress = peer.address();
    }

    @AfterEach
    void stop() {
        peer.close();
    }

    private ProposalResponse answer(Proposal proposal) {
        if (refuse) {
            return ProposalResponse.newBuilder().setResponse(Response.newBuilder().setStatus(500)
                    .setMessage("CONTRACT_ERROR PRICE_TOO_LOW: the private price is below the asking price")).build();
        }
        String names = "received " + new TreeMap<>(proposal.getTransientMapMap()).keySet();
        return ProposalResponse.newBuilder().setResponse(Response.newBuilder().setStatus(200)
                .setPayload(ByteString.copyFromUtf8(names))).build();
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(home.resolve(name), text);
    }

    private static Map<String, String> transientOf(Proposal proposal) {
        Map<String, String> data = new TreeMap<>();
        proposal.getTransientMapMap().forEach((k, v) -> data.put(k, v.toStringUtf8()));
        return data;
    }

    @Test
    void aQuerySendsTheTransientDataToThePeerOutsideThePayloadAndNeverPrintsIt() throws IOException {
        Path asset = file("asset.json", "{\"asset_properties\": {\"objectType\": \"asset_properties\", \"assetID\": \"asset1\","
                + " \"salt\": \"" + SECRET + "-salt\"}}");
        for (String format : List.of("text", "json")) {
            CliRun run = charter(home, "query", "asset-transfer", "ReadAssetPrivateDetails", "asset1", "--peer", peerAddress,
                    "--as", "alice", "--transient", "price=" + SECRET, "--transient-file", asset.toString(), "-o", format,
                    "--verbose");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("received [asset_properties, price]");
            assertThat(run.out() + run.err()).doesNotContain(SECRET);
        }
        assertThat(received).hasSize(2);
        Proposal proposal = received.getFirst();
        assertThat(transientOf(proposal)).containsExactly(
                Map.entry("asset_properties", "{\"objectType\":\"asset_properties\",\"assetID\":\"asset1\",\"salt\":\""
                        + SECRET + "-salt\"}"),
                Map.entry("price", SECRET));
        // the part of the proposal that goes into the transaction holds none of it
        ContractInvocation invocation = ContractInvocation.parseFrom(proposal.getPayload());
        assertThat(invocation.getFunction()).isEqualTo("ReadAssetPrivateDetails");
        assertThat(invocation.getArgsList()).containsExactly(ByteString.copyFromUtf8("asset1"));
        assertThat(proposal.getPayload().toStringUtf8() + proposal.getHeader().toStringUtf8()).doesNotContain(SECRET);
    }

    @Test
    void anInvokeSendsTheTransientDataToTheEndorserAndAContractFailureShowsNoValue() {
        refuse = true;
        CliRun run = charter(home, "invoke", "asset-transfer", "AgreeToTransfer", "asset1", "--peer", peerAddress,
                "--orderer", "127.0.0.1:" + FreePorts.loopback(), "--as", "alice", "--transient", "price=" + SECRET,
                "--transient", "note=a=b", "-o", "json", "--verbose");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("PRICE_TOO_LOW").doesNotContain(SECRET);
        assertThat(run.out()).doesNotContain(SECRET);
        assertThat(received).isNotEmpty().allSatisfy(proposal ->
                assertThat(transientOf(proposal)).containsExactly(Map.entry("note", "a=b"), Map.entry("price", SECRET)));
    }

    @Test
    void withoutTransientOptionsTheProposalHasNoTransientData() {
        CliRun run = charter(home, "query", "asset-transfer", "ReadAsset", "asset1", "--peer", peerAddress, "--as", "alice");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("received []");
        assertThat(received).singleElement().satisfies(proposal -> assertThat(proposal.getTransientMapMap()).isEmpty());
    }

    @Test
    void badTransientDataIsRefusedWithItsCodeAndNothingIsSent() throws IOException {
        List<String[]> bad = new ArrayList<>();
        bad.add(new String[] {"--transient", SECRET});
        bad.add(new String[] {"--transient", "=" + SECRET});
        bad.add(new String[] {"--transient", "price=" + SECRET, "--transient", "price=1"});
        bad.add(new String[] {"--transient", "price=1", "--transient-file", file("dup.json", "{\"price\": \"" + SECRET + "\"}")
                .toString()});
        bad.add(new String[] {"--transient-file", home.resolve("absent.json").toString()});
        bad.add(new String[] {"--transient-file", file("array.json", "[\"" + SECRET + "\"]").toString()});
        bad.add(new String[] {"--transient-file", file("number.json", "{\"price\": 120}").toString()});
        bad.add(new String[] {"--transient-file", file("broken.json", "{\"price\": " + SECRET + "}").toString()});
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= TransientOptions.MAX_ENTRIES; i++) {
            many.add("--transient");
            many.add("k" + i + "=" + SECRET);
        }
        bad.add(many.toArray(String[]::new));
        bad.add(new String[] {"--transient", "big=" + SECRET + "x".repeat(TransientOptions.MAX_BYTES)});
        for (String command : List.of("invoke", "query")) {
            for (String[] options : bad) {
                List<String> args = new ArrayList<>(List.of(command, "asset-transfer", "Any", "--peer", peerAddress,
                        "--orderer", peerAddress, "--as", "alice", "-o", "json", "--verbose"));
                args.addAll(List.of(options));
                CliRun run = charter(home, args.toArray(String[]::new));
                assertThat(run.exitCode()).as(run.toString().substring(0, Math.min(2000, run.toString().length())))
                        .isEqualTo(ExitCodes.USAGE);
                assertThat(run.err()).contains("BAD_TRANSIENT").doesNotContain(SECRET);
                assertThat(run.out()).isEmpty();
            }
        }
        assertThat(received).isEmpty();

        // in text, one line with the code; checked before the wallet, so an empty one says nothing of enrolling
        Path empty = Files.createDirectories(home.resolve("empty-home"));
        CliRun text = charter(empty, "invoke", "asset-transfer", "Any", "--transient", "=1");
        assertThat(text.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(text.err()).isEqualTo("charter: bad transient data (BAD_TRANSIENT): --transient number 1 has an empty"
                + " name: give NAME=VALUE, e.g. --transient price=120\n");
    }
}
