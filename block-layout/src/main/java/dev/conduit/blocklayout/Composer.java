package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import dev.conduit.core.ErrorCode;

/**
 * New versions made from records already in the store: {@link ObjectStore#compose} (S3 multipart
 * completion) and {@link ObjectStore#replaceMetadata}. Each is planned from a snapshot of the
 * records it builds on and published as one pending write that names the versions it was planned
 * from; the commit pipeline refuses it as stale when any of them changed, and the plan is redone
 * (at most {@link #MAX_ATTEMPTS} times). So a published composed object never refers to extents a
 * concurrent write has retired.
 *
 * <p>Threading: any number of concurrent callers; all shared state is in the catalog, the
 * allocator and the pipeline.
 */
final class Composer
{
    /** Plans tried before a write whose inputs keep changing gives up with {@code PRECONDITION_FAILED}. */
    static final int MAX_ATTEMPTS = 8;

    private final CatalogIndex catalog;
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final Reclaimer reclaimer;
    private final Consumer<PendingCommit> committer;

    /**
     * @param catalog   where the inputs are read.
     * @param writer    opens the put of a compose that has to copy.
     * @param reader    reads (verified) the parts a copy needs.
     * @param reclaimer pins the parts while they are copied.
     * @param committer publishes a pending write, throwing its failure.
     */
    Composer(
        final CatalogIndex catalog,
        final ObjectWriter writer,
        final ObjectReader reader,
        final Reclaimer reclaimer,
        final Consumer<PendingCommit> committer)
    {
        this.catalog = catalog;
        this.writer = writer;
        this.reader = reader;
        this.reclaimer = reclaimer;
        this.committer = committer;
    }

