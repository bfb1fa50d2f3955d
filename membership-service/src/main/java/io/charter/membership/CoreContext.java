package io.charter.membership;

import io.charter.membership.ca.CertificateAuthorities;
import io.charter.membership.db.Database;
import java.time.Clock;

/** What every service of the core shares. Internal: built by {@link MembershipCore}. */
public record CoreContext(Database db, Clock clock, MembershipSettings settings, CertificateAuthorities cas) {}
