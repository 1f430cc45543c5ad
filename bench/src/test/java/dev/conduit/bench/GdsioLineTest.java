package dev.conduit.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.conduit.core.ConduitException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** gdsio's result line (written and read back) and the verification pattern behind {@code --verify}. */
class GdsioLineTest
{
    @Test
    void shouldParseGdsiosOwnOutput()
    {
        // As NVIDIA's documentation shows gdsio's output, with the line gdsio prints before a verified read.
        final String out = "Verifying data\nIoType: READ XferType: CPU_GPU Threads: 4 DataSetSize: 4178944/4194304(KiB) "
            + "IOSize: 1024(KiB) Throughput: 3.135021 GiB/sec, Avg_Latency: 1244.500000 usecs ops: 4081 total_time "
            + "1.271234 secs\n";
        final GdsioLine line = GdsioLine.parse(out);
        assertEquals("READ", line.ioType());
        assertEquals("CPU_GPU", line.xferType());
        assertEquals(4, line.threads());
        assertEquals(4178944, line.doneKib());
        assertEquals(4194304, line.plannedKib());
        assertEquals(1024, line.ioSizeKib());
        assertEquals(3.135021, line.gibPerSec(), 1e-9);
        assertEquals(1244.5, line.avgLatencyUs(), 1e-9);
        assertEquals(4081, line.ops());
        assertEquals(1.271234, line.totalTimeS(), 1e-9);
    }

    @Test
    void shouldReadBackTheLineItWrites()
    {
        final GdsioLine line = new GdsioLine("READ", XferType.GPU_BATCH.gdsioName(), 2, 2048, 4096, 64, 1.5, 12.25, 32, 0.75);
        assertEquals(line, GdsioLine.parse(line.format()));
    }

    @Test
    void shouldRefuseTextWithoutAResultLine()
    {
        assertThrows(ConduitException.class, () -> GdsioLine.parse("gdsio: bad option -x 9"));
    }

    @Test
    void shouldMapEveryGdsioTransferTypeOntoAPath()
    {
        assertEquals(XferType.GPU_DIRECT, XferType.of(0));
        assertEquals("host", XferType.of(1).path().label());
        assertEquals("bounce", XferType.of(2).path().label());
        assertEquals("gds", XferType.of(5).path().label());
        assertEquals("gds", XferType.of(6).path().label());
        assertThrows(ConduitException.class, () -> XferType.of(4));
    }

    @Test
    void shouldFindTheFirstByteThatDiffersFromThePattern() throws Exception
    {
        final int size = 64 << 10;
        final byte[] bytes = BlockPattern.stream(size).readAllBytes();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment segment = arena.allocate(size);
            MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, size);
            assertEquals(-1, BlockPattern.firstMismatch(segment, 0));
            assertEquals(-1, BlockPattern.firstMismatch(segment.asSlice(4099, 1000), 4099), "a range checks on its own");
            segment.set(ValueLayout.JAVA_BYTE, 5003, (byte)(bytes[5003] ^ 1));
            assertEquals(5003, BlockPattern.firstMismatch(segment, 0));
            assertEquals(5003, BlockPattern.firstMismatch(segment.asSlice(4099, 1000), 4099));
            assertEquals(-1, BlockPattern.firstMismatch(segment.asSlice(8192, 4096), 8192));
            assertEquals(8192 + 1, BlockPattern.firstMismatch(segment.asSlice(8192, 4096), 8193), "read from the wrong offset");
        }
    }
}
