package dev.conduit.nvmeof.initiator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Deterministic, 4 KiB-aligned test data: each 8-byte word a function of its offset and a seed. */
final class Patterns
{
    private Patterns()
    {
    }

    static MemorySegment of(final Arena arena, final int lengthBytes, final long seed)
    {
        final MemorySegment data = arena.allocate(lengthBytes, 4096);
        for (int i = 0; i < lengthBytes; i += 8)
        {
            data.set(ValueLayout.JAVA_LONG, i, seed ^ (i * 0x9E3779B97F4A7C15L));
        }
        return data;
    }
}
