package dev.conduit.objecttier.payload;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;

import dev.conduit.objecttier.auth.AuthResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Test helpers: frame unsigned aws-chunked bodies by hand and feed bodies to a decoder in pieces. */
final class ChunkedBodies
{
    private ChunkedBodies()
    {
    }

    /**
     * Frames {@code data} as an unsigned aws-chunked body with a CRC32 trailer, as
     * STREAMING-UNSIGNED-PAYLOAD-TRAILER sends it.
     *
     * @param data       the payload.
     * @param chunkSizes sizes of consecutive chunks, repeated until the data runs out.
     * @return the body.
     */
    static byte[] unsignedWithCrc32Trailer(final byte[] data, final List<Integer> chunkSizes)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = 0;
        int next = 0;
        while (offset < data.length)
        {
            final int size = Math.min(chunkSizes.get(next++ % chunkSizes.size()), data.length - offset);
            ascii(out, Integer.toHexString(size) + "\r\n");
            out.write(data, offset, size);
            ascii(out, "\r\n");
            offset += size;
        }
        final CRC32 crc = new CRC32();
        crc.update(data);
        final long value = crc.getValue();
        final byte[] bigEndian = {(byte)(value >>> 24), (byte)(value >>> 16), (byte)(value >>> 8), (byte)value};
        ascii(out, "0\r\nx-amz-checksum-crc32:" + Base64.getEncoder().encodeToString(bigEndian) + "\r\n\r\n");
        return out.toByteArray();
    }

    /**
     * Feeds {@code body} to a new decoder, cut at {@code cuts} (sorted or not, any in range).
     *
     * @return the decoder and the payload it produced.
     */
    static Decoded decode(final AuthResult auth, final long decodedLength, final byte[] body, final List<Integer> cuts)
    {
        final AwsChunkedDecoder decoder = new AwsChunkedDecoder(auth, decodedLength);
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        final int[] points = cuts.stream().mapToInt(c -> Math.floorMod(c, body.length + 1)).sorted().toArray();
        int from = 0;
        for (final int point : points)
        {
            feed(decoder, body, from, point, payload::writeBytes);
            from = point;
        }
        feed(decoder, body, from, body.length, payload::writeBytes);
        return new Decoded(decoder, payload.toByteArray());
    }

    /** Feeds {@code body[from, to)} as one buffer (with junk around it, so slices must honour their bounds). */
    static void feed(
        final AwsChunkedDecoder decoder, final byte[] body, final int from, final int to, final Consumer<byte[]> sink)
    {
        final ByteBuf buffer = Unpooled.buffer(to - from + 8);
        buffer.writeBytes(new byte[] {'#', '#', '#', '#'});
        buffer.writeBytes(body, from, to - from);
        buffer.writeBytes(new byte[] {'#', '#', '#', '#'});
        final ByteBuf in = buffer.slice(4, to - from);
        try
        {
            decoder.decode(in, slice ->
            {
                final byte[] bytes = new byte[slice.readableBytes()];
                slice.getBytes(slice.readerIndex(), bytes);
                sink.accept(bytes);
            });
            if (in.isReadable())
            {
                throw new AssertionError("decode left " + in.readableBytes() + " bytes unread");
            }
        }
        finally
        {
            buffer.release();
        }
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void ascii(final ByteArrayOutputStream out, final String text)
    {
        out.writeBytes(ascii(text));
    }

    /**
     * @param decoder the decoder after the whole input.
     * @param payload what it handed out.
     */
    record Decoded(AwsChunkedDecoder decoder, byte[] payload)
    {
    }
}
