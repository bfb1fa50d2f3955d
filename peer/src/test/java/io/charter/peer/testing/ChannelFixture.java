package io.charter.peer.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.pki.RevokedCertificate;
import io.charter.common.pki.Role;
import io.charter.common.protocol.BlockSignatures;
import io.charter.common.protocol.Blocks;
import io.charter.common.protocol.Endorsements;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.Proposals;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.testing.TestChannels;
import io.charter.common.testing.TestPki;
import io.charter.protocol.Block;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.EndorsedAction;
import io.charter.protocol.Endorsement;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.KeyRead;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.NamespaceReadWriteSet;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.ProposalResponsePayload;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.Transaction;
import io.charter.protocol.TransactionAction;
import io.charter.protocol.TxReadWriteSet;
import io.charter.protocol.Version;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A channel of two organizations (Org1, Org2) and an ordering organization, with a client, two peers
 * and an orderer, that builds signed transactions and blocks the way clients and orderers do.
 * Endorsement policy AND('Org1.peer', 'Org2.peer'); BlockValidation OutOf(1, 'OrdererOrg.orderer').
 */
public final class ChannelFixture {

    public static final String CHANNEL = "trade";
    public static final String CONTRACT = "assets";

    public final TestPki pki = TestPki.create("Org1", "Org2", "OrdererOrg");
    public final TestPki.Credential client1 = pki.organization("Org1").enroll("client1", Role.CLIENT);
    public final TestPki.Credential client2 = pki.organization("Org2").enroll("client2", Role.CLIENT);
    public final TestPki.Credential peer1 = pki.organization("Org1").enroll("peer1", Role.PEER);
    public final TestPki.Credential peer2 = pki.organization("Org2").enroll("peer2", Role.PEER);
    public final TestPki.Credential orderer = pki.organization("OrdererOrg").enroll("orderer1", Role.ORDERER);
    public final Block genesis;

    public ChannelFixture() {
        this(UnaryOperator.identity());
    }

    /** A fixture whose genesis configuration is {@link #config()} changed by {@code configure}. */
    public ChannelFixture(UnaryOperator<ChannelConfig> configure) {
        genesis = Blocks.genesisBlock(configure.apply(config()), Instant.now());
    }

    public ChannelConfig config() {
        ChannelConfig.Builder config = ChannelConfig.newBuilder()
                .setChannelId(CHANNEL)
                .putPolicies("Endorsement", "AND('Org1.peer', 'Org2.peer')")
                .putPolicies("BlockValidation", "OutOf(1, 'OrdererOrg.orderer')")
                .putPolicies("Writers", "OR('Org1.member', 'Org2.member')");
        for (String mspId : List.of("Org1", "Org2", "OrdererOrg")) {
            config.addOrganizations(OrganizationConfig.newBuilder()
                    .setMspId(mspId)
                    .addRootCerts(der(pki.root().certificate()))
                    .addIntermediateCerts(der(pki.organization(mspId).signingCa().certificate())));
        }
        return config.build();
    }

    /**
     * {@link #config()} with the organizations' TLS CAs as well, as the configuration of a channel whose nodes talk
     * over the transport.
     */
    public ChannelConfig configWithTls() {
        ChannelConfig.Builder config = config().toBuilder().clearOrganizations();
        for (String mspId : List.of("Org1", "Org2", "OrdererOrg")) {
            config.addOrganizations(TestChannels.organization(pki, mspId));
        }
        return config.build();
    }

