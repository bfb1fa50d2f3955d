package io.charter.membership.api;

import io.charter.common.pki.CertificatePurpose;
import io.charter.membership.MembershipCore;
import io.charter.membership.app.CoreConfiguration;
import io.charter.membership.ca.Pem;
import io.charter.membership.organization.OrganizationInfo;
import io.charter.membership.revocation.Crl;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Public CA material: certificate chains and CRLs. Needs no authentication. */
@RestController
@Tag(name = "cas", description = "Public CA certificates and CRLs (no authentication)")
public class CaController {

    static final String PKIX_CRL = "application/pkix-crl";

    private final MembershipCore core;
    private final CoreConfiguration.SystemCaller system;

    public CaController(MembershipCore core, CoreConfiguration.SystemCaller system) {
        this.core = core;
        this.system = system;
    }

    public record CaResponse(String mspId, String root, String signingCa, String tlsCa) {}

    @GetMapping("/api/v1/cas/{mspId}")
    @Operation(summary = "An organization's issuing CA certificates and the consortium root, PEM")
    public CaResponse ca(@PathVariable String mspId) {
        // Public information: read as the service itself.
        OrganizationInfo org = core.organizations().show(system.caller(), mspId);
        return new CaResponse(org.mspId(), Pem.certificate(core.rootCertificate()), Pem.certificate(org.signingCa()),
                Pem.certificate(org.tlsCa()));
    }

    @GetMapping("/api/v1/cas/{mspId}/{profile}/crl")
    @Operation(summary = "The current CRL of an issuing CA (signing or tls): DER with Accept: application/pkix-crl"
            + " or format=der, PEM otherwise. Headers X-Charter-Crl-Version and X-Charter-Crl-Number.")
    public ResponseEntity<byte[]> crl(
            @PathVariable String mspId,
            @PathVariable @Parameter(schema = @io.swagger.v3.oas.annotations.media.Schema(allowableValues = {"signing", "tls"}))
            String profile,
            @RequestParam(required = false) String format,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) throws CRLException {
        CertificatePurpose purpose = switch (profile.toLowerCase(Locale.ROOT)) {
            case "signing" -> CertificatePurpose.SIGNING;
            case "tls" -> CertificatePurpose.TLS;
            default -> throw Json.invalid("profile must be signing or tls, not '" + profile + "'");
        };
        Crl crl = core.revocation().crl(mspId, purpose);
        boolean der = "der".equalsIgnoreCase(format)
                || (format == null && accept != null && accept.toLowerCase(Locale.ROOT).contains(PKIX_CRL));
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok()
                .header("X-Charter-Crl-Version", Long.toString(crl.crlVersion()))
                .header("X-Charter-Crl-Number", Long.toString(crl.number()))
                .header(HttpHeaders.CACHE_CONTROL, "no-cache");
        return der
                ? answer.contentType(MediaType.parseMediaType(PKIX_CRL)).body(crl.crl().getEncoded())
                : answer.contentType(MediaType.parseMediaType(EnrollmentController.PEM))
                        .body(Pem.crl(crl.crl()).getBytes(StandardCharsets.US_ASCII));
    }
}
