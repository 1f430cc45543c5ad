package dev.conduit.scheduler.store;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.blocklayout.namespace.TargetDirs;
import dev.conduit.scheduler.Priority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Verified range reads on an O_DIRECT store whose namespace file gets one byte flipped behind the
 * store's back: a verified read of any range in the damaged 1 MiB chunk fails with the key,
 * namespace and offset, whether the flipped byte is inside the requested bytes or only inside
 * their chunk; unverified reads and verified reads of other chunks still succeed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VerifiedRangeReadTest
{
    private static final long MIB = 1L << 20;
    private static final int SIZE_BYTES = (int)(4 * MIB + 100);
    private static final long FLIPPED = 2 * MIB + 500_000;

    private final Arena arena = Arena.ofShared();
    private Path dir;
    private ScheduledStore scheduled;
    private ObjectRecord record;

    @BeforeEach
    void setUp() throws IOException
    {
        dir = TargetDirs.create("verified-");
        DataDirectory.format(dir, 48 * MIB, 2, FormatOptions.DEFAULT);
        scheduled = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.LATENCY);
        record = scheduled.store().put("model.bin", StoreContent.bytes(3, SIZE_BYTES), ObjectMetadata.NONE);
        flipByte(FLIPPED);
    }

    @AfterEach
    void tearDown() throws IOException
    {
        scheduled.close();
        arena.close();
        StoreContent.deleteTree(dir);
    }

    @Test
    void shouldFailVerifiedReadWhenFlippedByteIsOutsideRangeButInsideItsChunk()
    {
        final long offset = 2 * MIB + 1000;
        final MemorySegment dst = arena.allocate(64, 8);
        final CorruptExtentException e = corruptFailure(offset, 10, dst);
        assertEquals("model.bin", e.key());
        assertEquals(2, e.chunkIndex());
        final long[] where = physicalOf(2 * MIB);
        assertEquals(where[0], e.namespaceIndex());
        assertEquals(where[1], e.offsetBytes());
        // Unverified, the requested bytes are intact.
        assertEquals(10, scheduled.read("model.bin", offset, dst, 0, 10, false).join());
        assertEquals(-1, StoreContent.firstMismatch(dst, 0, 3, offset, 10));
    }

    @Test
    void shouldFailVerifiedReadWhenFlippedByteIsInsideRange()
    {
        final MemorySegment dst = arena.allocate(2 * MIB, 4096);
        final CorruptExtentException e = corruptFailure(FLIPPED - 4096, 8192, dst);
        assertEquals(2, e.chunkIndex());
        // Unverified, the flipped byte comes back: the read really went to the namespace.
        assertEquals(8192, scheduled.read("model.bin", FLIPPED - 4096, dst, 0, 8192, false).join());
        assertEquals(4096, StoreContent.firstMismatch(dst, 0, 3, FLIPPED - 4096, 8192));
    }

    @Test
    void shouldPassVerifiedReadsOfOtherChunks()
    {
        final MemorySegment dst = arena.allocate(3 * MIB, 4096);
        assertEquals(2 * MIB - 7, scheduled.read("model.bin", 3, dst, 0, 2 * MIB - 7, true).join());
        assertEquals(-1, StoreContent.firstMismatch(dst, 0, 3, 3, 2 * MIB - 7));
        assertEquals(SIZE_BYTES - 3 * MIB - 1, scheduled.read("model.bin", 3 * MIB + 1, dst, 5, SIZE_BYTES - 3 * MIB - 1, true).join());
        assertEquals(-1, StoreContent.firstMismatch(dst, 5, 3, 3 * MIB + 1, SIZE_BYTES - 3 * MIB - 1));
    }

    @Test
    void shouldVerifyChunksReadStraightIntoTheDestinationAndThoseStagedAroundThem()
    {
        // dst offset congruent to the object offset modulo a block: the chunk-aligned middle is read
        // straight into dst, the partial chunks at both ends are staged; all of them are verified.
        final MemorySegment dst = arena.allocate(4 * MIB, 4096);
        assertEquals(2 * MIB - 3, scheduled.read("model.bin", 3, dst, 3, 2 * MIB - 3, true).join());
        assertEquals(-1, StoreContent.firstMismatch(dst, 3, 3, 3, 2 * MIB - 3));
        final CorruptExtentException e = corruptFailure(MIB + 7, 2 * MIB + 10, dst.asSlice(7));
        assertEquals(2, e.chunkIndex(), "the damaged chunk lies in the middle read into dst");
    }

    @Test
    void shouldVerifyTheBytesOfEachDestinationWhenReadsRotateThroughBuffers()
    {
        // Plans keep the buffer views of their last few destinations: a read into another buffer must
        // be verified over that buffer's bytes, never over a kept view's. Six buffers (more than a plan
        // keeps) take turns; before each verified read, the buffer before it gets a corrupt copy of
        // chunk 2 and the one after it a good copy of chunk 1.
        final MemorySegment[] buffers = new MemorySegment[6];
        for (int i = 0; i < buffers.length; i++)
        {
            buffers[i] = arena.allocate(MIB, 4096);
        }
        for (int turn = 0; turn < 3 * buffers.length; turn++)
        {
            final MemorySegment before = buffers[turn % buffers.length];
            final MemorySegment dst = buffers[(turn + 1) % buffers.length];
            final MemorySegment after = buffers[(turn + 2) % buffers.length];
            assertEquals(MIB, scheduled.read("model.bin", 2 * MIB, before, 0, MIB, false).join());
            assertEquals(MIB, scheduled.read("model.bin", MIB, after, 0, MIB, false).join());
            assertEquals(2, corruptFailure(2 * MIB, MIB, dst).chunkIndex(), "turn " + turn);
            assertEquals(MIB, scheduled.read("model.bin", MIB, dst, 0, MIB, true).join(), "turn " + turn);
            assertEquals(-1, StoreContent.firstMismatch(dst, 0, 3, MIB, MIB));
            // Another segment object over the same memory as dst: verified over dst's bytes.
            assertEquals(2, corruptFailure(2 * MIB, MIB, dst.asSlice(0, MIB)).chunkIndex(), "turn " + turn);
        }
    }

    @Test
    void shouldLeaveChunksReadStraightIntoTheDestinationToTheCallerWhenDeferred()
    {
        final MemorySegment dst = arena.allocate(4 * MIB, 4096);
        final CorruptExtentException inline = corruptFailure(MIB + 7, 2 * MIB + 10, dst.asSlice(7));
        // Deferred: the damaged chunk 2 lies in the middle read straight into dst, so the read completes ...
        assertEquals(2 * MIB + 10, deferredRead(MIB + 7, 2 * MIB + 10, dst, 7).join());
        // ... and the caller's check finds the same chunk, namespace and offset the inline check failed with.
        final CorruptExtentException landed = scheduled.reader().verifyLanded(record, MIB + 7, 2 * MIB + 10, dst.asByteBuffer(), 7, new CRC32C());
        assertNotNull(landed, "the caller's check must find the damaged chunk");
        assertEquals(inline.key(), landed.key());
        assertEquals(inline.chunkIndex(), landed.chunkIndex());
        assertEquals(inline.namespaceIndex(), landed.namespaceIndex());
        assertEquals(inline.offsetBytes(), landed.offsetBytes());
        // Intact chunks pass the caller's check (chunk 0 is staged here, chunk 1 in the middle).
        assertEquals(2 * MIB - 3, deferredRead(3, 2 * MIB - 3, dst, 3).join());
        assertNull(scheduled.reader().verifyLanded(record, 3, 2 * MIB - 3, dst.asByteBuffer(), 3, new CRC32C()));
        assertEquals(-1, StoreContent.firstMismatch(dst, 3, 3, 3, 2 * MIB - 3));
    }

    @Test
    void shouldStillFailADeferredReadWhoseDamagedChunkWasStaged()
    {
        // The damaged chunk is only partly requested: it is staged, and the reader still checks it itself.
        final MemorySegment dst = arena.allocate(2 * MIB, 4096);
        final CompletionException e = assertThrows(CompletionException.class, () -> deferredRead(FLIPPED - 4096, 8192, dst, 0).join());
        assertEquals(2, assertInstanceOf(CorruptExtentException.class, e.getCause()).chunkIndex());
    }

    private CompletableFuture<Long> deferredRead(final long offset, final long length, final MemorySegment dst,
        final long dstOffset)
    {
        try (ObjectReadHandle version = scheduled.store().openObject("model.bin"))
        {
            final RangeRequest request = new RangeRequest().object(version).range(offset, length).into(dst, dstOffset).verify(true)
                .deferVerification(true);
            return scheduled.reader().read(request);
        }
    }

    private CorruptExtentException corruptFailure(final long offset, final long length, final MemorySegment dst)
    {
        final CompletionException e = assertThrows(CompletionException.class,
            () -> scheduled.read("model.bin", offset, dst, 0, length, true).join());
        return assertInstanceOf(CorruptExtentException.class, e.getCause());
    }

    /** @return namespace index and physical offset of a logical byte of the object. */
    private long[] physicalOf(final long logical)
    {
        final long[] where = new long[2];
        record.layout().forEachPiece(logical, 1, (ns, physical, l, n) ->
        {
            where[0] = ns;
            where[1] = physical;
        });
        return where;
    }

    private void flipByte(final long logical) throws IOException
    {
        final long[] where = physicalOf(logical);
        final Path file = dir.resolve(String.format("ns-%03d.cdt", where[0]));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, where[1]);
            one.put(0, (byte)(one.get(0) ^ 0x40)).rewind();
            channel.write(one, where[1]);
            channel.force(false);
        }
    }
}
