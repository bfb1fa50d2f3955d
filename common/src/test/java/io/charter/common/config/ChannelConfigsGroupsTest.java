package io.charter.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.SerializedIdentity;
import org.junit.jupiter.api.Test;

class ChannelConfigsGroupsTest {

    private static ChannelConfig.Builder channel(String... mspIds) {
        ChannelConfig.Builder config = ChannelConfig.newBuilder().setChannelId("trade");
        for (String mspId : mspIds) {
            config.addOrganizations(OrganizationConfig.newBuilder().setMspId(mspId));
        }
        return config;
    }

    private static Consenter consenterOf(String mspId) {
        return Consenter.newBuilder().setIdentity(SerializedIdentity.newBuilder().setMspId(mspId)
                .setCertificate(ByteString.copyFromUtf8("cert")).build().toByteString()).build();
    }

    @Test
    void organizationsThatRunAConsenterFormTheOrdererGroupAndTheOthersTheApplicationGroup() {
        ChannelConfig config = channel("Org2MSP", "OrdererMSP", "Org1MSP")
                .setOrderer(OrdererConfig.newBuilder().addConsenters(consenterOf("OrdererMSP")).addConsenters(consenterOf("OrdererMSP")))
                .build();

        assertThat(ChannelConfigs.ordererOrganizations(config)).containsExactly("OrdererMSP");
        assertThat(ChannelConfigs.applicationOrganizations(config)).containsExactly("Org1MSP", "Org2MSP");
    }

    @Test
    void whenEveryOrganizationOrdersTheyAllCountAsApplicationOrganizations() {
        ChannelConfig config = channel("Org1MSP").setOrderer(OrdererConfig.newBuilder().addConsenters(consenterOf("Org1MSP"))).build();

        assertThat(ChannelConfigs.applicationOrganizations(config)).containsExactly("Org1MSP");
    }

    @Test
    void aConsenterWithAnUnreadableIdentityNamesNoOrganization() {
        ChannelConfig config = channel("Org1MSP", "OrdererMSP").setOrderer(OrdererConfig.newBuilder()
                .addConsenters(Consenter.newBuilder().setIdentity(ByteString.copyFrom(new byte[] {(byte) 0xff, 1, 2})))).build();

        assertThat(ChannelConfigs.ordererOrganizations(config)).isEmpty();
        assertThat(ChannelConfigs.applicationOrganizations(config)).containsExactly("OrdererMSP", "Org1MSP");
    }
}
