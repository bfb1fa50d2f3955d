package io.charter.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.lifecycle.DefinitionProblem.Code;
import io.charter.protocol.CollectionConfig;
import io.charter.protocol.ContractDefinition;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The form of a contract definition, as the peers and the CLI both check it before anything is simulated. */
class DefinitionRulesTest {

    private static final String HASH = "0123456789abcdef".repeat(4);
    private static final ContractDefinition VALID = ContractDefinition.newBuilder().setName("asset-transfer")
            .setVersion("1.0").setSequence(1).setEndorsementPolicy("AND('Org1MSP.peer', 'Org2MSP.peer')")
            .setPackageId("asset-transfer:" + HASH).build();

    @Test
    void aWellFormedDefinitionHasNoProblem() {
        assertThat(DefinitionRules.problem(VALID)).isEmpty();
        assertThat(DefinitionRules.problem(VALID.toBuilder().clearEndorsementPolicy().clearPackageId().build())).isEmpty();
        assertThat(DefinitionRules.problem(VALID.toBuilder().setVersion("v".repeat(64)).build())).isEmpty();
    }

    @Test
    void eachMalformedFieldIsNamed() {
        assertThat(DefinitionRules.problem(VALID.toBuilder().setName("_lifecycle").build()))
                .hasValueSatisfying(p -> assertThat(p).startsWith("'_lifecycle' is not a contract name"));
        assertThat(DefinitionRules.problem(VALID.toBuilder().setVersion("").build()))
                .contains("a definition needs a version of 1 to 64 characters");
        assertThat(DefinitionRules.problem(VALID.toBuilder().setVersion("v".repeat(65)).build()))
                .contains("a definition needs a version of 1 to 64 characters");
        assertThat(DefinitionRules.problem(VALID.toBuilder().setSequence(0).build())).contains("the sequence starts at 1");
        assertThat(DefinitionRules.problem(VALID.toBuilder().setEndorsementPolicy("AND(").build()))
                .hasValueSatisfying(p -> assertThat(p).startsWith("the endorsement policy does not parse: "));
        assertThat(DefinitionRules.problem(VALID.toBuilder().addApprovedBy("Org1MSP").build()))
                .contains("approved_by is written by the peers when the definition commits; leave it empty");
    }

    @Test
    void aPackageIdNamesTheContractAndTheJarsSha256() {
        String wrong = "package id '%s' is not 'asset-transfer:<sha-256 hex>'";
        for (String packageId : new String[] {"asset-transfer", "other:" + HASH, "asset-transfer:" + HASH.toUpperCase(),
                "asset-transfer:" + HASH.substring(1), "asset-transfer:" + HASH + "0"}) {
            assertThat(DefinitionRules.problem(VALID.toBuilder().setPackageId(packageId).build()))
                    .as(packageId).contains(wrong.formatted(packageId));
        }
    }

    @Test
    void contractNamesAreShortAndStartWithALetterOrDigit() {
        assertThat(DefinitionRules.isValidName("a")).isTrue();
        assertThat(DefinitionRules.isValidName("9x.y_z-1")).isTrue();
        assertThat(DefinitionRules.isValidName("a".repeat(64))).isTrue();
        assertThat(DefinitionRules.isValidName("a".repeat(65))).isFalse();
        assertThat(DefinitionRules.isValidName("")).isFalse();
        assertThat(DefinitionRules.isValidName("-a")).isFalse();
        assertThat(DefinitionRules.isValidName(".a")).isFalse();
        assertThat(DefinitionRules.isValidName("a b")).isFalse();
        assertThat(DefinitionRules.isValidName("a/b")).isFalse();
    }

    @Test
    void namespacesStartingWithAnUnderscoreAreThePeers() {
        assertThat(DefinitionRules.isReserved(DefinitionRules.NAMESPACE)).isTrue();
        assertThat(DefinitionRules.isReserved("_anything")).isTrue();
        assertThat(DefinitionRules.isReserved("asset-transfer")).isFalse();
    }

