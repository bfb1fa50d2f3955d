package io.charter.common.protocol;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.charter.protocol.BatchSize;
import io.charter.protocol.Block;
import io.charter.protocol.BlockData;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.BlockMetadata;
import io.charter.protocol.BlockSignature;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endorsement;
import io.charter.protocol.Endpoint;
import io.charter.protocol.Envelope;
import io.charter.protocol.KeyRead;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.MvccConflict;
import io.charter.protocol.NamespaceReadWriteSet;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.RangeQueryInfo;
import io.charter.protocol.Response;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.TxReadWriteSet;
import io.charter.protocol.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * Generators of protocol messages with random contents: empty and large-ish byte fields, strings
 * over all of Unicode (outside the surrogate range, which protobuf cannot carry as UTF-8), enum
 * numbers the schema does not know, absent optional messages.
 */
final class ProtocolGenerators {

    private static final int SURROGATES = 0xE000 - 0xD800;

    private ProtocolGenerators() {}

    /** Mostly short, sometimes up to 16 KiB. */
    static Gen<ByteString> byteStrings() {
        return byteStrings(Generate.range(0, 64).mix(Generate.range(0, 16 * 1024), 10));
    }

    static Gen<ByteString> byteStrings(Gen<Integer> lengths) {
        return Generate.byteArrays(lengths, Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
                .map((byte[] bytes) -> ByteString.copyFrom(bytes));
    }

    static Gen<ByteString> nonEmptyByteStrings(int maxLength) {
        return byteStrings(Generate.range(1, maxLength));
    }

    static Gen<String> unicodeStrings() {
        return unicodeStrings(24);
    }

    static Gen<String> unicodeStrings(int maxCodePoints) {
        Gen<Integer> lengths = Generate.range(0, maxCodePoints);
        Gen<Integer> codePoints = Generate.range(0, Character.MAX_CODE_POINT - SURROGATES)
                .map(c -> c < Character.MIN_SURROGATE ? c : c + SURROGATES)
                .mix(Generate.range(0x20, 0x7e), 50);
        return in -> {
            int length = lengths.generate(in);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(codePoints.generate(in));
            }
            return text.toString();
        };
    }

    static Gen<Timestamp> timestamps() {
        return longs().between(-62_135_596_800L, 253_402_300_799L)
                .zip(integers().between(0, 999_999_999), (s, n) -> Timestamp.newBuilder().setSeconds(s).setNanos(n).build());
    }

    static Gen<SerializedIdentity> identities() {
        return unicodeStrings().zip(byteStrings(), (msp, cert) ->
                SerializedIdentity.newBuilder().setMspId(msp).setCertificate(cert).build());
    }

    static Gen<PayloadHeader> payloadHeaders() {
        return payloadHeaders(identities().map(SerializedIdentity::toByteString).mix(byteStrings(), 20));
    }

    static Gen<PayloadHeader> payloadHeaders(Gen<ByteString> creators) {
        Gen<Integer> types = Generate.range(0, 4).mix(integers().all(), 10);
        Gen<String> strings = unicodeStrings();
        Gen<Timestamp> timestamps = timestamps();
        Gen<Boolean> flags = booleans().all();
        Gen<ByteString> nonces = byteStrings(Generate.range(0, 32));
        return in -> {
            var header = PayloadHeader.newBuilder()
                    .setTypeValue(types.generate(in))
                    .setChannelId(strings.generate(in))
                    .setTxId(strings.generate(in))
                    .setCreator(creators.generate(in))
                    .setNonce(nonces.generate(in));
            if (flags.generate(in)) {
                header.setTimestamp(timestamps.generate(in));
            }
            return header.build();
        };
    }

    static Gen<Payload> payloads() {
        Gen<PayloadHeader> headers = payloadHeaders();
        Gen<ByteString> data = byteStrings();
        Gen<Boolean> flags = booleans().all();
        return in -> {
            var payload = Payload.newBuilder().setData(data.generate(in));
            if (flags.generate(in)) {
                payload.setHeader(headers.generate(in));
            }
            return payload.build();
        };
    }

