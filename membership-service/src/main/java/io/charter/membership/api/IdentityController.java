package io.charter.membership.api;

import io.charter.membership.Caller;
import io.charter.membership.MembershipCore;
import io.charter.membership.identity.CertificateInfo;
import io.charter.membership.identity.IdentityInfo;
import io.charter.membership.identity.IdentityUpdate;
import io.charter.membership.identity.Registration;
import io.charter.membership.identity.RegistrationRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "identities", description = "Registration and administration of identities (Fabric CA's register and identity)")
public class IdentityController {

    private final MembershipCore core;

    public IdentityController(MembershipCore core) {
        this.core = core;
    }

    @Schema(description = "An identity to register")
    public record RegisterIdentity(
            @Schema(example = "peer0.org1") String id,
            @Schema(example = "peer", allowableValues = {"client", "peer", "orderer", "admin"}) String type,
            @Schema(example = "Org1MSP") String organization,
            Map<String, String> attributes,
            @Schema(description = "enrollments allowed per profile (signing, TLS); default 1", example = "1")
            Integer maxEnrollments,
            @Schema(description = "peers and orderers only: the DNS names and IP addresses their TLS certificates may"
                    + " name (at most 32; a wildcard only as a leading '*.'); none for clients and admins",
                    example = "[\"peer0.org1.example.com\", \"10.0.0.5\"]")
            List<String> hosts) {}

    @Schema(description = "The one-time enrollment secret: shown only in this answer")
    public record RegistrationResponse(String id, String organization, String secret) {
        static RegistrationResponse of(Registration r) {
            return new RegistrationResponse(r.enrollmentId(), r.mspId(), r.secret());
        }
    }

    @Schema(description = "Fields to change; absent fields stay as they are")
    public record ModifyIdentity(Map<String, String> attributes, Integer maxEnrollments, String type,
                                 @Schema(description = "a node's approved hosts, replacing the stored ones") List<String> hosts) {}

    public record CertificateResponse(String serial, String profile, Instant notBefore, Instant notAfter,
                                      Instant issuedAt, Instant revokedAt, Integer revocationReason) {
        static CertificateResponse of(CertificateInfo c) {
            return new CertificateResponse(Json.serial(c.serialNumber()), Json.label(c.profile()), c.notBefore(),
                    c.notAfter(), c.issuedAt(), c.revokedAt().orElse(null), c.revocationReason().orElse(null));
        }
    }

    public record IdentityResponse(
            String id, String organization, String type, Map<String, String> attributes, int maxEnrollments,
            int signingEnrollments, int tlsEnrollments, boolean revoked, Instant revokedAt, String registeredBy,
            Instant registeredAt, List<CertificateResponse> certificates,
            @Schema(description = "a node's approved hosts") List<String> hosts) {

        static IdentityResponse of(IdentityInfo i) {
            return new IdentityResponse(i.enrollmentId(), i.mspId(), i.type().label(), i.attributes(),
                    i.maxEnrollments(), i.signingEnrollments(), i.tlsEnrollments(), i.revoked(),
                    i.revokedAt().orElse(null), i.registeredBy(), i.registeredAt(),
                    i.certificates().stream().map(CertificateResponse::of).toList(), i.hosts());
        }
    }

    @PostMapping("/api/v1/identities")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register an identity; answers its one-time enrollment secret (organization or consortium admins)")
    public RegistrationResponse register(Caller caller, @RequestBody RegisterIdentity request) {
        if (request == null || request.id() == null || request.organization() == null) {
            throw Json.invalid("id, type and organization are required");
        }
        RegistrationRequest registration = new RegistrationRequest(request.id(), Json.role(request.type()),
                request.organization(), request.attributes(),
                request.maxEnrollments() == null ? 1 : request.maxEnrollments(), request.hosts());
        return RegistrationResponse.of(core.identities().register(caller, registration));
    }

    @GetMapping("/api/v1/organizations/{mspId}/identities")
    @Operation(summary = "List an organization's identities (its admins or consortium admins)")
    public List<IdentityResponse> list(Caller caller, @PathVariable String mspId) {
        return core.identities().list(caller, mspId).stream().map(IdentityResponse::of).toList();
    }

    @GetMapping("/api/v1/identities/{id}")
    @Operation(summary = "Show an identity with its certificates (admins, or the identity itself)")
    public IdentityResponse show(Caller caller, @PathVariable String id) {
        return IdentityResponse.of(core.identities().show(caller, id));
    }

    @PatchMapping("/api/v1/identities/{id}")
    @Operation(summary = "Change an identity's attributes, max enrollments, type or approved hosts (admins)")
    public IdentityResponse modify(Caller caller, @PathVariable String id, @RequestBody ModifyIdentity request) {
        if (request == null) {
            throw Json.invalid("a JSON object with attributes, maxEnrollments or type is required");
        }
        IdentityUpdate update = IdentityUpdate.none();
        if (request.attributes() != null) {
            update = update.withAttributes(request.attributes());
        }
        if (request.maxEnrollments() != null) {
            update = update.withMaxEnrollments(request.maxEnrollments());
        }
        if (request.type() != null) {
            update = update.withType(Json.role(request.type()));
        }
        if (request.hosts() != null) {
            update = update.withHosts(request.hosts());
        }
        return IdentityResponse.of(core.identities().modify(caller, id, update));
    }
}
