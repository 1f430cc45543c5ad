package dev.conduit.scheduler.store;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.blocklayout.namespace.TargetDirs;
import dev.conduit.scheduler.Priority;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Any byte range of an object striped over three O_DIRECT namespaces, into native memory at any
 * address or into heap memory, with and without verification: the requested bytes land exactly at
 * the requested destination offset and nothing around them is touched.
 */
class UnalignedRangeReadTest
{
    private static final long MIB = 1L << 20;
    private static final int LARGE_BYTES = (int)(9 * MIB + 12_345);
    private static final int SMALL_BYTES = 5_000;
    private static final long GUARD_BYTES = 8192;
    private static final byte SENTINEL = (byte)0xA5;

    private static Path dir;
    private static ScheduledStore scheduled;
    private static Arena arena;
    private static MemorySegment nativeBuffer;

    @BeforeContainer
    static void setUp() throws IOException
    {
        dir = TargetDirs.create("unaligned-");
        DataDirectory.format(dir, 72 * MIB, 3, FormatOptions.DEFAULT);
        scheduled = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.LATENCY);
        scheduled.store().put("large", StoreContent.bytes(1, LARGE_BYTES), new ObjectMetadata("", Map.of()));
        scheduled.store().put("small", StoreContent.bytes(2, SMALL_BYTES), ObjectMetadata.NONE);
        arena = Arena.ofShared();
        nativeBuffer = arena.allocate(LARGE_BYTES + 3 * GUARD_BYTES, 4096);
    }

    @AfterContainer
    static void tearDown() throws IOException
    {
        scheduled.close();
        arena.close();
        StoreContent.deleteTree(dir);
    }

    @Property(tries = 400)
    void shouldDeliverExactBytesWhenRangeAndDestinationAreArbitrary(
        @ForAll final boolean large,
        @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) final long offsetSeed,
        @ForAll @IntRange(min = 0, max = 3_000_000) final int lengthWanted,
        @ForAll @IntRange(min = 0, max = 2) final int destinationKind,
        @ForAll @IntRange(min = 0, max = 8191) final int dstShift,
        @ForAll final boolean verify)
    {
        final int size = large ? LARGE_BYTES : SMALL_BYTES;
        final long offset = offsetSeed % (size + 1);
        final long length = Math.min(lengthWanted, size - offset);
        final MemorySegment dst;
        final long dstOffset;
        if (destinationKind == 2)
        {
            dst = MemorySegment.ofArray(new byte[(int)(length + 2 * GUARD_BYTES)]);
            dstOffset = dstShift;
        }
        else
        {
            dst = nativeBuffer;
            // Kind 0 lines the destination up with the object's blocks (the no-copy middle); kind 1 does not.
            dstOffset = GUARD_BYTES + (destinationKind == 0 ? offset % 4096 : dstShift % 4096 | 1);
        }
        dst.fill(SENTINEL);
        final long read;
        try (ObjectReadHandle version = scheduled.store().openObject(large ? "large" : "small"))
        {
            read = scheduled.reader().read(new RangeRequest().object(version).range(offset, length).into(dst, dstOffset).verify(verify)).join();
        }
        assertEquals(length, read);
        assertEquals(-1, StoreContent.firstMismatch(dst, dstOffset, large ? 1 : 2, offset, length),
            () -> "range " + offset + "+" + length + " into kind " + destinationKind + " at " + dstOffset);
        assertEquals(-1, untouchedOutside(dst, dstOffset, length), "bytes outside the requested destination range were written");
    }

    private static long untouchedOutside(final MemorySegment dst, final long from, final long length)
    {
        final long guardStart = Math.max(0, from - GUARD_BYTES);
        final long guardEnd = Math.min(dst.byteSize(), from + length + GUARD_BYTES);
        for (long i = guardStart; i < guardEnd; i++)
        {
            if ((i < from || i >= from + length) && dst.get(JAVA_BYTE, i) != SENTINEL)
            {
                return i;
            }
        }
        return -1;
    }
}
