package io.charter.membership.audit;

import java.time.Instant;

/**
 * One audited action.
 *
 * @param actor the enrollment id that acted ({@code system} for the service's own actions, e.g. lazy eviction)
 * @param actorMspId the actor's organization, empty for the system
 * @param action e.g. {@code organization.create}, {@code identity.register}, {@code certificate.issue}
 * @param target what it acted on (an MSP id, enrollment id, serial number, node id)
 * @param outcome {@code success}; refused requests write nothing and are only logged
 * @param detail free text, never secrets
 */
public record AuditEntry(long id, Instant at, String actor, String actorMspId, String action, String target,
                         String outcome, String detail) {}
