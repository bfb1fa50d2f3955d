package io.charter.client.cli.identity;

import io.charter.client.wallet.WalletIdentity;
import java.util.LinkedHashMap;
import java.util.Map;

/** An identity of the wallet as the identity commands show it (JSON fields are stable). */
final class IdentityView {

    private IdentityView() {}

    static Map<String, Object> json(WalletIdentity identity, boolean isDefault) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", identity.name());
        view.put("enrollmentId", identity.enrollmentId());
        view.put("mspId", identity.mspId());
        view.put("role", identity.role());
        view.put("serial", identity.serial());
        view.put("notAfter", identity.notAfter().toString());
        view.put("tls", identity.tls().isPresent());
        view.put("default", isDefault);
        return view;
    }
}
