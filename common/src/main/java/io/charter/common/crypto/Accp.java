package io.charter.common.crypto;

import java.security.Provider;

/**
 * Access to the Amazon Corretto Crypto Provider, kept apart so that nothing touches its classes (and
 * its native library) unless ACCP is actually wanted.
 */
final class Accp {

    private Accp() {}

    /** Why ACCP cannot be used here, or null when it loaded and reports itself healthy. */
    static String unusableReason() {
        try {
            return Holder.UNUSABLE_REASON;
        } catch (Throwable e) { // NoClassDefFoundError, ExceptionInInitializerError, UnsatisfiedLinkError
            return e.toString();
        }
    }

    static Provider provider() {
        String reason = unusableReason();
        if (reason != null) {
            throw new IllegalStateException("Amazon Corretto Crypto Provider is not usable on this platform: " + reason);
        }
        return Holder.PROVIDER;
    }

    private static final class Holder {
        static final Provider PROVIDER;
        static final String UNUSABLE_REASON;

        static {
            Provider provider = null;
            String reason;
            try {
                var accp = com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
                Throwable loadingError = accp.getLoadingError();
                if (loadingError != null) {
                    reason = loadingError.toString();
                } else {
                    accp.assertHealthy();
                    provider = accp;
                    reason = null;
                }
            } catch (Throwable e) {
                reason = e.toString();
            }
            PROVIDER = provider;
            UNUSABLE_REASON = reason;
        }
    }
}
