package dev.conduit.nativebindings.dlpack;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The DLManagedTensor layout a consumer reads, and a deleter that is a real upcall, run once. */
@Timeout(30)
class DlManagedTensorsTest
{
    @Test
    void shouldLayOutTheTensorAsDlpackHDoes()
    {
        final AtomicInteger deleted = new AtomicInteger();
        final MemorySegment t = DlManagedTensors.export(0x7000_0000L, DlManagedTensors.DEVICE_CUDA, 1, 4096,
            new long[] {8, 1024}, DlDataType.FLOAT16, deleted::incrementAndGet).reinterpret(64);

        assertEquals(64, DlManagedTensors.LAYOUT.byteSize());
        assertEquals(0x7000_0000L, t.get(JAVA_LONG, 0));
        assertEquals(2, t.get(JAVA_INT, 8));
        assertEquals(1, t.get(JAVA_INT, 12));
        assertEquals(2, t.get(JAVA_INT, 16));
        assertEquals(2, t.get(JAVA_BYTE, 20));
        assertEquals(16, t.get(JAVA_BYTE, 21));
        assertEquals(1, t.get(JAVA_SHORT, 22));
        final MemorySegment shape = t.get(ADDRESS, 24).reinterpret(16);
        assertEquals(8, shape.get(JAVA_LONG, 0));
        assertEquals(1024, shape.get(JAVA_LONG, 8));
        assertEquals(MemorySegment.NULL, t.get(ADDRESS, 32));
        assertEquals(4096, t.get(JAVA_LONG, 40));
        assertNotEquals(MemorySegment.NULL, t.get(ADDRESS, 56));

        final long failuresBefore = DlManagedTensors.deleterFailures();
        DlManagedTensors.callDeleter(t);
        assertEquals(1, deleted.get());
        assertEquals(failuresBefore, DlManagedTensors.deleterFailures(), () -> String.valueOf(DlManagedTensors.lastDeleterFailure()));
    }

    @Test
    void shouldFreeTheExportWhenTheDeleterRuns()
    {
        final AtomicInteger deleted = new AtomicInteger();
        final MemorySegment t = DlManagedTensors.export(4096, DlManagedTensors.DEVICE_CPU, 0, 0, new long[] {16},
            DlDataType.UINT8, deleted::incrementAndGet);
        final long failuresBefore = DlManagedTensors.deleterFailures();

        DlManagedTensors.callDeleter(t);

        assertEquals(1, deleted.get());
        assertEquals(failuresBefore, DlManagedTensors.deleterFailures());
        assertThrows(IllegalStateException.class, () -> t.get(JAVA_LONG, 0), "the struct's arena is closed");
    }
}