    ObjectRecord compose(final String key, final List<String> partKeys, final ObjectMetadata meta, final CommitCondition condition)
    {
        final byte[][] parts = partKeyBytes(key, partKeys);
        final ObjectMetadata m = meta == null ? ObjectMetadata.NONE : meta;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return composeOnce(key, partKeys, parts, m, condition);
            }
            catch (final StaleWriteException e)
            {
                if (attempt == MAX_ATTEMPTS)
                {
                    throw e;
                }
            }
        }
    }

    ObjectRecord replaceMetadata(final String key, final ObjectMetadata meta, final CommitCondition condition)
    {
        final byte[] k = Keys.encode(key);
        final ObjectMetadata m = meta == null ? ObjectMetadata.NONE : meta;
        for (int attempt = 1; ; attempt++)
        {
            final byte[] current = catalog.get(k);
            if (current == null)
            {
                throw LayoutErrors.notFound(key);
            }
            final ObjectRecord r = ObjectRecordDescriptor.decode(current);
            // The version keeps its id: S3 tagging changes a version in place.
            final ObjectRecord draft = new ObjectRecord(key, 0, r.sizeBytes(), writer.clockMs.getAsLong(), r.etagUnsafe(),
                m.contentType(), m.userMetadata(), r.chunkShift(), r.chunkCrcsUnsafe(), r.layout(), r.partCount(), r.versioning());
            final PendingCommit p = PendingCommit.adopting(ObjectRecordDescriptor.encode(draft), condition, r.version(), null, ObjectLayout.EMPTY);
            try
            {
                committer.accept(p);
                return draft.withVersion(p.version);
            }
            catch (final StaleWriteException e)
            {
                if (attempt == MAX_ATTEMPTS)
                {
                    throw e;
                }
            }
        }
    }

    /**
     * One plan: snapshot the parts, join their layouts in place when possible, else copy.
     * The reclaimer ticket keeps the parts' extents from reuse while they are read; a replaced
     * part then only makes the commit stale.
     */
    private ObjectRecord composeOnce(
        final String key, final List<String> partKeys, final byte[][] partBytes, final ObjectMetadata meta, final CommitCondition condition)
    {
        final long ticket = reclaimer.enter();
        try
        {
            final List<ObjectRecord> parts = new ArrayList<>(partBytes.length);
            final long[] versions = new long[partBytes.length];
            final MessageDigest md5 = Bytes.md5();
            long sizeBytes = 0;
            for (int i = 0; i < partBytes.length; i++)
            {
                final byte[] record = catalog.get(partBytes[i]);
                if (record == null)
                {
                    throw LayoutErrors.notFound(partKeys.get(i));
                }
                final ObjectRecord r = ObjectRecordDescriptor.decode(record);
                parts.add(r);
                versions[i] = r.version();
                md5.update(r.etagUnsafe());
                sizeBytes += r.sizeBytes();
            }
            final byte[] etag = md5.digest();
            final LayoutSplice.Spliced spliced = LayoutSplice.trySplice(parts);
            if (spliced == null)
            {
                return copy(key, parts, new ComposedParts(partBytes, versions, allExtents(parts)), etag, sizeBytes, meta, condition);
            }
            final ObjectRecord draft = new ObjectRecord(key, 0, sizeBytes, writer.clockMs.getAsLong(), etag, meta.contentType(),
                meta.userMetadata(), spliced.chunkShift(), spliced.chunkCrcs(), spliced.layout(), partBytes.length,
                PutSession.newVersion(meta.versioning()));
            final PendingCommit p = PendingCommit.adopting(ObjectRecordDescriptor.encode(draft), condition, 0,
                new ComposedParts(partBytes, versions, List.of()), ObjectLayout.EMPTY, meta.versioning());
            committer.accept(p);
            writer.counters.increment(StoreCounter.COMPOSES);
            return draft.withVersion(p.version);
        }
        finally
        {
            reclaimer.exit(ticket);
        }
    }

    /** The slow path: the parts' bytes, verified chunk by chunk, into a new put that removes the parts when it publishes. */
    private ObjectRecord copy(
        final String key,
        final List<ObjectRecord> parts,
        final ComposedParts composed,
        final byte[] etag,
        final long sizeBytes,
        final ObjectMetadata meta,
        final CommitCondition condition)
    {
        long bufferBytes = Bytes.BLOCK;
        for (final ObjectRecord r : parts)
        {
            bufferBytes = Math.max(bufferBytes, r.chunkBufferBytes());
        }
        try (PutSession put = writer.open(key, meta, sizeBytes); Arena arena = Arena.ofConfined())
        {
            put.composing(composed, etag);
            final MemorySegment chunk = arena.allocate(bufferBytes, Bytes.BLOCK);
            for (final ObjectRecord r : parts)
            {
                for (int i = 0; i < r.chunkCount(); i++)
                {
                    reader.readChunk(r, i, chunk);
                    put.append(chunk.asSlice(0, r.chunkLengthBytes(i)));
                }
            }
            final ObjectRecord published = put.commit(PutSession.UNKNOWN_SIZE, null, condition);
            writer.counters.increment(StoreCounter.COMPOSE_COPIES);
            return published;
        }
    }

    private static List<Extent> allExtents(final List<ObjectRecord> parts)
    {
        final List<Extent> all = new ArrayList<>();
        for (final ObjectRecord r : parts)
        {
            all.addAll(r.layout().extents());
        }
        return all;
    }

    private static byte[][] partKeyBytes(final String key, final List<String> partKeys)
    {
        if (partKeys.isEmpty() || partKeys.size() > ObjectStore.MAX_COMPOSE_PARTS)
        {
            throw LayoutErrors.error(ErrorCode.INVALID_ARGUMENT,
                "compose of " + key + " needs 1.." + ObjectStore.MAX_COMPOSE_PARTS + " parts, got " + partKeys.size());
        }
        final byte[] k = Keys.encode(key);
        final byte[][] parts = new byte[partKeys.size()][];
        for (int i = 0; i < parts.length; i++)
        {
            parts[i] = Keys.encode(partKeys.get(i));
        }
        final byte[][] sorted = parts.clone();
        Arrays.sort(sorted, Arrays::compareUnsigned);
        for (int i = 0; i < sorted.length; i++)
        {
            if (Arrays.equals(sorted[i], k) || i > 0 && Arrays.equals(sorted[i], sorted[i - 1]))
            {
                throw LayoutErrors.error(ErrorCode.INVALID_ARGUMENT, "compose of " + key + ": part " + ObjectRecordDescriptor.keyText(sorted[i])
                    + (Arrays.equals(sorted[i], k) ? " is the target key" : " is listed twice"));
            }
        }
        return parts;
    }
}
