package io.charter.peer.privatedata;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.protocol.CollectionConfig;
import io.charter.protocol.ContractDefinition;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A contract's collections as committed: declared ones with their members and policy, implicit ones for the
 * channel's application organizations only, nothing else; and when values written in a block are purged.
 */
class CollectionTest {

    private static final Set<String> ORGANIZATIONS = Set.of("Org1MSP", "Org2MSP");
    private static final ContractDefinition DEFINITION = ContractDefinition.newBuilder().setName("trade").setSequence(1)
            .addCollections(CollectionConfig.newBuilder().setName("prices")
                    .setMemberPolicy("OR('Org1MSP.member', 'Org2MSP.peer')").setBlockToLive(3)
                    .setEndorsementPolicy("OR('Org1MSP.peer')"))
            .addCollections(CollectionConfig.newBuilder().setName("notes").setMemberPolicy("OR('Org2MSP.member')"))
            .build();

    @Test
    void aDeclaredCollectionHasTheOrganizationsOfItsMemberPolicyAndItsOwnEndorsementPolicy() {
        Collection prices = Collection.of(DEFINITION, "prices", ORGANIZATIONS).orElseThrow();

        assertThat(prices.namespace()).isEqualTo("trade");
        assertThat(prices.name()).isEqualTo("prices");
        assertThat(prices.members()).containsExactly("Org1MSP", "Org2MSP");
        assertThat(prices.isMember("Org1MSP")).isTrue();
        assertThat(prices.isMember("Org3MSP")).isFalse();
        assertThat(prices.endorsementPolicy()).hasValueSatisfying(policy -> assertThat(policy.toString()).contains("Org1MSP"));

        Collection notes = Collection.of(DEFINITION, "notes", ORGANIZATIONS).orElseThrow();
        assertThat(notes.members()).containsExactly("Org2MSP");
        assertThat(notes.isMember("Org1MSP")).isFalse();
        assertThat(notes.endorsementPolicy()).isEmpty();
    }

    @Test
    void implicitCollectionsExistForTheChannelsApplicationOrganizationsOnly() {
        Collection implicit = Collection.of(DEFINITION, "_implicit_org_Org2MSP", ORGANIZATIONS).orElseThrow();
        assertThat(implicit.members()).containsExactly("Org2MSP");
        assertThat(implicit.config().getMemberOnlyRead()).isFalse();
        assertThat(implicit.expiryBlock(10)).isEmpty();

        assertThat(Collection.of(DEFINITION, "_implicit_org_Org9MSP", ORGANIZATIONS)).isEmpty();
        assertThat(Collection.of(DEFINITION, "_implicit_org_", ORGANIZATIONS)).isEmpty();
        assertThat(Collection.of(DEFINITION, "other", ORGANIZATIONS)).isEmpty();
        assertThat(Collection.of(DEFINITION, "Prices", ORGANIZATIONS)).as("names are case-sensitive").isEmpty();
    }

    @Test
    void valuesArePurgedWhenTheBlockAfterTheirBlockToLiveCommitsOrNeverWithBlockToLiveZero() {
        Collection prices = Collection.of(DEFINITION, "prices", ORGANIZATIONS).orElseThrow();
        assertThat(prices.expiryBlock(100)).contains(104L);
        assertThat(Collection.of(DEFINITION, "notes", ORGANIZATIONS).orElseThrow().expiryBlock(100)).isEmpty();
        Collection negative = new Collection("trade", CollectionConfig.newBuilder().setName("x").setBlockToLive(-1).build(),
                Set.of("Org1MSP").stream().collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)),
                Optional.empty());
        assertThat(negative.expiryBlock(5)).isEmpty();
    }

    @Test
    void theSameConfigurationIsParsedOnceAndAChangedOneAnew() {
        Collection first = Collection.of(DEFINITION, "prices", ORGANIZATIONS).orElseThrow();
        assertThat(Collection.of(DEFINITION, "prices", ORGANIZATIONS).orElseThrow()).isSameAs(first);

        ContractDefinition redefined = DEFINITION.toBuilder().setSequence(2).setCollections(0,
                DEFINITION.getCollections(0).toBuilder().setBlockToLive(9)).build();
        Collection changed = Collection.of(redefined, "prices", ORGANIZATIONS).orElseThrow();
        assertThat(changed).isNotSameAs(first);
        assertThat(changed.config().getBlockToLive()).isEqualTo(9);
        assertThat(first.config().getBlockToLive()).isNotEqualTo(9);
    }

    @Test
    void theCollectionsKeptStayBoundedByTheirLimit() {
        for (int i = 0; i < Collection.MEMO_LIMIT_FOR_TESTS + 50; i++) {
            ContractDefinition many = ContractDefinition.newBuilder().setName("bounded").setSequence(1)
                    .addCollections(CollectionConfig.newBuilder().setName("c" + i).setMemberPolicy("OR('Org1MSP.member')"))
                    .build();
            assertThat(Collection.of(many, "c" + i, ORGANIZATIONS)).isPresent();
            assertThat(Collection.memoSize()).isBetween(1, Collection.MEMO_LIMIT_FOR_TESTS);
        }
    }

    @Test
    void membersCannotBeChangedThroughTheCollection() {
        Collection prices = Collection.of(DEFINITION, "prices", ORGANIZATIONS).orElseThrow();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> prices.members().add("Org3MSP"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
