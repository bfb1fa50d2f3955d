package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.protocol.ApprovalReadiness;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.OrganizationApproval;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code charter contract readiness}: the SDK's {@code Network.contractReadiness}, a query to one peer. */
@Command(name = "readiness", description = {"Show which application organizations approved exactly this contract"
        + " definition, and whether a commit would be accepted now (Fabric's checkcommitreadiness). A query: nothing"
        + " is ordered. Exits 0 whether or not the definition is ready ('ready' in --output json).",
        "Example:  charter contract readiness --name asset-transfer --version 1.1 --sequence 2"
                + " --policy \"AND('Org1MSP.peer','Org2MSP.peer')\""})
public final class ContractReadinessCommand extends CharterSubcommand {

    @Mixin
    DefinitionOptions options;

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() throws IOException {
        ContractDefinition definition = options.definition();
        try (LedgerOptions.Connection connection = ledger.connect(wallet())) {
            ApprovalReadiness readiness = SdkErrors.call(() -> connection.gateway().network(ledger.channel())
                    .contractReadiness(definition));
            Map<String, Object> json = DefinitionOptions.json(ledger.channel(), definition);
            json.put("ready", readiness.getReady());
            json.put("lifecycleEndorsement", readiness.getLifecycleEndorsement());
            json.put("nextSequence", readiness.getNextSequence());
            List<Map<String, Object>> organizations = new ArrayList<>();
            StringBuilder text = new StringBuilder("contract " + definition.getName() + " " + definition.getVersion()
                    + " (sequence " + definition.getSequence() + DefinitionOptions.collectionNames(definition) + ") on "
                    + ledger.channel() + ": "
                    + (readiness.getReady() ? "ready to commit" : "not ready") + " (LifecycleEndorsement "
                    + readiness.getLifecycleEndorsement() + "; next sequence " + readiness.getNextSequence() + ")");
            for (OrganizationApproval approval : readiness.getOrganizationsList()) {
                Map<String, Object> organization = new LinkedHashMap<>();
                organization.put("mspId", approval.getMspId());
                organization.put("approved", approval.getApproved());
                organization.put("detail", approval.getDetail());
                organizations.add(organization);
                text.append("\n  ").append(approval.getMspId()).append(": ")
                        .append(approval.getApproved() ? "approved" : "not approved (" + approval.getDetail() + ")");
            }
            json.put("organizations", organizations);
            output().result(json, text.toString());
        }
    }
}
