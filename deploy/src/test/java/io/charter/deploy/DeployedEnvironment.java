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
            "CHARTER_PEER_DATABASE_PASSWORD", "CHARTER_PEER_MEMBERSHIP_URL", "CHARTER_PEER_MEMBERSHIP_ENROLLMENT_ID", "SPRING_CONFIG_IMPORT",
            "CHARTER_PEER_MEMBERSHIP_ENROLLMENT_SECRET", "CHARTER_PEER_MEMBERSHIP_TLS_HOSTS",
            "CHARTER_PEER_MEMBERSHIP_ADVERTISED_HOST", "JDK_JAVA_OPTIONS");

    /**
     * The channel setup Job's variables (read by the CLI image's setup-channel.sh; JDK_JAVA_OPTIONS by the JVM),
     * the same in {@code deploy/kubernetes/units/orderer-organization/channel-setup.yaml} and the whole-network test that runs the script.
     */
    public static final List<String> CHANNEL_SETUP = List.of("CHARTER_MEMBERSHIP_URL", "CHARTER_CONSORTIUM_ROOT",
            "CHANNEL", "CHANNEL_ORGS", "CHANNEL_CONSENTERS", "CHANNEL_ANCHOR_PEERS", "ORDERER_ADMIN", "ORDERER_ADMIN_URLS", "PEER_ADMINS",
            "CONTRACT_NAME", "CONTRACT_VERSION", "CONTRACT_POLICY", "CONTRACT_DEFINER", "JDK_JAVA_OPTIONS");
}
