package io.charter.client.config;

import java.util.List;
import java.util.stream.Collectors;

/** Policy texts over a list of organizations, as the genesis block and an organization addition write them. */
public final class PolicyTexts {

    private PolicyTexts() {}

    /** {@code 'Org1MSP.role', 'Org2MSP.role', ...} */
    public static String principals(List<String> mspIds, String role) {
        return mspIds.stream().map(m -> "'" + m + "." + role + "'").collect(Collectors.joining(", "));
    }

    /** OutOf(1, ...): any one of the organizations' {@code role}. */
    public static String anyOf(List<String> mspIds, String role) {
        return "OutOf(1, " + principals(mspIds, role) + ")";
    }

    /** A majority of the organizations' {@code role}: AND(...) when that takes all of them, else OutOf(n, ...). */
    public static String majority(List<String> mspIds, String role) {
        int needed = mspIds.size() / 2 + 1;
        return needed == mspIds.size() ? "AND(" + principals(mspIds, role) + ")"
                : "OutOf(" + needed + ", " + principals(mspIds, role) + ")";
    }
}
