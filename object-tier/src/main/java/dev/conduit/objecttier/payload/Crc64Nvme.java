package dev.conduit.objecttier.payload;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.Checksum;

/**
 * CRC-64/NVME: reflected polynomial 0x9a6c9329ac4bc9b5, initial value and final xor all ones (the
 * check value of "123456789" is 0xae8b14860a799888). Table-driven, slicing-by-8: eight tables let
 * one step fold a whole little-endian long, about eight times fewer dependent steps than bytewise.
 *
 * <p>Threading: not thread-safe.
 */
final class Crc64Nvme implements Checksum
{
    private static final long POLYNOMIAL_REFLECTED = 0x9a6c9329ac4bc9b5L;
    private static final long[][] TABLES = tables();

    private long crc = -1L;

    @Override
    public void update(final int b)
    {
        crc = TABLES[0][(int)(crc ^ b) & 0xFF] ^ (crc >>> 8);
    }

    @Override
    public void update(final byte[] bytes, final int offset, final int length)
    {
        update(ByteBuffer.wrap(bytes, offset, length));
    }

    @Override
    public void update(final ByteBuffer buffer)
    {
        final ByteOrder order = buffer.order();
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        final long[] t0 = TABLES[0];
        final long[] t1 = TABLES[1];
        final long[] t2 = TABLES[2];
        final long[] t3 = TABLES[3];
        final long[] t4 = TABLES[4];
        final long[] t5 = TABLES[5];
        final long[] t6 = TABLES[6];
        final long[] t7 = TABLES[7];
        long c = crc;
        int position = buffer.position();
        final int limit = buffer.limit();
        while (limit - position >= Long.BYTES)
        {
            final long x = c ^ buffer.getLong(position);
            c = t7[(int)x & 0xFF] ^
                t6[(int)(x >>> 8) & 0xFF] ^
                t5[(int)(x >>> 16) & 0xFF] ^
                t4[(int)(x >>> 24) & 0xFF] ^
                t3[(int)(x >>> 32) & 0xFF] ^
                t2[(int)(x >>> 40) & 0xFF] ^
                t1[(int)(x >>> 48) & 0xFF] ^
                t0[(int)(x >>> 56) & 0xFF];
            position += Long.BYTES;
        }
        while (position < limit)
        {
            c = t0[(int)(c ^ buffer.get(position)) & 0xFF] ^ (c >>> 8);
            position++;
        }
        crc = c;
        buffer.position(limit);
        buffer.order(order);
    }

    @Override
    public long getValue()
    {
        return ~crc;
    }

    @Override
    public void reset()
    {
        crc = -1L;
    }

    private static long[][] tables()
    {
        final long[][] tables = new long[8][256];
        for (int n = 0; n < 256; n++)
        {
            long c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLYNOMIAL_REFLECTED : c >>> 1;
            }
            tables[0][n] = c;
        }
        for (int n = 0; n < 256; n++)
        {
            long c = tables[0][n];
            for (int k = 1; k < 8; k++)
            {
                c = tables[0][(int)c & 0xFF] ^ (c >>> 8);
                tables[k][n] = c;
            }
        }
        return tables;
    }
}
