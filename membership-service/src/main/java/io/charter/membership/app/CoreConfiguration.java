package io.charter.membership.app;

import com.zaxxer.hikari.HikariDataSource;
import io.charter.common.pki.Role;
import io.charter.membership.Caller;
import io.charter.membership.MembershipCore;
import io.charter.membership.MembershipSettings;
import io.charter.membership.ca.CaImport;
import io.charter.membership.enrollment.ThrottleLimits;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.core.env.Environment;

/**
 * Builds the core: the connection pool from {@code charter.membership.database}, the core settings from
 * the rest of {@link MembershipProperties}, and the {@link MembershipCore} itself, which Spring creates
 * only after Boot's Flyway has migrated the schema ({@link DependsOnDatabaseInitialization}).
 */
@Configuration(proxyBeanMethods = false)
public class CoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CoreConfiguration.class);

    static final String DEV_PASSPHRASE = "charter-dev-passphrase";

    /**
     * Runs before any bean is created, so that the core, TLS and the token checks all see the fast
     * provider: {@code charter.membership.crypto.native-provider} (default true).
     */
    @Bean
    static BeanFactoryPostProcessor cryptoProviders(Environment environment) {
        boolean enabled = environment.getProperty("charter.membership.crypto.native-provider", Boolean.class, true);
        return beanFactory -> CryptoProviders.install(enabled);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(MembershipProperties properties) {
        MembershipProperties.Database db = properties.database();
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.url());
        dataSource.setUsername(db.username());
        dataSource.setPassword(db.password());
        dataSource.setMaximumPoolSize(db.maximumPoolSize());
        dataSource.setPoolName("membership");
        return dataSource;
    }

    @Bean
    MembershipSettings membershipSettings(MembershipProperties properties) {
        return settings(properties);
    }

    @Bean
    @DependsOnDatabaseInitialization
    MembershipCore membershipCore(DataSource dataSource, MembershipSettings settings, Clock clock) {
        if (DEV_PASSPHRASE.equals(settings.keyPassphrase())) {
            log.warn("CA private keys are encrypted under the development passphrase: set CHARTER_CA_PASSPHRASE"
                    + " before this service holds any real key");
        }
        return MembershipCore.start(dataSource, settings, clock);
    }

    /**
     * The service acting on its own behalf (issuing its own TLS certificate, reading the index for
     * metrics). It never comes from a request: requests only get callers from authenticated certificates.
     */
    @Bean
    SystemCaller systemCaller(MembershipCore core) {
        return new SystemCaller(new Caller("system", core.settings().consortiumMspId(), Role.ADMIN,
                core.rootCertificate(), true));
    }

    /** A holder, so that no {@link Caller} bean exists that could be injected by mistake. */
    public record SystemCaller(Caller caller) {}

    static MembershipSettings settings(MembershipProperties p) {
        MembershipProperties.Ca ca = p.ca();
        MembershipSettings.Builder builder = MembershipSettings.builder(ca.keyPassphrase(), p.bootstrapAdmin().secret())
                .consortiumMspId(p.consortiumMspId())
                .bootstrapAdminId(p.bootstrapAdmin().id())
                .bootstrapAdminMaxEnrollments(p.bootstrapAdmin().maxEnrollments())
                .keyDerivationIterations(ca.keyDerivationIterations())
                .memberLifetime(ca.lifetimes().member())
                .tlsLifetime(ca.lifetimes().tls())
                .issuingCaLifetime(ca.lifetimes().issuingCa())
                .rootLifetime(ca.lifetimes().root())
                .reenrollGracePeriod(ca.reenrollGrace())
                .crlNextUpdate(ca.crlNextUpdate())
                .enrollmentThrottle(new ThrottleLimits(p.enrollment().failuresPerSource(), p.enrollment().sourceRefill(),
                        p.enrollment().failuresPerSourceAndId(), p.enrollment().sourceAndIdRefill(),
                        p.enrollment().maxTrackedSources(), p.enrollment().maxTrackedSourceIds()))
                .heartbeatInterval(p.index().heartbeatInterval())
                .revocationPropagationBound(p.index().revocationPropagationBound())
                .downAfter(p.index().downAfter())
                .evictAfter(p.index().evictAfter())
                .leaseTtl(p.index().leaseTtl())
                .expiryWarning(p.index().expiryWarning())
                .maxClockSkew(p.index().maxClockSkew());
        rootImport(ca.rootImport()).ifPresent(builder::rootImport);
        return builder.build();
    }

    static java.util.Optional<CaImport> rootImport(MembershipProperties.RootImport i) {
        if (i == null) {
            return java.util.Optional.empty();
        }
        if (i.pemCertificate() != null || i.pemPrivateKey() != null) {
            if (i.pemCertificate() == null || i.pemPrivateKey() == null) {
                throw new IllegalArgumentException("charter.membership.ca.root-import needs both pem-certificate"
                        + " and pem-private-key");
            }
            return java.util.Optional.of(new CaImport.PemFiles(i.pemCertificate(), i.pemPrivateKey()));
        }
        if (i.pkcs12File() != null) {
            char[] password = i.pkcs12Password() == null ? new char[0] : i.pkcs12Password().toCharArray();
            return java.util.Optional.of(new CaImport.Pkcs12(i.pkcs12File(), password, i.pkcs12Alias()));
        }
        return java.util.Optional.empty();
    }
}