    /** A CRL of {@code mspId}'s signing CA revoking {@code credentials}. */
    public X509CRL crl(String mspId, TestPki.Credential... credentials) {
        List<RevokedCertificate> revoked = new ArrayList<>();
        for (TestPki.Credential credential : credentials) {
            revoked.add(new RevokedCertificate(credential.certificate().getSerialNumber(), Instant.now().minusSeconds(60), 0));
        }
        return pki.organization(mspId).signingCa().issueCrl(revoked, BigInteger.ONE, Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(7)));
    }

    public static ByteString identity(TestPki.Credential credential) {
        String mspId = credential.certificate().getSubjectX500Principal().getName().replaceAll(".*O=([^,]+).*", "$1");
        return SerializedIdentity.newBuilder()
                .setMspId(mspId)
                .setCertificate(der(credential.certificate()))
                .build()
                .toByteString();
    }

    public static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- read-write sets ----

    public static NamespaceReadWriteSet.Builder ns(String namespace) {
        return NamespaceReadWriteSet.newBuilder().setNamespace(namespace);
    }

    public static KeyRead read(String key, long block, long tx) {
        return KeyRead.newBuilder().setKey(key).setVersion(Version.newBuilder().setBlockNumber(block).setTxNumber(tx)).build();
    }

    public static KeyRead readAbsent(String key) {
        return KeyRead.newBuilder().setKey(key).build();
    }

    public static KeyWrite write(String key, String value) {
        return write(key, ByteString.copyFromUtf8(value));
    }

    public static KeyWrite write(String key, ByteString value) {
        return KeyWrite.newBuilder().setKey(key).setValue(value).build();
    }

    public static KeyWrite delete(String key) {
        return KeyWrite.newBuilder().setKey(key).setIsDelete(true).build();
    }

    public static TxReadWriteSet rwset(NamespaceReadWriteSet.Builder... namespaces) {
        TxReadWriteSet.Builder rwset = TxReadWriteSet.newBuilder();
        for (NamespaceReadWriteSet.Builder ns : namespaces) {
            rwset.addNamespaces(ns);
        }
        return rwset.build();
    }

    // ---- transactions ----

    /** A transaction as a client assembles it. */
    public record Tx(String txId, ByteString envelope) {}

    /** A transaction of {@code creator} on the contract, endorsed by {@code endorsers}. */
    public Tx tx(TestPki.Credential creator, TxReadWriteSet rwset, TestPki.Credential... endorsers) {
        return tx(creator, rwset, List.of(endorsers), UnaryOperator.identity());
    }

    /**
     * As above; {@code tamper} may change the assembled Transaction before the creator signs it
     * (to build bad endorsements and the like).
     */
    public Tx tx(TestPki.Credential creator, TxReadWriteSet rwset, List<TestPki.Credential> endorsers,
                 UnaryOperator<Transaction> tamper) {
        ByteString creatorBytes = identity(creator);
        ByteString nonce = TransactionIds.newNonce();
        Instant now = Instant.now();
        PayloadHeader header = PayloadHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION)
                .setChannelId(CHANNEL)
                .setTxId(TransactionIds.compute(nonce, creatorBytes))
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setCreator(creatorBytes)
                .setNonce(nonce)
                .build();
        ByteString headerBytes = header.toByteString();
        ByteString invocation = ContractInvocation.newBuilder()
                .setContractName(CONTRACT)
                .setFunction("put")
                .build()
                .toByteString();
        ByteString responsePayload = ProposalResponsePayload.newBuilder()
                .setProposalHash(Proposals.hash(headerBytes, invocation))
                .setResults(rwset.toByteString())
                .build()
                .toByteString();
        EndorsedAction.Builder endorsed = EndorsedAction.newBuilder()
                .setProposalPayload(invocation)
                .setProposalResponsePayload(responsePayload);
        for (TestPki.Credential endorser : endorsers) {
            Endorsement endorsement = Endorsements.endorse(responsePayload, EcdsaSigner.of(endorser.keys()), identity(endorser));
            endorsed.addEndorsements(endorsement);
        }
        Transaction transaction = tamper.apply(Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder().setHeader(headerBytes).setEndorsedAction(endorsed))
                .build());
        Envelope envelope = Envelopes.seal(header, transaction.toByteString(), EcdsaSigner.of(creator.keys()));
        return new Tx(header.getTxId(), envelope.toByteString());
    }

    /** The usual transaction: client1, endorsed by peer1 and peer2. */
    public Tx tx(TxReadWriteSet rwset) {
        return tx(client1, rwset, peer1, peer2);
    }

    // ---- blocks ----

    public Block block(BlockHeader previous, List<ByteString> envelopes) {
        return sign(Blocks.nextBlock(previous, envelopes, 0), orderer);
    }

    public Block block(BlockHeader previous, Tx... txs) {
        return block(previous, java.util.Arrays.stream(txs).map(Tx::envelope).toList());
    }

    public static Block sign(Block unsigned, TestPki.Credential signer) {
        return unsigned.toBuilder()
                .setMetadata(unsigned.getMetadata().toBuilder().addSignatures(BlockSignatures.sign(unsigned.getHeader(),
                        unsigned.getMetadata().getLastConfigBlock(), EcdsaSigner.of(signer.keys()), identity(signer))))
                .build();
    }
}
