package example;

import io.charter.client.sdk.Gateway;
import io.charter.client.sdk.Identity;
import io.charter.client.sdk.SubmitResult;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Creates an asset on the local network as an identity of `charter up`'s wallet, then reads it back.
 * Arguments: the wallet folder, the identity's name, the asset's id.
 */
public final class CreateAsset {

    public static void main(String[] args) {
        Wallet wallet = new Wallet(Path.of(args[0]));
        WalletIdentity caller = wallet.get(args[1]);
        Wallet.Connection connection = wallet.connection().orElseThrow();
        Identity identity = Identity.of(caller.signingChain(), caller.privateKey(),
                caller.tls().orElseThrow().fullChain(), caller.tls().orElseThrow().privateKey());
        try (MembershipClient membership = new MembershipClient(connection.membershipUrl(), connection.consortiumRoot());
             Gateway gateway = Gateway.builder(identity).trustRoots(List.of(connection.consortiumRoot()))
                     .membership(membership).connect()) {
            var contract = gateway.network("mychannel").contract("asset-transfer");
            SubmitResult result = contract.submit("CreateAsset", args[2], "blue", "5", "", "100");
            System.out.println("committed " + result.txId() + " in block " + result.blockNumber());
            byte[] asset = contract.evaluate("ReadAsset", args[2]);
            System.out.println("read " + new String(asset, StandardCharsets.UTF_8));
        }
    }
}
