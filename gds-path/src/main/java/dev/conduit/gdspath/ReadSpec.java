package dev.conduit.gdspath;

import java.util.Objects;

/**
 * One read of a batch for {@link DataPath#readAll}: bytes {@code [objectOffsetBytes,
 * objectOffsetBytes + lengthBytes)} of the current version of {@code key} into {@code dst} at
 * {@code dstOffsetBytes}.
 *
 * @param key               the object.
 * @param objectOffsetBytes first byte within the object.
 * @param lengthBytes       bytes to read.
 * @param dst               where they land.
 * @param dstOffsetBytes    where in {@code dst} the first byte goes.
 */
public record ReadSpec(String key, long objectOffsetBytes, long lengthBytes, DeviceBuffer dst, long dstOffsetBytes)
{
    /**
     * @param key               the object.
     * @param objectOffsetBytes first byte within the object.
     * @param lengthBytes       bytes to read.
     * @param dst               where they land.
     * @param dstOffsetBytes    where in {@code dst} the first byte goes.
     */
    public ReadSpec
    {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(dst, "dst");
    }
}
