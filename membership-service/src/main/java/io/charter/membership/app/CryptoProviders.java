package io.charter.membership.app;

import io.charter.common.crypto.CryptoProvider;
import java.security.Security;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers common's preferred provider ({@link io.charter.common.crypto.CryptoProviders#preferred()})
 * first in the JVM's provider list when it is the native Amazon Corretto Crypto Provider.
 *
 * <p>Common's signers, verifiers, {@code CertificateAuthority} and CSR parsing name their provider
 * explicitly, so an enrollment's signatures do not depend on this; what does is the rest of the JVM: TLS
 * (JSSE's key exchange, signatures and ciphers), the JDK's certificate parsing (the public key of every
 * parsed certificate comes from the first EC key factory) and the token checks on presented certificates. Bouncy Castle is not
 * registered globally: it is only faster than SunEC for ECDSA and would take over unrelated algorithms.
 */
public final class CryptoProviders {

    private static final Logger log = LoggerFactory.getLogger(CryptoProviders.class);
    private static volatile String first;

    private CryptoProviders() {}

    /** Registers ACCP first once if {@code enabled} and it is common's choice; answers the provider now first. */
    public static synchronized String install(boolean enabled) {
        if (first == null) {
            CryptoProvider preferred = io.charter.common.crypto.CryptoProviders.preferred();
            if (enabled && preferred == CryptoProvider.ACCP) {
                Security.insertProviderAt(preferred.jcaProvider(), 1);
                log.info("{} registered as the first security provider", preferred.jcaProvider().getName());
            } else {
                log.info("security providers left as they are (preferred provider {}, native-provider={})",
                        preferred.label(), enabled);
            }
            first = Security.getProviders()[0].getName();
        }
        return first;
    }
}