    private static final CollectionConfig COLLECTION = CollectionConfig.newBuilder().setName("prices")
            .setMemberPolicy("OR('Org1MSP.member', 'Org3MSP.member')").setRequiredPeerCount(1).setMaxPeerCount(2)
            .setBlockToLive(100).setMemberOnlyRead(true).setMemberOnlyWrite(true)
            .setEndorsementPolicy("AND('Org1MSP.peer', 'Org3MSP.peer')").build();
    private static final Set<String> CHANNEL = Set.of("Org1MSP", "Org2MSP", "Org3MSP");

    private static ContractDefinition with(CollectionConfig... collections) {
        return VALID.toBuilder().addAllCollections(List.of(collections)).build();
    }

    private static Code codeOf(CollectionConfig.Builder collection) {
        return DefinitionRules.check(with(collection.build()), CHANNEL).orElseThrow().code();
    }

    @Test
    void eachMalformedFieldHasItsCode() {
        assertThat(DefinitionRules.check(VALID.toBuilder().setName("_x").build()).orElseThrow().code()).isEqualTo(Code.INVALID_NAME);
        assertThat(DefinitionRules.check(VALID.toBuilder().setVersion("").build()).orElseThrow().code()).isEqualTo(Code.INVALID_VERSION);
        assertThat(DefinitionRules.check(VALID.toBuilder().setSequence(0).build()).orElseThrow().code()).isEqualTo(Code.INVALID_SEQUENCE);
        assertThat(DefinitionRules.check(VALID.toBuilder().setEndorsementPolicy("AND(").build()).orElseThrow().code())
                .isEqualTo(Code.ENDORSEMENT_POLICY_UNPARSABLE);
        assertThat(DefinitionRules.check(VALID.toBuilder().setPackageId("x").build()).orElseThrow().code())
                .isEqualTo(Code.INVALID_PACKAGE_ID);
        assertThat(DefinitionRules.check(VALID.toBuilder().addApprovedBy("Org1MSP").build()).orElseThrow().code())
                .isEqualTo(Code.APPROVED_BY_NOT_EMPTY);
        assertThat(DefinitionRules.check(VALID.toBuilder().setVersion("").build()).orElseThrow())
                .hasToString("INVALID_VERSION: a definition needs a version of 1 to 64 characters");
        // the form comes first, on a channel too
        assertThat(DefinitionRules.check(VALID.toBuilder().setSequence(0).build(), CHANNEL).orElseThrow().code())
                .isEqualTo(Code.INVALID_SEQUENCE);
    }

    @Test
    void wellFormedCollectionsHaveNoProblem() {
        CollectionConfig minimal = CollectionConfig.newBuilder().setName("a").setMemberPolicy("'Org2MSP.peer'").build();
        CollectionConfig nested = CollectionConfig.newBuilder().setName("b.c_d-9")
                .setMemberPolicy("OR(OutOf(1, 'Org1MSP.member', 'Org2MSP.admin'), 'Org3MSP.client')").setRequiredPeerCount(2)
                .setMaxPeerCount(2).setEndorsementPolicy("MAJORITY Endorsement").build();
        ContractDefinition definition = with(COLLECTION, minimal, nested);
        assertThat(DefinitionRules.check(definition)).isEmpty();
        assertThat(DefinitionRules.check(definition, CHANNEL)).isEmpty();
        assertThat(DefinitionRules.problem(definition)).isEmpty();
        assertThat(DefinitionRules.members(COLLECTION)).containsExactly("Org1MSP", "Org3MSP");
        assertThat(DefinitionRules.members(nested)).containsExactly("Org1MSP", "Org2MSP", "Org3MSP");
        assertThat(DefinitionRules.members(minimal)).containsExactly("Org2MSP");
    }

