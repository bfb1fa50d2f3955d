package io.charter.client.cli.identity;

import io.charter.client.cli.CliException;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;

/** Which wallet identity a command acts as: {@code --as NAME}, else the wallet's default. */
public final class Callers {

    private Callers() {}

    public static WalletIdentity resolve(Wallet wallet, String as) {
        if (as != null) {
            return wallet.get(as);
        }
        String name = wallet.defaultIdentity().orElseThrow(() -> CliException.usage("no identity to act as in the"
                + " wallet " + wallet.folder() + ": give --as NAME, or enroll one with 'charter enroll'"));
        return wallet.get(name);
    }
}
