package io.charter.deploy;

import java.util.List;

/**
 * The environment variables each node kind is configured with, the same in the Kubernetes manifests and in
 * the whole-network tests ({@code ManifestTest} checks the rendered manifests set exactly these, besides the
 * helper variables other values refer to as {@code $(NAME)}).
 */
public final class DeployedEnvironment {

    private DeployedEnvironment() {}

    public static final List<String> MEMBERSHIP = List.of("CHARTER_DB_URL", "CHARTER_DB_USER", "CHARTER_DB_PASSWORD",
            "CHARTER_CA_PASSPHRASE", "CHARTER_BOOTSTRAP_ADMIN_SECRET", "CHARTER_MEMBERSHIP_HTTP_TLS_HOSTS",
            "JDK_JAVA_OPTIONS");

    public static final List<String> ORDERER = List.of("CHARTER_ORDERER_MSP_ID", "CHARTER_ORDERER_TLS_TRUSTED_ROOTS",
            "CHARTER_ORDERER_CLUSTER_HOST", "CHARTER_ORDERER_MEMBERSHIP_URL", "CHARTER_ORDERER_MEMBERSHIP_ENROLLMENT_ID",
            "SPRING_CONFIG_IMPORT", "CHARTER_ORDERER_MEMBERSHIP_ENROLLMENT_SECRET", "CHARTER_ORDERER_MEMBERSHIP_TLS_HOSTS",
            "CHARTER_ORDERER_MEMBERSHIP_ADVERTISED_HOST", "JDK_JAVA_OPTIONS");

    public static final List<String> PEER = List.of("CHARTER_PEER_PEER_ID", "CHARTER_PEER_MSP_ID",
            "CHARTER_PEER_TLS_TRUSTED_ROOTS", "CHARTER_PEER_DATABASE_URL", "CHARTER_PEER_DATABASE_USERNAME",
            "CHARTER_PEER_DATABASE_PASSWORD", "CHARTER_PEER_ORDERERS", "CHARTER_PEER_ORGANIZATION_PEERS",
            "CHARTER_PEER_MEMBERSHIP_URL", "CHARTER_PEER_MEMBERSHIP_ENROLLMENT_ID", "SPRING_CONFIG_IMPORT",
            "CHARTER_PEER_MEMBERSHIP_ENROLLMENT_SECRET", "CHARTER_PEER_MEMBERSHIP_TLS_HOSTS",
            "CHARTER_PEER_MEMBERSHIP_ADVERTISED_HOST", "JDK_JAVA_OPTIONS");
}
