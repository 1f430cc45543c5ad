package dev.conduit.gdspath.loader;

/**
 * One regular file inside a tar shard.
 *
 * @param name            its full path in the archive (GNU long name or pax {@code path} applied).
 * @param dataOffsetBytes where its data starts in the shard (after its header blocks).
 * @param lengthBytes     its size; may be 0.
 */
public record TarMember(String name, long dataOffsetBytes, long lengthBytes)
{
    /** @return one past its last data byte. */
    public long endBytes()
    {
        return dataOffsetBytes + lengthBytes;
    }
}