    static Gen<Envelope> envelopes() {
        return payloads().map(Payload::toByteString).mix(byteStrings(), 20).zip(byteStrings(Generate.range(0, 80)),
                (payload, signature) -> Envelope.newBuilder().setPayload(payload).setSignature(signature).build());
    }

    static Gen<ProposalResponse> proposalResponses() {
        Gen<Integer> statuses = Generate.pick(List.of(200, 400, 403, 500)).mix(integers().all(), 20);
        Gen<String> messages = unicodeStrings(80);
        Gen<ByteString> bytes = byteStrings();
        Gen<Boolean> flags = booleans().all();
        return in -> {
            var response = ProposalResponse.newBuilder()
                    .setResponse(Response.newBuilder()
                            .setStatus(statuses.generate(in))
                            .setMessage(messages.generate(in))
                            .setPayload(bytes.generate(in)))
                    .setPayload(bytes.generate(in));
            if (flags.generate(in)) {
                response.setEndorsement(Endorsement.newBuilder()
                        .setEndorser(bytes.generate(in))
                        .setSignature(bytes.generate(in)));
            }
            return response.build();
        };
    }

    static Gen<Version> versions() {
        return longs().all().zip(longs().all(), (block, tx) ->
                Version.newBuilder().setBlockNumber(block).setTxNumber(tx).build());
    }

    static Gen<TxReadWriteSet> readWriteSets() {
        Gen<String> keys = unicodeStrings();
        Gen<Version> versions = versions();
        Gen<Boolean> flags = booleans().all();
        Gen<ByteString> values = byteStrings();
        Gen<Integer> counts = Generate.range(0, 5);
        Gen<KeyRead> reads = in -> {
            var read = KeyRead.newBuilder().setKey(keys.generate(in));
            if (flags.generate(in)) {
                read.setVersion(versions.generate(in));
            }
            return read.build();
        };
        Gen<NamespaceReadWriteSet> namespaces = in -> {
            var namespace = NamespaceReadWriteSet.newBuilder().setNamespace(keys.generate(in));
            namespace.addAllReads(repeat(in, counts, reads));
            namespace.addAllWrites(repeat(in, counts, () -> KeyWrite.newBuilder()
                    .setKey(keys.generate(in))
                    .setIsDelete(flags.generate(in))
                    .setValue(values.generate(in))
                    .build()));
            namespace.addAllRangeQueries(repeat(in, counts, () -> RangeQueryInfo.newBuilder()
                    .setStartKey(keys.generate(in))
                    .setEndKey(keys.generate(in))
                    .setItrExhausted(flags.generate(in))
                    .addAllReads(repeat(in, counts, reads))
                    .build()));
            return namespace.build();
        };
        return in -> TxReadWriteSet.newBuilder().addAllNamespaces(repeat(in, counts, namespaces)).build();
    }

    static Gen<Block> blocks() {
        Gen<Long> numbers = longs().all();
        Gen<ByteString> bytes = byteStrings(Generate.range(0, 300));
        Gen<Integer> counts = Generate.range(0, 6);
        Gen<Integer> codes = Generate.range(0, 20).mix(integers().all(), 10);
        Gen<Boolean> flags = booleans().all();
        Gen<String> strings = unicodeStrings();
        Gen<Version> versions = versions();
        return in -> {
            var header = BlockHeader.newBuilder()
                    .setNumber(numbers.generate(in))
                    .setPreviousHash(bytes.generate(in))
                    .setDataHash(bytes.generate(in));
            var data = BlockData.newBuilder().addAllEnvelopes(repeat(in, counts, bytes));
            var metadata = BlockMetadata.newBuilder()
                    .setLastConfigBlock(numbers.generate(in))
                    .addAllSignatures(repeat(in, counts, () -> BlockSignature.newBuilder()
                            .setSignatureHeader(bytes.generate(in))
                            .setSignature(bytes.generate(in))
                            .build()));
            for (int code : repeat(in, counts, codes)) {
                metadata.addValidationCodesValue(code);
            }
            metadata.addAllMvccConflicts(repeat(in, counts, () -> {
                var conflict = MvccConflict.newBuilder()
                        .setTxIndex(integers().all().generate(in))
                        .setNamespace(strings.generate(in))
                        .setKey(strings.generate(in));
                if (flags.generate(in)) {
                    conflict.setReadVersion(versions.generate(in));
                }
                if (flags.generate(in)) {
                    conflict.setCommittedVersion(versions.generate(in));
                }
                return conflict.build();
            }));
            var block = Block.newBuilder();
            if (flags.generate(in)) {
                block.setHeader(header);
            }
            if (flags.generate(in)) {
                block.setData(data);
            }
            if (flags.generate(in)) {
                block.setMetadata(metadata);
            }
            return block.build();
        };
    }

