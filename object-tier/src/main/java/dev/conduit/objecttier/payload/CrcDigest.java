package dev.conduit.objecttier.payload;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.Checksum;

/** A CRC of 4 or 8 bytes as a {@link PayloadDigest}: its value written big-endian, as S3 sends it. */
final class CrcDigest implements PayloadDigest
{
    private final Checksum checksum;
    private final int lengthBytes;
    private String base64;

    CrcDigest(final Checksum checksum, final int lengthBytes)
    {
        this.checksum = checksum;
        this.lengthBytes = lengthBytes;
    }

    @Override
    public void update(final ByteBuffer bytes)
    {
        checksum.update(bytes);
    }

    @Override
    public String base64()
    {
        if (base64 == null)
        {
            final long value = checksum.getValue();
            final byte[] bigEndian = new byte[lengthBytes];
            for (int i = 0; i < lengthBytes; i++)
            {
                bigEndian[i] = (byte)(value >>> (8 * (lengthBytes - 1 - i)));
            }
            base64 = Base64.getEncoder().encodeToString(bigEndian);
        }
        return base64;
    }
}
