package dev.conduit.blocklayout;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * Object data whose CRC-32C does not match the catalog: the read is refused rather than returning
 * wrong bytes. Code {@code CORRUPT_EXTENT}; names the key, the namespace and the physical offset.
 */
public final class CorruptExtentException extends ConduitException
{
    private static final long serialVersionUID = 1L;

    private final String key;
    private final int namespaceIndex;
    private final String namespaceId;
    private final long offsetBytes;
    private final int chunkIndex;

    /**
     * @param key            the object.
     * @param namespaceIndex index of the namespace holding the chunk's first byte.
     * @param namespaceId    that namespace's {@code id()}.
     * @param offsetBytes    physical offset of the chunk's first byte.
     * @param chunkIndex     chunk number within the object.
     * @param expectedCrc    CRC recorded in the catalog.
     * @param actualCrc      CRC of the bytes read.
     */
    public CorruptExtentException(
        final String key,
        final int namespaceIndex,
        final String namespaceId,
        final long offsetBytes,
        final int chunkIndex,
        final int expectedCrc,
        final int actualCrc)
    {
        super(ErrorCode.CORRUPT_EXTENT, "corrupt extent: key=" + key + " namespace=" + namespaceIndex
            + " (" + namespaceId + ") offset=" + offsetBytes + " chunk=" + chunkIndex
            + String.format(" crc32c expected=%08x actual=%08x", expectedCrc, actualCrc));
        this.key = key;
        this.namespaceIndex = namespaceIndex;
        this.namespaceId = namespaceId;
        this.offsetBytes = offsetBytes;
        this.chunkIndex = chunkIndex;
    }

    /** @return the object key. */
    public String key()
    {
        return key;
    }

    /** @return index of the namespace holding the damaged chunk. */
    public int namespaceIndex()
    {
        return namespaceIndex;
    }

    /** @return the id of that namespace. */
    public String namespaceId()
    {
        return namespaceId;
    }

    /** @return physical offset of the damaged chunk's first byte. */
    public long offsetBytes()
    {
        return offsetBytes;
    }

    /** @return the chunk number within the object. */
    public int chunkIndex()
    {
        return chunkIndex;
    }
}
