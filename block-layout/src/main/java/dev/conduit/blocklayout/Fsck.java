package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * Verifies a store end to end (docs/FORMAT.md section 7): both superblock copies of every
 * namespace, the damage open found in the catalog, each record's layout against its size, and every
 * chunk's CRC-32C and the ETag of every object. With repair, damaged objects are dropped through
 * journaled deletes and damaged superblock copies are rewritten from the good one.
 *
 * <p>Space written by puts that never published is free by construction (the allocator is rebuilt
 * from published records only), so there is nothing separate to drop for it.
 */
final class Fsck
{
    private final ObjectStore store;
    private final StoreLoader.Loaded loaded;
    private final ObjectReader reader;

    Fsck(final ObjectStore store, final StoreLoader.Loaded loaded, final ObjectReader reader)
    {
        this.store = store;
        this.loaded = loaded;
        this.reader = reader;
    }

    FsckReport run(final boolean repair, final ProgressListener progress)
    {
        final List<String> problems = new ArrayList<>();
        final List<String> repaired = new ArrayList<>(loaded.openRepairs());
        checkSuperblocks(repair, problems, repaired);
        final Map<String, String> damaged = new LinkedHashMap<>(loaded.damagedKeys());
        final List<String> keys = new ArrayList<>();
        store.catalog().scan(null, true, record ->
        {
            keys.add(ObjectRecordDescriptor.key(record));
            return true;
        });
        long checked = 0;
        long verified = 0;
        for (final String key : keys)
        {
            if (!damaged.containsKey(key))
            {
                verified += verify(key, () -> store.openObject(key), damaged);
            }
            checked++;
            progress.onProgress(checked, keys.size());
        }
        // Noncurrent versions (format v2) are checked like current ones and dropped one by one.
        final List<ObjectRecord> older = new ArrayList<>();
        store.chains().history().scan(null, true, record ->
        {
            if (!ObjectRecordDescriptor.isDeleteMarker(record))
            {
                older.add(ObjectRecordDescriptor.decode(record));
            }
            return true;
        });
        final Map<ObjectRecord, String> damagedVersions = new LinkedHashMap<>();
        for (final ObjectRecord r : older)
        {
            final Map<String, String> found = new LinkedHashMap<>();
            verified += verify(r.key(), () -> store.openVersion(r.key(), r.versionId()), found);
            found.values().forEach(why -> damagedVersions.put(r, why));
            checked++;
        }
        for (final Map.Entry<String, String> e : damaged.entrySet())
        {
            problems.add("object " + e.getKey() + ": " + e.getValue());
            if (repair)
            {
                store.deleteDamaged(e.getKey());
                repaired.add("dropped object " + e.getKey());
            }
        }
        for (final Map.Entry<ObjectRecord, String> e : damagedVersions.entrySet())
        {
            final ObjectRecord r = e.getKey();
            problems.add("object " + r.key() + " version " + r.versionIdText() + ": " + e.getValue());
            if (repair)
            {
                store.deleteVersion(r.key(), r.versionId());
                repaired.add("dropped object " + r.key() + " version " + r.versionIdText());
            }
        }
        return new FsckReport(checked, verified, problems, List.copyOf(damaged.keySet()), loaded.replay().batches(),
            loaded.replay().tornTail(), repaired, store.space());
    }

    private void checkSuperblocks(final boolean repair, final List<String> problems, final List<String> repaired)
    {
        final List<Namespace> namespaces = store.namespaces();
        for (int i = 0; i < namespaces.size(); i++)
        {
            final Namespace ns = namespaces.get(i);
            final SuperblockIo.Read read = SuperblockIo.read(ns);
            for (final String problem : read.problems())
            {
                problems.add("namespace " + i + ": " + problem);
            }
            if (repair && !read.problems().isEmpty())
            {
                store.rewriteSuperblock(i, read.chosen());
                repaired.add("rewrote both superblock copies of namespace " + i + " (" + ns.id() + ")");
            }
        }
    }

    private long verify(final String key, final Supplier<ObjectReadHandle> open, final Map<String, String> damaged)
    {
        try (ObjectReadHandle h = open.get())
        {
            final ObjectRecord r = h.record();
            final String layoutProblem = layoutProblem(r);
            if (layoutProblem != null)
            {
                damaged.put(key, layoutProblem);
                return 0;
            }
            final MessageDigest md5 = Bytes.md5();
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment chunk = arena.allocate(r.chunkBufferBytes(), Bytes.BLOCK);
                for (int i = 0; i < r.chunkCount(); i++)
                {
                    reader.readChunk(r, i, chunk);
                    md5.update(chunk.asSlice(0, r.chunkLengthBytes(i)).asByteBuffer());
                }
            }
            // A composed object's ETag is the MD5 of its parts' MD5s, which the content cannot
            // reproduce; its chunk CRCs, verified above, are what covers its bytes.
            if (r.partCount() == 0 && !Arrays.equals(md5.digest(), r.etagBytes()))
            {
                damaged.put(key, "content does not match its ETag " + r.etag());
            }
            return r.sizeBytes();
        }
        catch (final CorruptExtentException e)
        {
            damaged.put(key, e.getMessage());
            return 0;
        }
        catch (final ConduitException e)
        {
            if (e.code() == ErrorCode.NOT_FOUND)
            {
                return 0;
            }
            damaged.put(key, "unreadable: " + e.getMessage());
            return 0;
        }
    }

    private static String layoutProblem(final ObjectRecord r)
    {
        final List<Column> columns = r.layout().columns();
        final long expectedChunks = (r.sizeBytes() + r.chunkSizeBytes() - 1) / r.chunkSizeBytes();
        if (r.chunkCount() != expectedChunks)
        {
            return "has " + r.chunkCount() + " chunk checksums for " + expectedChunks + " chunks";
        }
        if (r.sizeBytes() > 0 && columns.isEmpty())
        {
            return "has content but no extents";
        }
        final long[] needed = ObjectLayout.columnDataBytes(r.sizeBytes(), columns.size(), r.layout().stripeShift());
        for (int c = 0; c < columns.size(); c++)
        {
            if (columns.get(c).lengthBytes() < Bytes.roundUp(needed[c], Bytes.BLOCK))
            {
                return "column " + c + " holds " + columns.get(c).lengthBytes() + " bytes but needs " + needed[c];
            }
        }
        return null;
    }
}
