package dev.conduit.blocklayout;

import java.util.List;

/**
 * The parts a composed object replaces, as the commit pipeline needs them: each key with the
 * version the compose was planned from (the batch is refused as stale when any changed), and the
 * extents to retire once published (none when the new record adopts them, all of them when their
 * bytes were copied).
 *
 * @param keys            UTF-8 part keys, removed in the composed object's journal batch.
 * @param versions        the version each part must still have.
 * @param retireOnPublish extents that nothing references once the composed object is published.
 */
record ComposedParts(byte[][] keys, long[] versions, List<Extent> retireOnPublish)
{
}
