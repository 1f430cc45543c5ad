package dev.conduit.objecttier.it;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Test data and the digests S3 reports over it, computed here independently of the server and of
 * the SDK (MD5 and SHA from the JDK, CRC32/CRC32C from java.util.zip, CRC-64/NVME bit by bit from
 * its definition), so a checksum the server echoes is compared with a value it could not have
 * produced by mistake.
 */
final class Payloads
{
    /** CRC-64/NVME's polynomial, bit-reflected (0xAD93D23594C93659 reversed). */
    private static final long CRC64_NVME_REFLECTED_POLY = 0x9A6C9329AC4BC9B5L;

    private Payloads()
    {
    }

    /** @return {@code length} pseudo-random bytes, the same for the same seed. */
    static byte[] random(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.nextInt(256);
        }
        return bytes;
    }

    static byte[] md5(final byte[] data)
    {
        return digest("MD5", data);
    }

    static String md5Hex(final byte[] data)
    {
        return HexFormat.of().formatHex(md5(data));
    }

    static String sha256Hex(final byte[] data)
    {
        return HexFormat.of().formatHex(digest("SHA-256", data));
    }

    /** @return the base64 checksum S3 reports for this algorithm name (CRC32, CRC32C, CRC64NVME, SHA1, SHA256). */
    static String checksumBase64(final String algorithm, final byte[] data)
    {
        final byte[] value = switch (algorithm)
        {
            case "CRC32" ->
            {
                final CRC32 crc = new CRC32();
                crc.update(data);
                yield ByteBuffer.allocate(4).putInt((int)crc.getValue()).array();
            }
            case "CRC32C" ->
            {
                final CRC32C crc = new CRC32C();
                crc.update(data);
                yield ByteBuffer.allocate(4).putInt((int)crc.getValue()).array();
            }
            case "CRC64NVME" -> ByteBuffer.allocate(8).putLong(crc64Nvme(data)).array();
            case "SHA1" -> digest("SHA-1", data);
            case "SHA256" -> digest("SHA-256", data);
            default -> throw new IllegalArgumentException(algorithm);
        };
        return Base64.getEncoder().encodeToString(value);
    }

    /** CRC-64/NVME: reflected, initial value and final XOR all ones. Slow and obviously right. */
    static long crc64Nvme(final byte[] data)
    {
        long crc = -1L;
        for (final byte b : data)
        {
            crc ^= b & 0xFFL;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1L) != 0 ? (crc >>> 1) ^ CRC64_NVME_REFLECTED_POLY : crc >>> 1;
            }
        }
        return ~crc;
    }

    /** @return S3's multipart ETag: MD5 over the parts' binary MD5s, then {@code -N}. */
    static String multipartEtag(final byte[]... parts)
    {
        final MessageDigest md5 = newDigest("MD5");
        for (final byte[] part : parts)
        {
            md5.update(md5(part));
        }
        return HexFormat.of().formatHex(md5.digest()) + "-" + parts.length;
    }

    static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final ByteBuffer all = ByteBuffer.allocate(length);
        for (final byte[] part : parts)
        {
            all.put(part);
        }
        return all.array();
    }

    private static byte[] digest(final String algorithm, final byte[] data)
    {
        return newDigest(algorithm).digest(data);
    }

    private static MessageDigest newDigest(final String algorithm)
    {
        try
        {
            return MessageDigest.getInstance(algorithm);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(algorithm, ex);
        }
    }
}
