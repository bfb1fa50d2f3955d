package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.pki.Role;
import io.charter.common.protocol.Endorsements;
import io.charter.common.protocol.Proposals;
import io.charter.common.testing.TestPki;
import io.charter.protocol.Proposal;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.ProposalResponsePayload;
import io.charter.protocol.Response;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.SignedProposal;
import java.security.cert.CertificateEncodingException;

/** Identities of a test PKI as the SDK uses them, and endorsements signed the way a peer signs them. */
final class TestNetworkPki {

    private TestNetworkPki() {}

    static Identity identity(TestPki pki, String mspId, String name, Role role) {
        TestPki.Credential signing = pki.organization(mspId).enroll(name, role);
        TestPki.Credential tls = pki.organization(mspId).enrollTls(name, role);
        return Identity.of(signing.chain(), signing.keys().getPrivate(), tls.chain(), tls.keys().getPrivate());
    }

    static ByteString serialized(String mspId, TestPki.Credential credential) {
        try {
            return SerializedIdentity.newBuilder().setMspId(mspId)
                    .setCertificate(ByteString.copyFrom(credential.certificate().getEncoded())).build().toByteString();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What an endorsing peer answers: {@code results} as read-write set bytes, signed by {@code peer}. */
    static ProposalResponse endorse(SignedProposal signed, String mspId, TestPki.Credential peer, ByteString results,
                                    ByteString returned) {
        try {
            Proposal proposal = Proposal.parseFrom(signed.getProposalBytes());
            ByteString payload = ProposalResponsePayload.newBuilder().setProposalHash(Proposals.hash(proposal))
                    .setResults(results).build().toByteString();
            return ProposalResponse.newBuilder()
                    .setResponse(Response.newBuilder().setStatus(200).setPayload(returned))
                    .setPayload(payload)
                    .setEndorsement(Endorsements.endorse(payload, EcdsaSigner.of(peer.keys()), serialized(mspId, peer)))
                    .build();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    static ProposalResponse refuse(int status, String message) {
        return ProposalResponse.newBuilder().setResponse(Response.newBuilder().setStatus(status).setMessage(message)).build();
    }

    static TestPki.Credential peerCredential(TestPki pki, String mspId, String name) {
        return pki.organization(mspId).enroll(name, Role.PEER);
    }
}
