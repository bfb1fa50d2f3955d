package io.charter.membership.api;

import io.charter.membership.Caller;
import io.charter.membership.MembershipCore;
import io.charter.membership.organization.OrganizationInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/organizations")
@Tag(name = "organizations", description = "The consortium's organizations (MSPs) and their issuing CAs")
public class OrganizationController {

    private final MembershipCore core;

    public OrganizationController(MembershipCore core) {
        this.core = core;
    }

    @Schema(description = "A new organization")
    public record CreateOrganization(@Schema(example = "Org1MSP") String mspId) {}

    @Schema(description = "An organization: what a channel configuration needs of its MSP (certificates in PEM)")
    public record OrganizationResponse(
            String mspId, boolean consortium, List<String> rootCertificates, String signingCa, String tlsCa,
            List<String> admins, Instant createdAt, String createdBy) {

        static OrganizationResponse of(OrganizationInfo o) {
            return new OrganizationResponse(o.mspId(), o.consortium(),
                    o.rootCertificates().stream().map(Json::pem).toList(), Json.pem(o.signingCa()),
                    Json.pem(o.tlsCa()), o.admins(), o.createdAt(), o.createdBy());
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an organization with its signing and TLS issuing CAs (consortium admins)")
    public OrganizationResponse create(Caller caller, @RequestBody CreateOrganization request) {
        if (request == null || request.mspId() == null) {
            throw Json.invalid("mspId is required");
        }
        return OrganizationResponse.of(core.organizations().create(caller, request.mspId()));
    }

    @GetMapping
    @Operation(summary = "List organizations")
    public List<OrganizationResponse> list(Caller caller) {
        return core.organizations().list(caller).stream().map(OrganizationResponse::of).toList();
    }

    @GetMapping("/{mspId}")
    @Operation(summary = "Show an organization")
    public OrganizationResponse show(Caller caller, @PathVariable String mspId) {
        return OrganizationResponse.of(core.organizations().show(caller, mspId));
    }
}
