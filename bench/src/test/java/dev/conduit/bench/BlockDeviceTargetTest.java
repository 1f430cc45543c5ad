package dev.conduit.bench;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.conduit.scheduler.Priority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code --target /dev/loopN}: a block device is benchmarked as it is, never created, extended or written. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockDeviceTargetTest
{
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private BenchConfig config(final Path device, final long sizeBytes)
    {
        return new BenchConfig(device.toString(), BenchMode.RANDREAD, 64 << 10, 4, 1, sizeBytes, 0, 0, false, "auto",
            Priority.LATENCY, "host", dir);
    }

    @Test
    void shouldReadABlockDeviceWithoutCreatingOrExtendingIt() throws Exception
    {
        final Path backing = dir.resolve("loop.img");
        try (RandomAccessFile file = new RandomAccessFile(backing.toFile(), "rw"))
        {
            file.setLength(16 * MIB);
        }
        try (LoopDevice loop = LoopDevice.attach(backing))
        {
            // The whole device (no --size), then part of it.
            assertEquals(16 * MIB / (64 << 10), ConduitBench.run(config(loop.path(), 0), Progress.silent()).ios());
            assertEquals(4 * MIB / (64 << 10), ConduitBench.run(config(loop.path(), 4 * MIB), Progress.silent()).ios());
            // A block device is never extended: more than it holds is refused.
            assertThrows(IllegalArgumentException.class,
                () -> ConduitBench.run(config(loop.path(), 32 * MIB), Progress.silent()));
            assertEquals(true, Files.exists(loop.path()));
        }
        assertEquals(16 * MIB, Files.size(backing), "the backing file is untouched");
    }
}