    @Test
    void eachBadCollectionIsRefusedWithItsCode() {
        CollectionConfig.Builder b = COLLECTION.toBuilder();
        assertThat(codeOf(b.clone().setName(""))).isEqualTo(Code.COLLECTION_INVALID_NAME);
        assertThat(codeOf(b.clone().setName("a b"))).isEqualTo(Code.COLLECTION_INVALID_NAME);
        assertThat(codeOf(b.clone().setName("-a"))).isEqualTo(Code.COLLECTION_INVALID_NAME);
        assertThat(codeOf(b.clone().setName("a".repeat(65)))).isEqualTo(Code.COLLECTION_INVALID_NAME);
        assertThat(codeOf(b.clone().setName("_implicit_org_Org1MSP"))).isEqualTo(Code.COLLECTION_NAME_RESERVED);
        assertThat(codeOf(b.clone().setName("_x"))).isEqualTo(Code.COLLECTION_NAME_RESERVED);
        assertThat(codeOf(b.clone().setMemberPolicy("OR('Org1MSP.member'"))).isEqualTo(Code.COLLECTION_POLICY_UNPARSABLE);
        assertThat(codeOf(b.clone().setMemberPolicy(""))).isEqualTo(Code.COLLECTION_POLICY_UNPARSABLE);
        assertThat(codeOf(b.clone().setMemberPolicy("AND('Org1MSP.member', 'Org3MSP.member')")))
                .isEqualTo(Code.COLLECTION_POLICY_NOT_MEMBERSHIP);
        assertThat(codeOf(b.clone().setMemberPolicy("OR('Org1MSP.member', AND('Org2MSP.member', 'Org3MSP.member'))")))
                .isEqualTo(Code.COLLECTION_POLICY_NOT_MEMBERSHIP);
        assertThat(codeOf(b.clone().setMemberPolicy("OutOf(2, 'Org1MSP.member', 'Org2MSP.member', 'Org3MSP.member')")))
                .isEqualTo(Code.COLLECTION_POLICY_NOT_MEMBERSHIP);
        assertThat(codeOf(b.clone().setMemberPolicy("MAJORITY Endorsement"))).isEqualTo(Code.COLLECTION_POLICY_NOT_MEMBERSHIP);
        assertThat(codeOf(b.clone().setRequiredPeerCount(-1).setMaxPeerCount(2))).isEqualTo(Code.COLLECTION_NEGATIVE_COUNT);
        assertThat(codeOf(b.clone().setRequiredPeerCount(-2).setMaxPeerCount(-1))).isEqualTo(Code.COLLECTION_NEGATIVE_COUNT);
        assertThat(codeOf(b.clone().setRequiredPeerCount(0).setMaxPeerCount(-1))).isEqualTo(Code.COLLECTION_NEGATIVE_COUNT);
        assertThat(codeOf(b.clone().setRequiredPeerCount(3).setMaxPeerCount(2))).isEqualTo(Code.COLLECTION_REQUIRED_ABOVE_MAX);
        assertThat(codeOf(b.clone().setBlockToLive(-1))).isEqualTo(Code.COLLECTION_NEGATIVE_BLOCK_TO_LIVE);
        assertThat(codeOf(b.clone().setEndorsementPolicy("OR("))).isEqualTo(Code.COLLECTION_ENDORSEMENT_POLICY_UNPARSABLE);
        assertThat(codeOf(b.clone().setMemberPolicy("OR('Org1MSP.member', 'Org9MSP.member', 'Org8MSP.peer')")))
                .isEqualTo(Code.COLLECTION_UNKNOWN_ORGANIZATION);
        // the edges that are fine
        assertThat(DefinitionRules.check(with(b.clone().setRequiredPeerCount(0).setMaxPeerCount(0).setBlockToLive(0)
                .clearEndorsementPolicy().build()), CHANNEL)).isEmpty();
    }

