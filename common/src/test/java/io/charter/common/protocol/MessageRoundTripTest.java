package io.charter.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.TxReadWriteSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class MessageRoundTripTest {

    private static final int EXAMPLES = 300;

    @Test
    void envelopeSurvivesSerializeAndParse() {
        roundTrips(ProtocolGenerators.envelopes(), Envelope.parser());
    }

    @Test
    void payloadSurvivesSerializeAndParse() {
        roundTrips(ProtocolGenerators.payloads(), Payload.parser());
    }

    @Test
    void payloadHeaderSurvivesSerializeAndParseIncludingUnknownHeaderTypes() {
        roundTrips(ProtocolGenerators.payloadHeaders(), PayloadHeader.parser());
    }

    @Test
    void proposalResponseSurvivesSerializeAndParse() {
        roundTrips(ProtocolGenerators.proposalResponses(), ProposalResponse.parser());
    }

    @Test
    void readWriteSetSurvivesSerializeAndParse() {
        roundTrips(ProtocolGenerators.readWriteSets(), TxReadWriteSet.parser());
    }

    @Test
    void blockSurvivesSerializeAndParse() {
        roundTrips(ProtocolGenerators.blocks(), Block.parser());
    }

    @Test
    void channelConfigSurvivesSerializeAndParse() {
        roundTrips(ProtocolGenerators.channelConfigs(), ChannelConfig.parser());
    }

    private static <M extends Message> void roundTrips(Gen<M> messages, Parser<M> parser) {
        qt().withExamples(EXAMPLES).forAll(messages).checkAssert(message -> {
            ByteString bytes = message.toByteString();
            M parsed = parse(parser, bytes);
            assertThat(parsed).isEqualTo(message);
            assertThat(parsed.getSerializedSize()).isEqualTo(bytes.size());
        });
    }

    private static <M extends Message> M parse(Parser<M> parser, ByteString bytes) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("a message's own serialization does not parse", e);
        }
    }
}
