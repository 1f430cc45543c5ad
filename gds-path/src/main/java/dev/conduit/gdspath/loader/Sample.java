package dev.conduit.gdspath.loader;

import java.util.List;

/**
 * One training sample: the files of a tar shard that share a sample key (WebDataset grouping), or a
 * whole plain object. The sample's bytes are read as one span, from its first member's data to its
 * last member's end (the tar headers between members come along, a few hundred bytes each).
 *
 * @param key     the sample key: the member path up to the first dot of its file name
 *                ({@code a/b/0001.seg.png} becomes {@code a/b/0001}), or the object key.
 * @param members its files, in shard order.
 */
public record Sample(String key, List<TarMember> members)
{
    /**
     * @param key     the sample key.
     * @param members at least one.
     */
    public Sample
    {
        members = List.copyOf(members);
        if (members.isEmpty())
        {
            throw new IllegalArgumentException("a sample has at least one member: " + key);
        }
    }

    /** @return the first data byte of the span. */
    public long spanOffsetBytes()
    {
        return members.getFirst().dataOffsetBytes();
    }

    /** @return one past the last data byte of the span. */
    public long spanEndBytes()
    {
        return members.getLast().endBytes();
    }

    /**
     * @param memberName a member path.
     * @return its sample key: the path with everything from the first dot of the file name removed.
     */
    public static String keyOf(final String memberName)
    {
        final int slash = memberName.lastIndexOf('/');
        final int dot = memberName.indexOf('.', slash + 1);
        return dot < 0 ? memberName : memberName.substring(0, dot);
    }
}
