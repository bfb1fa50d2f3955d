package io.charter.common.identity;

import io.charter.common.testing.TestPki;
import java.util.List;

/** MSP definitions for the organizations of a {@link TestPki}, as a channel configuration would list them. */
final class Msps {

    private Msps() {}

    static MspDefinition of(TestPki pki, String mspId) {
        TestPki.Organization org = pki.organization(mspId);
        return MspDefinition.of(mspId, List.of(pki.root().certificate()), List.of(org.signingCa().certificate()))
                .withTls(List.of(pki.root().certificate()), List.of(org.tlsCa().certificate()));
    }

    static MspRegistry registry(TestPki pki, String... mspIds) {
        MspRegistry registry = new MspRegistry();
        for (String mspId : mspIds) {
            registry.put(of(pki, mspId));
        }
        return registry;
    }
}
