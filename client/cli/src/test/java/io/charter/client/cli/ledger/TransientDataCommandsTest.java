package io.charter.client.cli.ledger;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.client.cli.CliRun;
import io.charter.client.cli.ExitCodes;
import io.charter.client.wallet.TlsCredential;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.pki.Role;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.MethodAccess;
import io.charter.common.transport.TransportServer;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.common.transport.tls.TlsTrust;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.Proposal;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.Response;
import io.charter.protocol.SignedProposal;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private final TestPki pki = TestPki.create("Org1MSP");
    private final List<Proposal> received = new CopyOnWriteArrayList<>();
    private TransportServer peer;
    private String peerAddress;
    /** What the peer answers: the names of the transient data it received (the values stay private), or a refusal. */
    private volatile boolean refuse;

    @BeforeEach
    void start() throws IOException {
        TestPki.Credential tls = pki.organization("Org1MSP").enrollTls("peer0", Role.PEER);
        peer = TransportServer.builder(new TlsCredentials(tls.keys().getPrivate(), tls.chain()),
                        TlsTrust.withoutCrls(List.of(pki.root().certificate()))).bind("127.0.0.1", 0)
                .unary(PeerMethodNames.ENDORSE, MethodAccess.trustedOrganizations(Role.values()),
                        (call, request) -> CompletableFuture.supplyAsync(() -> endorse(request)))
                .build().start();
        peerAddress = "127.0.0.1:" + peer.port();

        TestPki.Credential signing = pki.organization("Org1MSP").enroll("alice", Role.CLIENT);
        TestPki.Credential clientTls = pki.organization("Org1MSP").enrollTls("alice", Role.CLIENT);
        Wallet wallet = new Wallet(home.resolve("wallet"));
        wallet.put(new WalletIdentity("alice", signing.certificate(), signing.chain().subList(1, signing.chain().size()),
                signing.keys().getPrivate(), Optional.of(new TlsCredential(clientTls.certificate(),
                        clientTls.chain().subList(1, clientTls.chain().size()), clientTls.keys().getPrivate()))), false);
        // a membership service nothing answers at: --peer HOST:PORT needs none
        wallet.saveConnection(new Wallet.Connection(URI.create("https://127.0.0.1:" + FreePorts.loopback()),
                pki.root().certificate()));
    }

    @AfterEach
    void stop() {
        peer.close();
    }

    private ByteString endorse(ByteString request) {
        try {
            Proposal proposal = Proposal.parseFrom(SignedProposal.parseFrom(request).getProposalBytes());
            received.add(proposal);
            if (refuse) {
                return ProposalResponse.newBuilder().setResponse(Response.newBuilder().setStatus(500)
                        .setMessage("CONTRACT_ERROR PRICE_TOO_LOW: the private price is below the asking price")).build()
                        .toByteString();
            }
            String names = "received " + new TreeMap<>(proposal.getTransientMapMap()).keySet();
            return ProposalResponse.newBuilder().setResponse(Response.newBuilder().setStatus(200)
                    .setPayload(ByteString.copyFromUtf8(names))).build().toByteString();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
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
