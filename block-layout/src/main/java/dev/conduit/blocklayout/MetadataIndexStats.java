package dev.conduit.blocklayout;

/**
 * The size of a store's metadata index ({@link ObjectStore#indexMetadata()}).
 *
 * @param objects        records in the catalog.
 * @param postings       index entries: one per metadata entry, two when its value is a number.
 * @param estimatedBytes heap the postings are estimated to take (their bytes plus a fixed
 *                       per-posting overhead); a benchmark measures the real figure.
 */
public record MetadataIndexStats(long objects, long postings, long estimatedBytes)
{
    /** @return estimated index bytes per catalog record (0 for an empty catalog). */
    public double bytesPerObject()
    {
        return objects == 0 ? 0 : (double)estimatedBytes / objects;
    }
}
