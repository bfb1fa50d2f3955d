package io.charter.membership.api;

import io.charter.membership.Caller;
import io.charter.membership.MembershipCore;
import io.charter.membership.MembershipException;
import io.charter.membership.revocation.RevocationReason;
import io.charter.membership.revocation.RevocationResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "revocation", description = "Revocation of identities and certificates; CRLs are under /api/v1/cas")
public class RevocationController {

    private final MembershipCore core;
    private final ApiMetrics metrics;

    public RevocationController(MembershipCore core, ApiMetrics metrics) {
        this.core = core;
        this.metrics = metrics;
    }

    @Schema(description = "Exactly one of id (revokes the identity and all its certificates) or serial (one certificate)")
    public record RevokeRequest(
            @Schema(example = "user1") String id,
            @Schema(description = "hexadecimal serial number", example = "4f1c...") String serial,
            @Schema(description = "RFC 5280 reason: a name (key_compromise, superseded, ...) or its code; default unspecified",
                    example = "key_compromise") String reason) {}

    public record RevokeResponse(String id, List<String> revokedSerials, long crlVersion) {
        static RevokeResponse of(RevocationResult r) {
            return new RevokeResponse(r.enrollmentId(), r.revokedSerials().stream().map(Json::serial).toList(),
                    r.crlVersion());
        }
    }

    @PostMapping("/api/v1/revoke")
    @Operation(summary = "Revoke an identity or one certificate (admins of its organization or consortium admins)")
    public RevokeResponse revoke(Caller caller, @RequestBody RevokeRequest request) {
        if (request == null || (request.id() == null) == (request.serial() == null)) {
            throw Json.invalid("give exactly one of id or serial");
        }
        RevocationReason reason = reason(request.reason());
        String kind = request.id() != null ? "identity" : "certificate";
        try {
            RevocationResult result = request.id() != null
                    ? core.revocation().revokeIdentity(caller, request.id(), reason)
                    : core.revocation().revokeCertificate(caller, Json.serial(request.serial()), reason);
            metrics.revocation(kind, "success", result.revokedSerials().size());
            return RevokeResponse.of(result);
        } catch (MembershipException e) {
            metrics.revocation(kind, e.code().name(), 0);
            throw e;
        }
    }

    static RevocationReason reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return RevocationReason.UNSPECIFIED;
        }
        String normalized = reason.trim().replaceAll("([a-z])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(Locale.ROOT);
        for (RevocationReason r : RevocationReason.values()) {
            if (r.name().equals(normalized)) {
                return r;
            }
        }
        try {
            int code = Integer.parseInt(reason.trim());
            return RevocationReason.of(code).orElseThrow(() -> Json.invalid("reason code " + code + " is not an RFC 5280 reason"));
        } catch (NumberFormatException e) {
            throw Json.invalid("reason '" + reason + "' is not an RFC 5280 reason (e.g. key_compromise, superseded)");
        }
    }
}
