package dev.conduit.blocklayout;

import java.util.List;
import java.util.UUID;

/**
 * Identity and shape of an open store.
 *
 * @param storeUuid          the store's identity.
 * @param namespaceIds       {@code id()} of each namespace, by index.
 * @param geometry           placement parameters.
 * @param objectCount        objects in the catalog.
 * @param journalUsedBytes   journal bytes written since the last checkpoint.
 * @param journalLengthBytes journal region size.
 * @param superblockGeneration namespace 0's superblock generation (one per checkpoint).
 */
public record StoreInfo(
    UUID storeUuid,
    List<String> namespaceIds,
    StoreGeometry geometry,
    long objectCount,
    long journalUsedBytes,
    long journalLengthBytes,
    long superblockGeneration)
{
    /** Copies the list. */
    public StoreInfo
    {
        namespaceIds = List.copyOf(namespaceIds);
    }
}
