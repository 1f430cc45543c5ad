package dev.conduit.nativebindings;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class LibCTest
{
    private Path dir;
    private Arena arena;

    @BeforeEach
    void setUp()
    {
        dir = TestDirs.create("libc");
        arena = Arena.ofConfined();
    }

    @AfterEach
    void tearDown() throws IOException
    {
        arena.close();
        TestDirs.deleteTree(dir);
    }

    @Test
    void shouldWriteAndReadBackWithODirect()
    {
        final Path file = dir.resolve("data");
        final MemorySegment out = arena.allocate(64 * 1024, 4096);
        final byte[] expected = new byte[64 * 1024];
        new Random(7).nextBytes(expected);
        MemorySegment.copy(expected, 0, out, JAVA_BYTE, 0, expected.length);

        try (PosixFile f = PosixFile.open(file, LibC.O_RDWR | LibC.O_CREAT | LibC.O_DIRECT, 0600))
        {
            f.allocate(0, 1 << 20);
            f.writeFully(out, 4096);
            f.datasync();
            f.sync();
            final MemorySegment in = arena.allocate(64 * 1024, 4096);
            assertEquals(in.byteSize(), f.readFully(in, 4096));
            assertArrayEquals(expected, in.toArray(JAVA_BYTE));
            assertEquals(1 << 20, f.size());
            f.truncate(8192);
            assertEquals(8192, f.size());
            assertTrue(!f.isBlockDevice());
        }
    }

    @Test
    void shouldReportEinvalForUnalignedDirectRead()
    {
        final Path file = dir.resolve("unaligned");
        try (PosixFile f = PosixFile.open(file, LibC.O_RDWR | LibC.O_CREAT | LibC.O_DIRECT, 0600))
        {
            final MemorySegment page = arena.allocate(8192, 4096);
            // Written data, not a fallocated range: ext4 answers reads of unwritten extents
            // without issuing I/O and skips the alignment check there.
            f.writeFully(page, 0);
            final MemorySegment misaligned = page.asSlice(1, 4096);
            final NativeException e = assertThrows(NativeException.class, () -> f.read(misaligned, 0));
            assertEquals("EINVAL", e.nativeName());
            assertEquals(Errno.EINVAL, e.nativeCode());
            assertTrue(e.getMessage().startsWith("pread("), e.getMessage());
        }
    }

    @Test
    void shouldReturnNegativeErrnoForClosedDescriptor()
    {
        final MemorySegment buf = arena.allocate(4096, 4096);
        assertEquals(-Errno.EBADF, LibC.pread(123_456, buf, 4096, 0));
        assertEquals(-Errno.EBADF, LibC.close(123_456));
    }

    @Test
    void shouldReturnMinusOneFromAnUncapturedSyscallWhereTheCapturingOneReturnsErrno()
    {
        final long getpid = Platform.isAarch64() ? 172 : 39;
        final long close = Platform.isAarch64() ? 57 : 3;
        assertEquals(ProcessHandle.current().pid(), LibC.syscallWithoutErrno(getpid, 0, 0, 0, 0, 0, 0));
        assertEquals(-1, LibC.syscallWithoutErrno(close, 123_456, 0, 0, 0, 0, 0), "failure without errno is plain -1");
        assertEquals(-Errno.EBADF, LibC.syscall(close, 123_456, 0, 0, 0, 0, 0));
    }

    @Test
    void shouldNameErrnoWhenOpeningMissingFile()
    {
        final NativeException e = assertThrows(NativeException.class,
            () -> PosixFile.open(dir.resolve("missing/file"), LibC.O_RDONLY, 0));
        assertEquals("ENOENT", e.nativeName());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    }

    @Test
    void shouldScatterAndGatherWithVectoredIo()
    {
        final Path file = dir.resolve("vec");
        try (PosixFile f = PosixFile.open(file, LibC.O_RDWR | LibC.O_CREAT | LibC.O_DIRECT, 0600))
        {
            final MemorySegment a = arena.allocate(4096, 4096).fill((byte)1);
            final MemorySegment b = arena.allocate(8192, 4096).fill((byte)2);
            final MemorySegment iov = arena.allocate(IovecDescriptor.LAYOUT, 2);
            IovecDescriptor.set(iov, 0, a);
            IovecDescriptor.set(iov, 1, b);
            assertEquals(12288, LibC.pwritev(f.fd(), iov, 2, 0));

            final MemorySegment c = arena.allocate(8192, 4096);
            final MemorySegment d = arena.allocate(4096, 4096);
            IovecDescriptor.set(iov, 0, c);
            IovecDescriptor.set(iov, 1, d);
            assertEquals(12288, LibC.preadv(f.fd(), iov, 2, 0));
            assertEquals(1, c.get(JAVA_BYTE, 4095));
            assertEquals(2, c.get(JAVA_BYTE, 4096));
            assertEquals(2, d.get(JAVA_BYTE, 4095));
        }
    }

    @Test
    void shouldRejectBlockIoctlsOnRegularFileWithEnotty()
    {
        final Path file = dir.resolve("regular");
        try (PosixFile f = PosixFile.open(file, LibC.O_RDWR | LibC.O_CREAT, 0600))
        {
            final NativeException e = assertThrows(NativeException.class, f::logicalBlockSize);
            assertEquals("ENOTTY", e.nativeName());
            final MemorySegment out = arena.allocate(JAVA_LONG);
            assertEquals(-Errno.ENOTTY, LibC.ioctl(f.fd(), LibC.BLKGETSIZE64, out));
        }
    }

    @Test
    void shouldAllocateAlignedMemoryAndLockIt()
    {
        final MemorySegment seg = AlignedMemory.posixMemalign(1 << 16, 4096);
        try
        {
            assertEquals(0, seg.address() % 4096);
            assertEquals(1 << 16, seg.byteSize());
            seg.fill((byte)9);
            AlignedMemory.lock(seg);
            AlignedMemory.unlock(seg);
        }
        finally
        {
            AlignedMemory.free(seg);
        }
        final NativeException e = assertThrows(NativeException.class, () -> AlignedMemory.posixMemalign(4096, 3));
        assertEquals("EINVAL", e.nativeName());
    }

    @Test
    void shouldMapAndUnmapAnonymousMemory()
    {
        final long length = 1 << 20;
        final long address = LibC.mmap(MemorySegment.NULL, length, LibC.PROT_READ | LibC.PROT_WRITE,
            LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        assertTrue(address > 0, "mmap returned " + address);
        final MemorySegment mapped = MemorySegment.ofAddress(address).reinterpret(length);
        mapped.set(JAVA_LONG, length - 8, 42L);
        assertEquals(42L, mapped.get(JAVA_LONG, length - 8));
        assertEquals(0, LibC.munmap(mapped, length));
        assertEquals(-Errno.EINVAL, LibC.mmap(MemorySegment.NULL, 0, LibC.PROT_READ,
            LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0));
    }

    @Test
    void shouldReportFilesystemAndSysconf()
    {
        final FileSystemInfo info = FileSystemInfo.of(dir);
        assertTrue(info.blockSize() > 0);
        assertTrue(info.totalBytes() >= info.availableBytes());
        assertNotEquals("", info.typeName());
        assertEquals(4096, AlignedMemory.pageSize());
        assertTrue(LibC.sysconf(LibC.SC_NPROCESSORS_ONLN) >= 1);
    }

    @Test
    void shouldProbeDirectIoInAnExt4OrXfsDirectory()
    {
        final DirectIoSupport dio = DirectIoSupport.probe(dir);
        final String fs = FileSystemInfo.of(dir).typeName();
        if (fs.equals("ext4") || fs.equals("xfs"))
        {
            assertTrue(dio.supported(), dio.reason());
            assertTrue(dio.alignment() == 512 || dio.alignment() == 4096);
        }
        else
        {
            assertEquals(dio.supported(), dio.reason().equals("ok"));
        }
        try (var left = Files.list(dir))
        {
            assertEquals(0, left.count(), "probe file must be removed");
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldNameUnknownErrnoByNumber()
    {
        assertEquals("ERRNO_4000", Errno.name(4000));
        assertEquals("ENOSPC", Errno.name(-28));
        assertEquals("EAGAIN", Errno.name(11));
    }

    @Test
    void shouldCountEventfdWritesAndRefuseBadDescriptors()
    {
        final int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        assertTrue(fd >= 0, "eventfd returned " + fd);
        try
        {
            final MemorySegment value = arena.allocate(JAVA_LONG);
            value.set(JAVA_LONG, 0, 3L);
            assertEquals(8, LibC.write(fd, value, 8));
            assertEquals(8, LibC.writeWithoutErrno(fd, value, 8));
            final MemorySegment in = arena.allocate(JAVA_LONG);
            assertEquals(8, LibC.read(fd, in, 8));
            assertEquals(6L, in.get(JAVA_LONG, 0));
            assertEquals(-Errno.EAGAIN, LibC.read(fd, in, 8), "the counter was reset by the read");
            assertEquals(-Errno.EINVAL, LibC.write(fd, value, 4), "an eventfd takes exactly 8 bytes");
            assertEquals(-1, LibC.writeWithoutErrno(fd, value, 4), "failure without errno is plain -1");
        }
        finally
        {
            LibC.close(fd);
        }
        assertEquals(-Errno.EBADF, LibC.write(fd, arena.allocate(8), 8));
    }
}
