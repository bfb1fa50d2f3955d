package io.charter.client.cli.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
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
import io.charter.protocol.Proposal;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.SignedProposal;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A peer of Org1MSP played on loopback for the CLI's tests of what it sends: common's transport with a peer TLS
 * certificate, serving only {@code peer.Endorse}, recording each proposal and answering with {@code answer}; and a
 * wallet under {@code home} with client {@code alice} whose membership service nothing answers at (the commands are
 * given the peer with {@code --peer HOST:PORT}).
 */
final class StandInEndorser implements AutoCloseable {

    private final List<Proposal> received = new CopyOnWriteArrayList<>();
    private final TransportServer server;

    StandInEndorser(Path home, Function<Proposal, ProposalResponse> answer) {
        TestPki pki = TestPki.create("Org1MSP");
        TestPki.Credential tls = pki.organization("Org1MSP").enrollTls("peer0", Role.PEER);
        server = TransportServer.builder(new TlsCredentials(tls.keys().getPrivate(), tls.chain()),
                        TlsTrust.withoutCrls(List.of(pki.root().certificate()))).bind("127.0.0.1", 0)
                .unary(PeerMethodNames.ENDORSE, MethodAccess.trustedOrganizations(Role.values()),
                        (call, request) -> CompletableFuture.supplyAsync(() -> endorse(request, answer)))
                .build().start();
        TestPki.Credential signing = pki.organization("Org1MSP").enroll("alice", Role.CLIENT);
        TestPki.Credential clientTls = pki.organization("Org1MSP").enrollTls("alice", Role.CLIENT);
        Wallet wallet = new Wallet(home.resolve("wallet"));
        wallet.put(new WalletIdentity("alice", signing.certificate(), signing.chain().subList(1, signing.chain().size()),
                signing.keys().getPrivate(), Optional.of(new TlsCredential(clientTls.certificate(),
                        clientTls.chain().subList(1, clientTls.chain().size()), clientTls.keys().getPrivate()))), false);
        wallet.saveConnection(new Wallet.Connection(URI.create("https://127.0.0.1:" + FreePorts.loopback()),
                pki.root().certificate()));
    }

    /** {@code 127.0.0.1:<port>}, for {@code --peer}. */
    String address() {
        return "127.0.0.1:" + server.port();
    }

    /** The proposals received, in order. */
    List<Proposal> received() {
        return received;
    }

    private ByteString endorse(ByteString request, Function<Proposal, ProposalResponse> answer) {
        try {
            Proposal proposal = Proposal.parseFrom(SignedProposal.parseFrom(request).getProposalBytes());
            received.add(proposal);
            return answer.apply(proposal).toByteString();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
