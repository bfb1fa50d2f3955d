package io.charter.membership.api;

import io.charter.membership.Caller;
import io.charter.membership.MembershipCore;
import io.charter.membership.audit.AuditEntry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "audit", description = "Every issuance, revocation and admin action, with who did it")
public class AuditController {

    private final MembershipCore core;

    public AuditController(MembershipCore core) {
        this.core = core;
    }

    @GetMapping("/api/v1/audit")
    @Operation(summary = "The latest audit entries, newest first (consortium admins: all; organization admins: their own)")
    public List<AuditEntry> latest(Caller caller, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw Json.invalid("limit must be 1 to 1000");
        }
        return core.audit().latest(caller, limit);
    }
}
