package dev.conduit.gdspath.loader;

/**
 * One file of one sample in a batch's buffer.
 *
 * @param sampleKey   the sample's key (shared by its files).
 * @param name        the file's path in its shard (the object key for a plain object).
 * @param offsetBytes where its bytes start in the batch's buffer.
 * @param lengthBytes how many.
 * @param padding     a repeat filling the epoch's last batch ({@link LastBatch#PAD}); train on it or skip it.
 */
public record BatchEntry(String sampleKey, String name, long offsetBytes, long lengthBytes, boolean padding)
{
}
