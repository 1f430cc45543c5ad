package dev.conduit.nvmeof.pdu;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The NVMe/TCP header and data digest: CRC-32C (Castagnoli), stored little-endian after the bytes it
 * covers. One instance per connection direction; reused, never shared between threads.
 */
public final class Crc32cDigest
{
    private final CRC32C crc = new CRC32C();

    /**
     * @param bytes the covered bytes, from position to limit; position and limit are left as they were.
     * @return the digest value.
     */
    public int digest(final ByteBuffer bytes)
    {
        final int position = bytes.position();
        crc.reset();
        crc.update(bytes);
        bytes.position(position);
        return (int)crc.getValue();
    }

    /**
     * @param bytes  a buffer.
     * @param from   first covered byte.
     * @param length covered bytes.
     * @return the digest of {@code bytes[from, from + length)}; the buffer's position and limit are restored.
     */
    public int digest(final ByteBuffer bytes, final int from, final int length)
    {
        final int position = bytes.position();
        final int limit = bytes.limit();
        bytes.limit(from + length).position(from);
        crc.reset();
        crc.update(bytes);
        bytes.limit(limit).position(position);
        return (int)crc.getValue();
    }
}
