package dev.conduit.blocklayout;

import java.util.List;
import java.util.UUID;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ErrorCode;

/**
 * Lays out a new store over 1..N namespaces (docs/FORMAT.md section 1): computes the regions of each
 * namespace and writes generation 1 of its superblock to both copies. Namespace 0 is written last,
 * so an interrupted format never leaves a namespace 0 that names missing siblings.
 */
final class StoreFormatter
{
    /** Most namespaces one store spans (the superblock field is u32; columns are u8). */
    static final int MAX_NAMESPACES = 255;

    private StoreFormatter()
    {
    }

    static void format(final List<? extends Namespace> namespaces, final FormatOptions options)
    {
        final int count = namespaces.size();
        if (count == 0 || count > MAX_NAMESPACES)
        {
            throw new IllegalArgumentException("a store spans 1.." + MAX_NAMESPACES + " namespaces: " + count);
        }
        final StoreGeometry g = options.geometry();
        final long unit = g.allocationUnitBytes();
        final long head = Bytes.roundUp(2L * SuperblockDescriptor.LENGTH, unit);
        final long journal = journalBytes(namespaces.getFirst().capacityBytes(), options, unit);
        final UUID store = options.resolvedStoreUuid();
        final long salt = options.resolvedSalt();
        final long created = options.resolvedCreatedMs();
        for (int i = count - 1; i >= 0; i--)
        {
            final Namespace ns = namespaces.get(i);
            if (Bytes.BLOCK % ns.blockSize() != 0)
            {
                throw LayoutErrors.error(ErrorCode.BAD_FORMAT, ns.id() + " has block size " + ns.blockSize() + "; 4096 must be a multiple of it");
            }
            final long journalHere = i == 0 ? journal : 0;
            final long dataOffset = head + journalHere;
            final long dataLength = (ns.capacityBytes() - dataOffset) / unit * unit;
            if (dataLength < unit)
            {
                throw LayoutErrors.error(ErrorCode.NO_SPACE, ns.id() + " is too small: " + ns.capacityBytes()
                    + " bytes; it needs at least " + (dataOffset + unit) + " for the superblocks, " + (i == 0 ? "journal, " : "")
                    + "and one allocation unit of data");
            }
            final Regions regions = new Regions(i == 0 ? head : 0, journalHere, dataOffset, dataLength);
            final Superblock sb = new Superblock(1, store, namespaceUuid(store, i), i, count, ns.capacityBytes(), created, g,
                regions, salt, CheckpointRef.EMPTY);
            SuperblockIo.writeBoth(ns, sb);
        }
    }

    private static long journalBytes(final long capacity0, final FormatOptions options, final long unit)
    {
        if (options.journalBytes() > 0)
        {
            return Bytes.roundUp(Math.max(options.journalBytes(), 2L * Bytes.BLOCK), unit);
        }
        final long auto = Math.clamp(capacity0 / 32, FormatOptions.JOURNAL_MIN_BYTES, FormatOptions.JOURNAL_MAX_BYTES);
        return Bytes.roundUp(auto, unit);
    }

    private static UUID namespaceUuid(final UUID store, final int index)
    {
        // Derived, not random, so a golden image is reproducible from the store UUID alone.
        return UUID.nameUUIDFromBytes((store + "/" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