    @Test
    void theMessagesNameTheCollectionAndWhatIsWrong() {
        CollectionConfig.Builder b = COLLECTION.toBuilder();
        assertThat(DefinitionRules.check(with(COLLECTION, b.clone().setMemberPolicy("'Org2MSP.member'").build()))
                .orElseThrow()).isEqualTo(new DefinitionProblem(Code.COLLECTION_DUPLICATE_NAME, "collection 'prices' is defined twice"));
        assertThat(DefinitionRules.check(with(b.clone().setRequiredPeerCount(3).setMaxPeerCount(2).build())).orElseThrow().message())
                .isEqualTo("collection 'prices': requiredPeerCount (3) is above maxPeerCount (2)");
        assertThat(DefinitionRules.check(with(b.clone().setRequiredPeerCount(-1).build())).orElseThrow().message())
                .isEqualTo("collection 'prices': requiredPeerCount (-1) and maxPeerCount (2) cannot be negative");
        assertThat(DefinitionRules.check(with(b.clone().setBlockToLive(-5).build())).orElseThrow().message())
                .isEqualTo("collection 'prices': blockToLive (-5) cannot be negative (0 keeps the values forever)");
        assertThat(DefinitionRules.check(with(b.clone().setName("_implicit_org_Org1MSP").build())).orElseThrow().message())
                .isEqualTo("collection names starting with '_' are reserved ('_implicit_org_Org1MSP'): each organization"
                        + " has its implicit collection _implicit_org_<mspId>");
        assertThat(DefinitionRules.check(with(b.clone().setName("a b").build())).orElseThrow().message())
                .startsWith("'a b' is not a collection name");
        assertThat(DefinitionRules.check(with(b.clone().setMemberPolicy("OR(").build())).orElseThrow().message())
                .startsWith("the member policy of collection 'prices' does not parse: ");
        assertThat(DefinitionRules.check(with(b.clone().setMemberPolicy("AND('Org1MSP.member', 'Org3MSP.member')").build()))
                .orElseThrow().message()).startsWith("the member policy of collection 'prices' (AND('Org1MSP.member',"
                        + " 'Org3MSP.member')) must be an OR of principals");
        assertThat(DefinitionRules.check(with(b.clone().setEndorsementPolicy("OR(").build())).orElseThrow().message())
                .startsWith("the endorsement policy of collection 'prices' does not parse: ");
        assertThat(DefinitionRules.check(with(b.clone().setMemberPolicy("OR('Org9MSP.member', 'Org1MSP.member', 'Org0MSP.peer')")
                .build()), Set.of("Org2MSP", "Org1MSP")).orElseThrow().message())
                .isEqualTo("collection 'prices' names [Org0MSP, Org9MSP], not application organizations of the channel"
                        + " [Org1MSP, Org2MSP]");
        // without a channel, organizations are not checked
        assertThat(DefinitionRules.check(with(b.clone().setMemberPolicy("'Org9MSP.member'").build()))).isEmpty();
        // the first bad collection is the one named
        assertThat(DefinitionRules.check(with(COLLECTION, b.clone().setName("second").setBlockToLive(-1).build(),
                b.clone().setName("third").setMemberPolicy("'Org9MSP.member'").build()), CHANNEL).orElseThrow().message())
                .startsWith("collection 'second'");
        assertThat(DefinitionRules.check(with(COLLECTION, b.clone().setName("second").setMemberPolicy("'Org9MSP.member'").build(),
                b.clone().setName("third").setMemberPolicy("'Org8MSP.member'").build()), CHANNEL).orElseThrow().message())
                .startsWith("collection 'second'");
    }

    @Test
    void aDefinitionHasAtMost64Collections() {
        ContractDefinition.Builder definition = VALID.toBuilder();
        for (int i = 0; i < DefinitionRules.MAX_COLLECTIONS; i++) {
            definition.addCollections(COLLECTION.toBuilder().setName("c" + i));
        }
        assertThat(DefinitionRules.check(definition.build())).isEmpty();
        definition.addCollections(COLLECTION.toBuilder().setName("c64"));
        assertThat(DefinitionRules.check(definition.build()).orElseThrow())
                .isEqualTo(new DefinitionProblem(Code.TOO_MANY_COLLECTIONS, "a definition has at most 64 collections, not 65"));
    }

