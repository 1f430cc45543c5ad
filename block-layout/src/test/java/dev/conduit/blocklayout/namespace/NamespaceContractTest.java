package dev.conduit.blocklayout.namespace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The alignment and transfer contract of {@link Namespace}, run against every local implementation. */
class NamespaceContractTest
{
    private static final long CAPACITY = 1 << 20;

    // O_DIRECT is not supported on every /tmp (tmpfs); target/ lives on the build's filesystem (ext4 here).
    @TempDir(factory = TargetDirs.Factory.class)
    Path dir;

    private final Arena arena = Arena.ofConfined();
    private Namespace ns;

    @AfterEach
    void tearDown()
    {
        if (ns != null)
        {
            ns.close();
        }
        arena.close();
    }

    static Stream<Arguments> kinds()
    {
        final Function<Path, Namespace> file = d -> FileNamespace.create(d.resolve("ns.cdt"), CAPACITY);
        final Function<Path, Namespace> memory = d -> MemoryNamespace.allocate("contract", CAPACITY);
        return Stream.of(Arguments.of("file", file), Arguments.of("memory", memory));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shouldReadBackWhatWasWrittenWhenAligned(final String kind, final Function<Path, Namespace> factory)
    {
        ns = factory.apply(dir);
        assertEquals(CAPACITY, ns.capacityBytes());
        final MemorySegment out = arena.allocate(8192, 4096);
        for (int i = 0; i < 8192; i++)
        {
            out.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte)i);
        }
        ns.write(out, 4096);
        ns.flush();
        final MemorySegment in = arena.allocate(8192, 4096);
        assertEquals(0, ns.readFully(in, 4096));
        assertEquals(-1, out.mismatch(in));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shouldRejectUnalignedOffsetLengthOrBuffer(final String kind, final Function<Path, Namespace> factory)
    {
        ns = factory.apply(dir);
        final MemorySegment page = arena.allocate(8192, 4096);
        assertCode(ErrorCode.UNALIGNED_IO, () -> ns.write(page.asSlice(0, 4096), 512));
        assertCode(ErrorCode.UNALIGNED_IO, () -> ns.write(page.asSlice(0, 1000), 0));
        assertCode(ErrorCode.UNALIGNED_IO, () -> ns.read(page.asSlice(8, 4096), 0));
        assertCode(ErrorCode.UNALIGNED_IO, () -> ns.read(MemorySegment.ofArray(new byte[4096]), 0));
        assertCode(ErrorCode.OUT_OF_RANGE, () -> ns.read(page.asSlice(0, 4096), CAPACITY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shouldFailClearlyWhenUsedAfterClose(final String kind, final Function<Path, Namespace> factory)
    {
        ns = factory.apply(dir);
        ns.close();
        final MemorySegment page = arena.allocate(4096, 4096);
        assertCode(ErrorCode.NAMESPACE_CLOSED, () -> ns.read(page, 0));
        ns = null;
    }

    @org.junit.jupiter.api.Test
    void shouldPreallocateAndReopenFileNamespace() throws Exception
    {
        final Path path = dir.resolve("pre.cdt");
        FileNamespace.create(path, CAPACITY + 100).close();
        assertEquals(CAPACITY, Files.size(path));
        ns = FileNamespace.open(path);
        assertEquals(CAPACITY, ns.capacityBytes());
        assertEquals(path.toString(), ns.id());
    }

    @org.junit.jupiter.api.Test
    void shouldRefuseARegularFileAsBlockDevice() throws Exception
    {
        final Path path = dir.resolve("not-a-device");
        Files.write(path, new byte[4096]);
        assertCode(ErrorCode.NOT_A_BLOCK_DEVICE, () -> BlockDeviceNamespace.open(path));
    }

    @org.junit.jupiter.api.Test
    void shouldRetryShortTransfersInReadFully()
    {
        final MemoryNamespace memory = MemoryNamespace.allocate("short", CAPACITY);
        ns = memory;
        final Namespace halving = new HalvingNamespace(memory);
        final MemorySegment page = arena.allocate(16384, 4096);
        assertEquals(2, halving.readFully(page, 0));
    }

    private static void assertCode(final ErrorCode code, final org.junit.jupiter.api.function.Executable action)
    {
        assertEquals(code, assertThrows(ConduitException.class, action).code());
    }

    /** Returns half of every multi-block read, as a device under pressure may. */
    private static final class HalvingNamespace extends ForwardingNamespace
    {
        HalvingNamespace(final Namespace delegate)
        {
            super(delegate);
        }

        @Override
        public long read(final MemorySegment dst, final long offsetBytes)
        {
            final long half = dst.byteSize() > 4096 ? dst.byteSize() / 2 : dst.byteSize();
            return delegate.read(dst.asSlice(0, half), offsetBytes);
        }
    }
}