    static Gen<ChannelConfig> channelConfigs() {
        Gen<String> strings = unicodeStrings();
        Gen<ByteString> certs = byteStrings(Generate.range(0, 1200));
        Gen<Integer> counts = Generate.range(0, 4);
        Gen<Boolean> flags = booleans().all();
        Gen<Long> longs = longs().all();
        Gen<Integer> ints = integers().all();
        Gen<Endpoint> endpoints = in -> Endpoint.newBuilder()
                .setHost(strings.generate(in))
                .setPort(ints.generate(in))
                .build();
        Gen<OrganizationConfig> organizations = in -> {
            var organization = OrganizationConfig.newBuilder()
                    .setMspId(strings.generate(in))
                    .addAllRootCerts(repeat(in, counts, certs))
                    .addAllIntermediateCerts(repeat(in, counts, certs))
                    .addAllTlsRootCerts(repeat(in, counts, certs))
                    .addAllTlsIntermediateCerts(repeat(in, counts, certs))
                    .addAllCrls(repeat(in, counts, certs))
                    .addAllAnchorPeers(repeat(in, counts, endpoints));
            for (int i = counts.generate(in); i > 0; i--) {
                organization.putPolicies(strings.generate(in), strings.generate(in));
            }
            return organization.build();
        };
        return in -> {
            var config = ChannelConfig.newBuilder()
                    .setChannelId(strings.generate(in))
                    .setSequence(longs.generate(in))
                    .addAllOrganizations(repeat(in, counts, organizations));
            for (int i = counts.generate(in); i > 0; i--) {
                config.putPolicies(strings.generate(in), strings.generate(in));
            }
            if (flags.generate(in)) {
                var orderer = OrdererConfig.newBuilder()
                        .setMaxEnvelopeBytes(longs.generate(in))
                        .addAllConsenters(repeat(in, counts, () -> Consenter.newBuilder()
                                .setEndpoint(endpoints.generate(in))
                                .setIdentity(certs.generate(in))
                                .setClientTlsCert(certs.generate(in))
                                .setServerTlsCert(certs.generate(in))
                                .build()));
                if (flags.generate(in)) {
                    orderer.setBatchSize(BatchSize.newBuilder()
                            .setMaxMessageCount(ints.generate(in))
                            .setAbsoluteMaxBytes(longs.generate(in))
                            .setPreferredMaxBytes(longs.generate(in)));
                }
                if (flags.generate(in)) {
                    orderer.setBatchTimeout(Duration.newBuilder()
                            .setSeconds(longs().between(0, 315_576_000_000L).generate(in))
                            .setNanos(integers().between(0, 999_999_999).generate(in)));
                }
                config.setOrderer(orderer);
            }
            return config.build();
        };
    }

    private static <T> List<T> repeat(RandomnessSource in, Gen<Integer> counts, Gen<T> items) {
        return repeat(in, counts, () -> items.generate(in));
    }

    private static <T> List<T> repeat(RandomnessSource in, Gen<Integer> counts, Supplier<T> items) {
        int count = counts.generate(in);
        List<T> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(items.get());
        }
        return list;
    }
}
