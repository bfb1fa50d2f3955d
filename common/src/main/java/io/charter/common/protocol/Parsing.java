package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;

/**
 * Parses messages out of carried bytes without copying their {@code bytes} fields: each such field of
 * the result is a view of the input (protobuf's aliasing), so unpacking an envelope down to its
 * read-write set allocates the parsed objects but copies none of the payloads, certificates and
 * values nested in it. Safe because a {@link ByteString} is immutable. The views keep the input
 * alive as long as they are, which is what validators want: the block outlives its checks anyway.
 *
 * <p>Strict like {@code Parser.parseFrom(ByteString)}: the whole input must be one message.
 */
public final class Parsing {

    private Parsing() {}

    public static <T> T parse(Parser<T> parser, ByteString bytes) throws InvalidProtocolBufferException {
        CodedInputStream input = bytes.newCodedInput();
        input.enableAliasing(true);
        T message = parser.parseFrom(input);
        input.checkLastTagWas(0);
        return message;
    }
}
