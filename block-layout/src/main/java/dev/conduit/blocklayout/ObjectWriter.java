package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The data half of a put: allocates the layout, streams the content through one aligned staging
 * buffer onto the namespaces (zero-padded to 4 KiB), and computes the chunk CRC-32Cs and the MD5
 * ETag on the way. Nothing is flushed or published here; {@link CommitPipeline} does both.
 *
 * <p>Threading: any number of concurrent puts; each uses its own confined arena.
 */
final class ObjectWriter
{
    /** Staging buffer per put: large enough for full-bandwidth O_DIRECT writes. */
    static final int STAGING_BYTES = 1 << 20;
    /** Most chunks (and CRCs) per object; the chunk size doubles beyond that. */
    static final int MAX_CHUNKS = 1 << 16;

    private final List<Namespace> namespaces;
    private final Allocator allocator;
    private final Reclaimer reclaimer;
    private final StoreGeometry geometry;
    private final StoreCounters counters;
    private final LongSupplier clockMs;

    ObjectWriter(
        final List<Namespace> namespaces,
        final Allocator allocator,
        final Reclaimer reclaimer,
        final StoreGeometry geometry,
        final StoreCounters counters,
        final LongSupplier clockMs)
    {
        this.namespaces = namespaces;
        this.allocator = allocator;
        this.reclaimer = reclaimer;
        this.geometry = geometry;
        this.counters = counters;
        this.clockMs = clockMs;
    }

    /**
     * @param key       the key (already validated).
     * @param source    the content.
     * @param sizeBytes content length.
     * @param meta      content type and user metadata.
     * @param progress  called after each staging buffer.
     * @return the draft record (version 0); its layout is allocated and written, not yet flushed.
     */
    ObjectRecord write(final String key, final ObjectSource source, final long sizeBytes, final ObjectMetadata meta, final ProgressListener progress)
    {
        if (sizeBytes < 0)
        {
            throw new IllegalArgumentException("sizeBytes must be >= 0: " + sizeBytes);
        }
        final ObjectLayout layout = allocate(sizeBytes);
        try (Arena arena = Arena.ofConfined())
        {
            final int chunkShift = chunkShift(sizeBytes);
            final int[] crcs = new int[(int)((sizeBytes + (1L << chunkShift) - 1) >>> chunkShift)];
            final MessageDigest md5 = Bytes.md5();
            final CRC32C crc = new CRC32C();
            final MemorySegment staging = arena.allocate(Math.min(STAGING_BYTES, Bytes.roundUp(Math.max(sizeBytes, 1), Bytes.BLOCK)), Bytes.BLOCK);
            long logical = 0;
            while (logical < sizeBytes)
            {
                final long length = Math.min(staging.byteSize(), sizeBytes - logical);
                source.next(staging, length);
                md5.update(staging.asSlice(0, length).asByteBuffer());
                checksumChunks(staging, logical, length, sizeBytes, chunkShift, crc, crcs);
                final long padded = Bytes.roundUp(length, Bytes.BLOCK);
                staging.asSlice(length, padded - length).fill((byte)0);
                writePieces(layout, staging, logical, length);
                logical += length;
                counters.add(StoreCounter.BYTES_WRITTEN, length);
                progress.onProgress(logical, sizeBytes);
            }
            source.finish();
            return new ObjectRecord(key, 0, sizeBytes, clockMs.getAsLong(), md5.digest(), meta.contentType(), meta.userMetadata(),
                chunkShift, crcs, layout);
        }
        catch (final RuntimeException e)
        {
            allocator.free(layout.extents());
            counters.increment(StoreCounter.PUT_FAILURES);
            throw e;
        }
    }

    private ObjectLayout allocate(final long sizeBytes)
    {
        try
        {
            return allocator.allocate(sizeBytes);
        }
        catch (final ConduitException e)
        {
            if (e.code() != ErrorCode.NO_SPACE)
            {
                throw e;
            }
            // Replaced versions may just have lost their last reader.
            allocator.free(reclaimer.drain());
            try
            {
                return allocator.allocate(sizeBytes);
            }
            catch (final ConduitException again)
            {
                counters.increment(StoreCounter.NO_SPACE_ERRORS);
                throw again;
            }
        }
    }

    private void writePieces(final ObjectLayout layout, final MemorySegment staging, final long base, final long length)
    {
        layout.forEachPiece(base, length, (ns, physical, logical, pieceBytes) ->
            namespaces.get(ns).write(staging.asSlice(logical - base, Bytes.roundUp(pieceBytes, Bytes.BLOCK)), physical));
    }

    private int chunkShift(final long sizeBytes)
    {
        int shift = Integer.numberOfTrailingZeros(geometry.chunkSizeBytes());
        while (((sizeBytes + (1L << shift) - 1) >>> shift) > MAX_CHUNKS)
        {
            shift++;
        }
        return shift;
    }

    private static void checksumChunks(
        final MemorySegment staging,
        final long base,
        final long length,
        final long sizeBytes,
        final int chunkShift,
        final CRC32C crc,
        final int[] crcs)
    {
        final long chunkMask = (1L << chunkShift) - 1;
        long at = 0;
        while (at < length)
        {
            final long logical = base + at;
            final long take = Math.min(length - at, (chunkMask + 1) - (logical & chunkMask));
            Bytes.update(crc, staging, at, take);
            at += take;
            final long end = logical + take;
            if ((end & chunkMask) == 0 || end == sizeBytes)
            {
                crcs[(int)((end - 1) >>> chunkShift)] = (int)crc.getValue();
                crc.reset();
            }
        }
    }
}
