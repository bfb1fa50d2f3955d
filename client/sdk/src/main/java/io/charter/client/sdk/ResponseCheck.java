package io.charter.client.sdk;

import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.pki.Certificates;
import io.charter.common.pki.PkiFormatException;
import io.charter.common.pki.SubjectName;
import io.charter.common.protocol.Endorsements;
import io.charter.common.protocol.Proposals;
import io.charter.protocol.EndorsementRefusal;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.ProposalResponsePayload;
import io.charter.protocol.SerializedIdentity;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks one peer's answer to a proposal before the client relies on it: endorsed (status 200 with an
 * endorsement), bound to the proposal sent (proposal hash), signed by the endorser it names. Whether
 * the endorser is trusted is for the validating peers; the client only makes sure it does not
 * broadcast a transaction that cannot be valid.
 */
final class ResponseCheck {

    /** Status 500 answers from a contract that ran and failed: {@code "<FAILURE> <code>: <message>"}. */
    static final String CONTRACT_FAILED = "CONTRACT_FAILED";
    static final String BAD_ENDORSEMENT = "BAD_ENDORSEMENT";
    /** The contract's invocation queue on that peer is full: the peer is busy, not refusing this client. */
    static final String BUSY = EndorsementRefusal.CONTRACT_UNAVAILABLE.name();
    private static final Pattern REASON = Pattern.compile("^([A-Z][A-Z0-9_]*)(?: [^:]*)?:");
    private static final java.util.Set<String> CONTRACT_FAILURES = java.util.Set.of(
            EndorsementRefusal.UNKNOWN_FUNCTION.name(), EndorsementRefusal.BAD_ARGUMENTS.name(),
            EndorsementRefusal.CONTRACT_ERROR.name(), EndorsementRefusal.CONTRACT_TIMEOUT.name());
    private static final SignatureVerifier VERIFIER = new EcdsaVerifier();

    sealed interface Outcome {}

    /** An endorsement that verifies; {@code endorser} is who signed it as the certificate says. */
    record Endorsed(NodeEndpoint peer, ProposalResponse response, ValidatedIdentity endorser) implements Outcome {}

    record Failed(EndorsementFailure failure) implements Outcome {}

    private ResponseCheck() {}

    static Outcome check(SignedProposalBuilder.Proposed proposed, NodeEndpoint peer, ProposalResponse response) {
        int status = response.getResponse().getStatus();
        String message = response.getResponse().getMessage();
        if (status != 200) {
            return failed(peer, status, reason(response.getRefusal(), status, message), message);
        }
        if (!response.hasEndorsement()) {
            return failed(peer, status, BAD_ENDORSEMENT, "answered 200 without an endorsement");
        }
        ProposalResponsePayload payload;
        try {
            payload = ProposalResponsePayload.parseFrom(response.getPayload());
        } catch (InvalidProtocolBufferException e) {
            return failed(peer, status, BAD_ENDORSEMENT, "the response payload is not a ProposalResponsePayload");
        }
        if (!payload.getProposalHash().equals(Proposals.hash(proposed.proposal()))) {
            return failed(peer, status, BAD_ENDORSEMENT, "the endorsement is bound to another proposal (proposal hash differs)");
        }
        SerializedIdentity endorser;
        X509Certificate certificate;
        try {
            endorser = SerializedIdentity.parseFrom(response.getEndorsement().getEndorser());
            certificate = Certificates.parseCertificate(endorser.getCertificate().toByteArray());
        } catch (InvalidProtocolBufferException | PkiFormatException e) {
            return failed(peer, status, BAD_ENDORSEMENT, "the endorser is not a serialized identity with a certificate");
        }
        if (!Endorsements.verify(response.getPayload(), response.getEndorsement(), VERIFIER, certificate.getPublicKey())) {
            return failed(peer, status, BAD_ENDORSEMENT, "the endorsement signature does not verify with the endorser's key");
        }
        SubjectName subject = SubjectName.from(certificate).orElse(null);
        if (subject == null || subject.role().isEmpty()) {
            return failed(peer, status, BAD_ENDORSEMENT, "the endorser's certificate names no role");
        }
        return new Endorsed(peer, response, new ValidatedIdentity(endorser.getMspId(), subject.role().get(),
                subject.commonName(), certificate, Map.of()));
    }

    /**
     * The stable reason code of a refusal: the peer's wire code, or {@value #CONTRACT_FAILED} for a contract
     * failure. A peer older than the code field (or one naming a code newer than this SDK) leaves only its
     * message, whose {@code "<REASON>: <detail>"} prefix is then read.
     */
    static String reason(EndorsementRefusal refusal, int status, String message) {
        if (refusal != EndorsementRefusal.REFUSAL_NONE && refusal != EndorsementRefusal.UNRECOGNIZED) {
            return CONTRACT_FAILURES.contains(refusal.name()) ? CONTRACT_FAILED : refusal.name();
        }
        Matcher matcher = REASON.matcher(message);
        if (matcher.find()) {
            String first = matcher.group(1);
            return CONTRACT_FAILURES.contains(first) ? CONTRACT_FAILED : first;
        }
        return "STATUS_" + status;
    }

    private static Failed failed(NodeEndpoint peer, int status, String reason, String message) {
        return new Failed(new EndorsementFailure(peer.mspId(), peer.name(), status, reason, message));
    }
}
