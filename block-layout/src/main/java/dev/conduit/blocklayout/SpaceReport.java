package dev.conduit.blocklayout;

import java.util.List;

/**
 * Space and fragmentation of a store, per namespace and in total.
 *
 * @param namespaces   one line per namespace.
 * @param reserveBytes space held back so the next checkpoint can always be written.
 */
public record SpaceReport(List<NamespaceSpace> namespaces, long reserveBytes)
{
    /** Copies the list. */
    public SpaceReport
    {
        namespaces = List.copyOf(namespaces);
    }

    /**
     * Space of one namespace's data region.
     *
     * @param namespaceIndex      the namespace.
     * @param capacityBytes       size of its data region.
     * @param usedBytes           bytes allocated to objects and the checkpoint.
     * @param freeUnitBytes       free bytes in wholly free allocation units (usable for aligned extents).
     * @param largestFreeRunBytes longest run of wholly free units.
     * @param partialUnits        units that are partly used (slabs and large-object tails).
     */
    public record NamespaceSpace(
        int namespaceIndex, long capacityBytes, long usedBytes, long freeUnitBytes, long largestFreeRunBytes, int partialUnits)
    {
        /** @return free bytes. */
        public long freeBytes()
        {
            return capacityBytes - usedBytes;
        }
    }

    /** @return the data capacity of all namespaces. */
    public long capacityBytes()
    {
        return namespaces.stream().mapToLong(NamespaceSpace::capacityBytes).sum();
    }

    /** @return bytes in use. */
    public long usedBytes()
    {
        return namespaces.stream().mapToLong(NamespaceSpace::usedBytes).sum();
    }

    /** @return free bytes. */
    public long freeBytes()
    {
        return capacityBytes() - usedBytes();
    }

    /**
     * @return {@code 1 - freeUnitBytes / freeBytes}: 0 when all free space is in whole aligned units,
     *         towards 1 when it is scattered in holes.
     */
    public double fragmentation()
    {
        final long free = freeBytes();
        final long freeUnits = namespaces.stream().mapToLong(NamespaceSpace::freeUnitBytes).sum();
        return free == 0 ? 0.0 : 1.0 - (double)freeUnits / free;
    }
}
