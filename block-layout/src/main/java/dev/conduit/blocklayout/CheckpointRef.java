package dev.conduit.blocklayout;

import java.util.List;

/**
 * The durable root of the catalog, kept in namespace 0's superblock: where the last checkpoint
 * stream lies and where journal replay starts.
 *
 * @param sequence          last journal sequence included in the checkpoint (0 = none).
 * @param lengthBytes       length of the checkpoint stream; 0 = empty catalog, no extents.
 * @param crc32c            CRC-32C of the whole stream.
 * @param extents           where the stream lies, in stream order (at most {@link #MAX_EXTENTS}).
 * @param replayOffsetBytes offset of the first batch to replay, relative to the journal region.
 * @param replaySequence    sequence expected of that batch.
 */
public record CheckpointRef(
    long sequence, long lengthBytes, int crc32c, List<Extent> extents, long replayOffsetBytes, long replaySequence)
{
    /** Most extents one checkpoint may span (the superblock has room for this many). */
    public static final int MAX_EXTENTS = 64;

    /** The root of a freshly formatted store: no checkpoint, replay from the start with sequence 1. */
    public static final CheckpointRef EMPTY = new CheckpointRef(0, 0, 0, List.of(), 0, 1);

    /** Copies the extent list and bounds it. */
    public CheckpointRef
    {
        extents = List.copyOf(extents);
        if (extents.size() > MAX_EXTENTS)
        {
            throw new IllegalArgumentException("a checkpoint spans at most " + MAX_EXTENTS + " extents: " + extents.size());
        }
    }
}
