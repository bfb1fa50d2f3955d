package io.charter.membership.api;

import io.charter.common.pki.CertificatePurpose;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipCore;
import io.charter.membership.MembershipException;
import io.charter.membership.enrollment.Enrollment;
import io.charter.membership.enrollment.EnrollmentRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

@RestController
@Tag(name = "enrollment", description = "Certificates from a CSR: enroll with the secret, re-enroll with the current certificate")
public class EnrollmentController {

    static final String PKCS10 = "application/pkcs10";
    static final String PEM = "application/x-pem-file";

    private final MembershipCore core;
    private final ApiMetrics metrics;
    private final ObjectReader requests;
    private final ObjectWriter responses;

    public EnrollmentController(MembershipCore core, ApiMetrics metrics, JsonMapper json) {
        this.core = core;
        this.metrics = metrics;
        this.requests = json.readerFor(EnrollRequest.class);
        this.responses = json.writerFor(EnrollResponse.class);
    }

    @Schema(description = "A certificate request. A bare PEM or DER CSR body (application/x-pem-file,"
            + " application/pkcs10) asks for a signing certificate.")
    public record EnrollRequest(
            @Schema(description = "PKCS#10 CSR, PEM; its CN must be the enrollment id, its key EC P-256") String csr,
            @Schema(allowableValues = {"signing", "tls"}, example = "signing") String profile,
            @Schema(description = "for a node's TLS certificate, DNS names or IPs its registrar approved (all of them"
                    + " when left out); clients and admins leave it out") List<String> hosts) {}

    @Schema(description = "The issued certificate and its chain, PEM")
    public record EnrollResponse(
            String certificate,
            @Schema(description = "the issuing CA, then the consortium root") String chain,
            String profile, String serial, Instant notBefore, Instant notAfter) {

        static EnrollResponse of(Enrollment e) {
            return new EnrollResponse(Json.pem(e.certificate()), Json.pem(e.chain()), Json.label(e.profile()),
                    Json.serial(e.certificate().getSerialNumber()), e.certificate().getNotBefore().toInstant(),
                    e.certificate().getNotAfter().toInstant());
        }
    }

    /**
     * The hot path of the service, so it reads and writes its JSON itself with a reader and a writer prepared
     * for these two types (same mapper and settings as Spring's converters), rather than through Spring MVC's
     * message converter selection and content negotiation, which cost about as much as the JSON itself.
     */
    @PostMapping(path = "/api/v1/enroll", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Enroll: HTTP Basic with enrollment id and secret; body a CSR",
            security = @SecurityRequirement(name = "basic"),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = EnrollRequest.class))),
            responses = @ApiResponse(responseCode = "200", content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = EnrollResponse.class))))
    public void enroll(HttpServletRequest http, HttpServletResponse response)
            throws IOException, HttpMediaTypeNotAcceptableException {
        if (!acceptsJson(http.getHeader(HttpHeaders.ACCEPT))) {
            throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
        }
        EnrollRequest request;
        try (InputStream body = http.getInputStream()) {
            request = requests.readValue(body);
        } catch (JacksonException e) {
            throw new MembershipException(ErrorCode.INVALID_REQUEST, "The request body is not valid JSON of the"
                    + " expected shape: " + e.getOriginalMessage());
        }
        EnrollResponse answer = enroll(http, json(request));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        responses.writeValue(response.getOutputStream(), answer);
    }

    /** Whether an Accept header admits JSON (a missing one does). */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank() || accept.contains("json") || accept.contains("*/*")) {
            return true;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream().anyMatch(t -> t.includes(MediaType.APPLICATION_JSON));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    @PostMapping(path = "/api/v1/enroll", consumes = {PKCS10, PEM, MediaType.TEXT_PLAIN_VALUE,
            MediaType.APPLICATION_OCTET_STREAM_VALUE})
    @Operation(summary = "Enroll with a bare PEM or DER CSR (signing certificate)",
            security = @SecurityRequirement(name = "basic"))
    public EnrollResponse enrollCsr(HttpServletRequest http, @RequestBody byte[] csr) {
        return enroll(http, EnrollmentRequest.signing(csr));
    }

    @PostMapping(path = "/api/v1/reenroll", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Re-enroll with the current certificate (signed token or mTLS); allowed within the"
            + " grace period after expiry (token only)")
    public EnrollResponse reenroll(PresentedCertificate current, @RequestBody EnrollRequest request) {
        EnrollmentRequest core = json(request);
        return measured("reenroll", core.profile(), () -> this.core.enrollment().reenroll(current.certificate(), core));
    }

    @PostMapping(path = "/api/v1/reenroll", consumes = {PKCS10, PEM, MediaType.TEXT_PLAIN_VALUE,
            MediaType.APPLICATION_OCTET_STREAM_VALUE})
    @Operation(summary = "Re-enroll with a bare PEM or DER CSR (signing certificate)")
    public EnrollResponse reenrollCsr(PresentedCertificate current, @RequestBody byte[] csr) {
        EnrollmentRequest request = EnrollmentRequest.signing(csr);
        return measured("reenroll", request.profile(), () -> core.enrollment().reenroll(current.certificate(), request));
    }

    private EnrollResponse enroll(HttpServletRequest http, EnrollmentRequest request) {
        BasicCredentials credentials = BasicCredentials.from(http).orElseThrow(() -> new MembershipException(
                ErrorCode.AUTHENTICATION_FAILED, "Enrollment needs HTTP Basic with the enrollment id and secret"));
        return measured("enroll", request.profile(),
                () -> core.enrollment().enroll(http.getRemoteAddr(), credentials.enrollmentId(), credentials.secret(),
                        request));
    }

    private EnrollResponse measured(String kind, CertificatePurpose profile, Supplier<Enrollment> enrollment) {
        try {
            EnrollResponse answer = EnrollResponse.of(enrollment.get());
            metrics.enrollment(kind, profile, "success");
            return answer;
        } catch (MembershipException e) {
            metrics.enrollment(kind, profile, e.code().name());
            throw e;
        }
    }

    private static EnrollmentRequest json(EnrollRequest request) {
        if (request == null || request.csr() == null || request.csr().isBlank()) {
            throw new MembershipException(ErrorCode.CSR_MALFORMED, "csr is required: a PEM PKCS#10 certification request");
        }
        return new EnrollmentRequest(request.csr().getBytes(StandardCharsets.US_ASCII), Json.profile(request.profile()),
                request.hosts());
    }
}
