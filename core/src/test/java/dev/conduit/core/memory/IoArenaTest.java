package dev.conduit.core.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IoArenaTest
{
    @Test
    void shouldRefuseToCloseWhileHeldAndFreeOnceReleased()
    {
        final IoArena arena = IoArena.ofShared();
        final HostMemory memory = arena.allocateHost(8192, 4096);
        memory.segment().set(JAVA_LONG, 0, 42L);
        assertTrue(memory.guard().tryAcquire());

        final IllegalStateException refused = assertThrows(IllegalStateException.class, arena::close);

        assertTrue(refused.getMessage().contains("1 I/O request"), refused.getMessage());
        assertTrue(memory.isAlive());
        assertEquals(42L, memory.segment().get(JAVA_LONG, 0), "memory must still be allocated after a refused close");
        memory.guard().release();
        arena.close();
        assertFalse(memory.isAlive());
        assertFalse(memory.segment().scope().isAlive());
        assertFalse(memory.guard().tryAcquire(), "a closed guard must refuse new holds");
    }

    @Test
    void shouldCountHoldsAndRejectUnbalancedRelease()
    {
        final MemoryGuard guard = new MemoryGuard();
        assertTrue(guard.tryAcquire());
        assertTrue(guard.tryAcquire());
        assertEquals(2, guard.holds());
        guard.release();
        guard.release();
        assertThrows(IllegalStateException.class, guard::release);
        assertEquals(0, guard.holds());
        guard.close();
        guard.close();
        assertTrue(guard.isClosed());
    }

    @Test
    void shouldWrapOnlyItsOwnSegments()
    {
        try (IoArena arena = IoArena.ofShared(); Arena other = Arena.ofConfined())
        {
            final MemorySegment mine = arena.allocate(64, 8);
            assertSame(arena.guard(), arena.host(mine).guard());
            assertThrows(IllegalArgumentException.class, () -> arena.host(other.allocate(64, 8)));
        }
    }

    @Test
    void shouldReportUnguardedHostMemoryDeadOnceItsArenaCloses()
    {
        final Arena arena = Arena.ofShared();
        final HostMemory memory = HostMemory.of(arena.allocate(64, 8));
        assertTrue(memory.isAlive());
        assertEquals(MemoryKind.HOST, memory.kind());
        arena.close();
        assertFalse(memory.isAlive());
        assertThrows(IllegalArgumentException.class, () -> HostMemory.of(MemorySegment.ofArray(new byte[8])));
    }
}