    @Test
    void membersOfAPolicyThatIsNotAMembershipAreRefused() {
        assertThatThrownBy(() -> DefinitionRules.members(COLLECTION.toBuilder().setMemberPolicy("AND('A.member', 'B.member')").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("collection 'prices': not an OR of principals");
        assertThatThrownBy(() -> DefinitionRules.members(COLLECTION.toBuilder().setMemberPolicy("OR(").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("collection 'prices': ");
    }

    @Test
    void eachOrganizationHasAnImplicitCollection() {
        assertThat(ImplicitCollections.name("Org1MSP")).isEqualTo("_implicit_org_Org1MSP");
        CollectionConfig implicit = ImplicitCollections.of("Org1MSP");
        assertThat(implicit).isEqualTo(CollectionConfig.newBuilder().setName("_implicit_org_Org1MSP")
                .setMemberPolicy("OR('Org1MSP.member')").setRequiredPeerCount(0).setMaxPeerCount(1).build());
        assertThat(DefinitionRules.members(implicit)).containsExactly("Org1MSP");
        assertThat(ImplicitCollections.of(List.of("Org1MSP", "Org2MSP"))).extracting(CollectionConfig::getName)
                .containsExactly("_implicit_org_Org1MSP", "_implicit_org_Org2MSP");
        // never declared
        assertThat(DefinitionRules.check(with(implicit)).orElseThrow().code()).isEqualTo(Code.COLLECTION_NAME_RESERVED);
    }

    @Test
    void aNewDefinitionKeepsTheCommittedCollectionsAndTheirBlockToLive() {
        ContractDefinition committed = with(COLLECTION);
        CollectionConfig other = COLLECTION.toBuilder().setName("other").setBlockToLive(0).build();
        ContractDefinition next = committed.toBuilder().setSequence(2).build();
        assertThat(DefinitionRules.updateProblem(committed, next)).isEmpty();
        // added collections and other fields changed are fine
        assertThat(DefinitionRules.updateProblem(committed, next.toBuilder().clearCollections().addCollections(other)
                .addCollections(COLLECTION.toBuilder().setMaxPeerCount(5).setMemberOnlyRead(false)).build())).isEmpty();
        assertThat(DefinitionRules.updateProblem(VALID, next)).isEmpty();

        assertThat(DefinitionRules.updateProblem(committed, next.toBuilder().clearCollections().addCollections(other).build()))
                .contains(new DefinitionProblem(Code.COLLECTION_REMOVED, "collection 'prices' of asset-transfer sequence 1"
                        + " cannot be removed: keep it in the new definition"));
        assertThat(DefinitionRules.updateProblem(committed, next.toBuilder().clearCollections()
                .addCollections(COLLECTION.toBuilder().setBlockToLive(101)).build()))
                .contains(new DefinitionProblem(Code.COLLECTION_BLOCK_TO_LIVE_CHANGED,
                        "collection 'prices' keeps its blockToLive 100, not 101"));
        // every committed collection is checked, not only the first
        ContractDefinition two = with(other, COLLECTION);
        assertThat(DefinitionRules.updateProblem(two, next.toBuilder().clearCollections().addCollections(other).build())
                .orElseThrow().code()).isEqualTo(Code.COLLECTION_REMOVED);
        assertThat(DefinitionRules.updateProblem(two, next.toBuilder().clearCollections().addCollections(other)
                .addCollections(COLLECTION.toBuilder().setBlockToLive(0)).build()).orElseThrow().code())
                .isEqualTo(Code.COLLECTION_BLOCK_TO_LIVE_CHANGED);
    }
}
