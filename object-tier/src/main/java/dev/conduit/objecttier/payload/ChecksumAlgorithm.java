package dev.conduit.objecttier.payload;

import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The checksums S3 lets a client send with a body, each carried in an {@code x-amz-checksum-<name>}
 * header or trailer.
 */
public enum ChecksumAlgorithm
{
    /** CRC-32 (ISO-HDLC), 4 bytes. */
    CRC32(4),
    /** CRC-32C (Castagnoli), 4 bytes. */
    CRC32C(4),
    /** CRC-64/NVME, 8 bytes. */
    CRC64NVME(8),
    /** SHA-1, 20 bytes. */
    SHA1(20),
    /** SHA-256, 32 bytes. */
    SHA256(32);

    private final int lengthBytes;
    private final String headerName;

    ChecksumAlgorithm(final int lengthBytes)
    {
        this.lengthBytes = lengthBytes;
        this.headerName = "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
    }

    /** @return the header (and trailer) name, e.g. {@code x-amz-checksum-crc32}. */
    public String headerName()
    {
        return headerName;
    }

    /** @return the length of the value in bytes, before base64. */
    public int lengthBytes()
    {
        return lengthBytes;
    }

    /**
     * @param name an algorithm name in any case, e.g. {@code crc32c} or {@code CRC32C}.
     * @return the algorithm, or empty when S3 has no such checksum.
     */
    public static Optional<ChecksumAlgorithm> fromName(final String name)
    {
        if (name == null)
        {
            return Optional.empty();
        }
        for (final ChecksumAlgorithm algorithm : values())
        {
            if (algorithm.name().equalsIgnoreCase(name.strip()))
            {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /**
     * @param headerName a header or trailer name in any case, e.g. {@code x-amz-checksum-crc32}.
     * @return the algorithm it carries, or empty when it names none.
     */
    public static Optional<ChecksumAlgorithm> fromHeaderName(final String headerName)
    {
        for (final ChecksumAlgorithm algorithm : values())
        {
            if (algorithm.headerName.equalsIgnoreCase(headerName.strip()))
            {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** @return a fresh running digest of this algorithm. */
    public PayloadDigest newDigest()
    {
        return switch (this)
        {
            case CRC32 -> new CrcDigest(new CRC32(), lengthBytes);
            case CRC32C -> new CrcDigest(new CRC32C(), lengthBytes);
            case CRC64NVME -> new CrcDigest(new Crc64Nvme(), lengthBytes);
            case SHA1 -> new HashDigest("SHA-1");
            case SHA256 -> new HashDigest("SHA-256");
        };
    }
}
