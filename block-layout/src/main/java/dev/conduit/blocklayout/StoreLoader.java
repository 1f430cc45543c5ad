package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * Opens a store (docs/FORMAT.md section 7): superblocks of every namespace → checks that they form
 * one store → checkpoint → journal tail → allocator rebuilt from every live extent → a superblock
 * install that a power failure cut short (namespace 0's other copy torn) is redone.
 */
final class StoreLoader
{
    /**
     * Everything open found.
     *
     * @param namespaces         namespaces ordered by index.
     * @param superblocks        the chosen superblock of each, by index.
     * @param superblockProblems per namespace index, the copies that did not decode.
     * @param chains             the catalog and version history after replay.
     * @param allocator          free space rebuilt from the catalog.
     * @param replay             what journal replay found.
     * @param nextVersion        the next version to assign.
     * @param damagedKeys        (lenient open only) keys whose extents overlap others or lie out of bounds, with why.
     * @param openRepairs        what open rewrote (a torn superblock copy of an interrupted install), one line each.
     */
    record Loaded(
        List<Namespace> namespaces,
        List<Superblock> superblocks,
        Map<Integer, List<String>> superblockProblems,
        VersionChain chains,
        Allocator allocator,
        JournalReplay.Result replay,
        long nextVersion,
        Map<String, String> damagedKeys,
        List<String> openRepairs)
    {
    }

    private StoreLoader()
    {
    }

    static Loaded load(final List<? extends Namespace> given, final boolean lenient)
    {
        if (given.isEmpty())
        {
            throw new IllegalArgumentException("a store needs at least one namespace");
        }
        final Namespace[] ordered = new Namespace[given.size()];
        final Superblock[] superblocks = new Superblock[given.size()];
        final Map<Integer, List<String>> problems = new LinkedHashMap<>();
        long tornCopyOffset = -1;
        Superblock reference = null;
        for (final Namespace ns : given)
        {
            final SuperblockIo.Read read = SuperblockIo.read(ns);
            final Superblock sb = read.chosen();
            reference = reference == null ? sb : reference;
            checkMembership(ns, sb, reference, given.size(), ordered);
            ordered[sb.namespaceIndex()] = ns;
            superblocks[sb.namespaceIndex()] = sb;
            if (sb.namespaceIndex() == 0)
            {
                tornCopyOffset = read.tornCopyOffset();
            }
            if (!read.problems().isEmpty())
            {
                problems.put(sb.namespaceIndex(), read.problems());
            }
        }
        final List<Namespace> namespaces = List.of(ordered);
        final Superblock sb0 = superblocks[0];
        final VersionChain chains = new VersionChain(new CatalogIndex(), new CatalogIndex(CatalogIndex.BY_KEY_NEWEST_FIRST));
        final CatalogIndex catalog = chains.current();
        final long[] nextVersion = {CheckpointIo.read(namespaces, sb0.checkpoint(), sb0.journalSalt(), chains)};
        final JournalReplay.Result replay = JournalReplay.replay(namespaces.getFirst(), sb0, new JournalReplay.Sink()
        {
            @Override
            public void onPut(final byte[] record)
            {
                catalog.put(record);
                nextVersion[0] = Math.max(nextVersion[0], ObjectRecordDescriptor.version(record) + 1);
            }

            @Override
            public void onDelete(final long version, final byte[] key)
            {
                catalog.remove(key);
                nextVersion[0] = Math.max(nextVersion[0], version + 1);
            }

            @Override
            public void onPutVersion(final byte[] record)
            {
                chains.putVersion(record, new ArrayList<>());
                nextVersion[0] = Math.max(nextVersion[0], ObjectRecordDescriptor.version(record) + 1);
            }

            @Override
            public void onDeleteVersion(final long version, final long versionId, final byte[] key)
            {
                chains.deleteVersion(key, versionId);
                nextVersion[0] = Math.max(nextVersion[0], version + 1);
            }

            @Override
            public boolean dataIntact(final byte[] record)
            {
                return DataCheck.intact(namespaces, record);
            }
        });
        final Map<String, String> damaged = new LinkedHashMap<>();
        final Allocator allocator = rebuildAllocator(List.of(superblocks), chains, lenient, damaged);
        final List<String> openRepairs = new ArrayList<>();
        if (tornCopyOffset >= 0)
        {
            redoTornInstall(namespaces.getFirst(), superblocks, tornCopyOffset, problems, openRepairs);
        }
        return new Loaded(namespaces, List.of(superblocks), problems, chains, allocator, replay, nextVersion[0], damaged, openRepairs);
    }

    /**
     * Namespace 0's copies alternate per checkpoint, so a torn one is an install a power failure cut
     * short; the next install would overwrite it anyway. Redoing it now restores the second copy, and
     * fsck stays clean. Best effort: on a device that refuses the write the copy stays a fsck problem.
     */
    private static void redoTornInstall(
        final Namespace ns0,
        final Superblock[] superblocks,
        final long tornCopyOffset,
        final Map<Integer, List<String>> problems,
        final List<String> openRepairs)
    {
        try
        {
            superblocks[0] = SuperblockIo.rewriteTornCopy(ns0, superblocks[0], tornCopyOffset);
        }
        catch (final ConduitException e)
        {
            return;
        }
        problems.remove(0);
        openRepairs.add("rewrote the torn superblock copy at offset " + tornCopyOffset + " of " + ns0.id() + " with generation "
            + superblocks[0].generation() + " (a superblock install cut short)");
    }

    private static void checkMembership(
        final Namespace ns, final Superblock sb, final Superblock reference, final int given, final Namespace[] ordered)
    {
        if (!sb.storeUuid().equals(reference.storeUuid()))
        {
            throw LayoutErrors.error(ErrorCode.FOREIGN_NAMESPACE, ns.id() + " belongs to store " + sb.storeUuid()
                + ", not to store " + reference.storeUuid() + " like the namespaces before it");
        }
        if (sb.namespaceCount() != given || sb.namespaceIndex() < 0 || sb.namespaceIndex() >= given)
        {
            throw LayoutErrors.error(ErrorCode.FOREIGN_NAMESPACE, ns.id() + " is namespace " + sb.namespaceIndex() + " of "
                + sb.namespaceCount() + " of store " + sb.storeUuid() + ", but " + given + " namespaces were given");
        }
        if (ordered[sb.namespaceIndex()] != null)
        {
            throw LayoutErrors.error(ErrorCode.FOREIGN_NAMESPACE, ns.id() + " and " + ordered[sb.namespaceIndex()].id()
                + " both claim to be namespace " + sb.namespaceIndex());
        }
        if (!sb.geometry().equals(reference.geometry()) || sb.journalSalt() != reference.journalSalt())
        {
            throw LayoutErrors.error(ErrorCode.FOREIGN_NAMESPACE, ns.id() + " disagrees with namespace "
                + reference.namespaceIndex() + " about the store's geometry");
        }
        if (ns.capacityBytes() < sb.capacityBytes() || ns.capacityBytes() < sb.regions().dataOffsetBytes() + sb.regions().dataLengthBytes())
        {
            throw LayoutErrors.error(ErrorCode.BAD_FORMAT, ns.id() + " is " + ns.capacityBytes() + " bytes but was formatted with "
                + sb.capacityBytes());
        }
    }

    private static Allocator rebuildAllocator(
        final List<Superblock> superblocks, final VersionChain chains, final boolean lenient, final Map<String, String> damaged)
    {
        final List<SpaceMap> maps = new ArrayList<>(superblocks.size());
        for (final Superblock sb : superblocks)
        {
            maps.add(new SpaceMap(sb.namespaceIndex(), sb.regions().dataOffsetBytes(), sb.regions().dataLengthBytes(),
                sb.geometry().blocksPerUnit()));
        }
        final Allocator allocator = new Allocator(maps, superblocks.getFirst().geometry());
        for (final Extent e : superblocks.getFirst().checkpoint().extents())
        {
            if (!allocator.markUsed(e.namespaceIndex(), e.offsetBytes(), e.lengthBytes()))
            {
                throw LayoutErrors.corrupt("checkpoint", "extent " + e + " lies outside the data region or overlaps another");
            }
        }
        final boolean[] bad = new boolean[1];
        final CatalogIndex.Visitor markRecord = record ->
        {
            bad[0] = false;
            ObjectRecordDescriptor.forEachExtent(record, (ns, offset, length) ->
                bad[0] |= !allocator.markUsed(ns, offset, length));
            if (bad[0])
            {
                final String key = ObjectRecordDescriptor.key(record);
                if (!lenient)
                {
                    throw LayoutErrors.corrupt("catalog", "object " + key
                        + " has an extent that overlaps another object or lies outside the data region; run conduit fsck --repair");
                }
                damaged.put(key, "extent overlaps another object or lies outside the data region");
            }
            return true;
        };
        chains.current().scan(null, true, markRecord);
        chains.history().scan(null, true, markRecord);
        return allocator;
    }
}
