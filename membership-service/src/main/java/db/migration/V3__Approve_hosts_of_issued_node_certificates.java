package db.migration;

import io.charter.membership.issuance.HostNames;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a running network over to approved hosts without anyone's intervention: every peer and orderer
 * gets approved the hosts of the TLS certificates it holds (not revoked, identity not revoked), newest
 * certificate first, so that nodes renew their TLS certificates for the same names as before. Nothing is
 * widened: a node is approved only names it was already issued. Clients and admins get nothing (their TLS
 * certificates name no host from now on). A name that could not be approved today (e.g. {@code *.com}) is
 * left out and logged; its node's registrar approves what it should serve.
 */
public class V3__Approve_hosts_of_issued_node_certificates extends BaseJavaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(V3__Approve_hosts_of_issued_node_certificates.class);
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    @Override
    public void migrate(Context context) throws SQLException, CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        Map<String, Set<String>> hostsByNode = new LinkedHashMap<>();
        try (PreparedStatement select = context.getConnection().prepareStatement("""
                select c.enrollment_id, c.der from certificate c join identity i on i.enrollment_id = c.enrollment_id
                where c.profile = 'tls' and i.type in ('peer', 'orderer') and c.revoked_at is null and i.revoked_at is null
                order by c.enrollment_id, c.issued_at desc, c.serial desc""");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String node = rows.getString(1);
                X509Certificate certificate = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(rows.getBytes(2)));
                Set<String> hosts = hostsByNode.computeIfAbsent(node, n -> new LinkedHashSet<>());
                for (String host : alternativeNames(certificate)) {
                    var canonical = HostNames.canonical(host);
                    if (canonical.isEmpty()) {
                        LOG.warn("not approving host '{}' of node {}: it cannot be approved any more; its registrar"
                                + " approves the names it serves", host, node);
                    } else if (hosts.size() < HostNames.MAX_APPROVED_HOSTS) {
                        hosts.add(canonical.get());
                    } else if (!hosts.contains(canonical.get())) {
                        LOG.warn("not approving host '{}' of node {}: over {} hosts", host, node, HostNames.MAX_APPROVED_HOSTS);
                    }
                }
            }
        }
        try (PreparedStatement insert = context.getConnection().prepareStatement(
                "insert into identity_host (enrollment_id, host) values (?, ?) on conflict do nothing")) {
            for (var entry : hostsByNode.entrySet()) {
                for (String host : entry.getValue()) {
                    insert.setString(1, entry.getKey());
                    insert.setString(2, host);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
        hostsByNode.forEach((node, hosts) -> LOG.info("approved hosts {} for node {} from its TLS certificates", hosts, node));
    }

    private static List<String> alternativeNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream()
                    .filter(name -> name.get(0) instanceof Integer type && (type == DNS_NAME || type == IP_ADDRESS))
                    .map(name -> String.valueOf(name.get(1)))
                    .toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
