package dev.conduit.nvmeof.pdu;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;

/**
 * Test helper: collects what a {@link PduWriter} encodes into a byte stream, and reads it back.
 */
final class PduBytes
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PduBytes add(final PduWriter writer, final int headerBytes)
    {
        return add(writer.header(headerBytes));
    }

    PduBytes add(final PduWriter writer, final int headerBytes, final byte[] data)
    {
        add(writer.header(headerBytes));
        final ByteBuffer dataBuffer = ByteBuffer.wrap(data);
        add(dataBuffer.duplicate());
        if (writer.dataDigestBytes(data.length) > 0)
        {
            add(writer.digest(writer.dataDigest(dataBuffer)));
        }
        return this;
    }

    PduBytes add(final ByteBuffer bytes)
    {
        final byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        out.writeBytes(copy);
        return this;
    }

    byte[] bytes()
    {
        return out.toByteArray();
    }

    static ReadableByteChannel channel(final byte[] bytes)
    {
        return Channels.newChannel(new ByteArrayInputStream(bytes));
    }

    static byte[] data(final PduReader reader)
    {
        final byte[] data = new byte[reader.dataLength()];
        MemorySegment.copy(reader.buffer(), ValueLayout.JAVA_BYTE, reader.dataOffset(), data, 0, data.length);
        return data;
    }
}
