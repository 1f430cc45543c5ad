package dev.conduit.nativebindings;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Misuse that would otherwise reach the kernel with a wrong descriptor or a wrong length: a
 * {@link PosixFile} used after close while its fd number already belongs to another file, and raw
 * {@link LibC} transfers asked to move more bytes than their segment holds. The status-flag check
 * ({@code fcntl(F_GETFL)}) proves what the descriptors really carry.
 */
@Timeout(30)
class DescriptorSafetyTest
{
    private static final int PAGE = 4096;

    private Path dir;
    private Arena arena;

    @BeforeEach
    void setUp()
    {
        dir = TestDirs.create("fd-safety");
        arena = Arena.ofConfined();
    }

    @AfterEach
    void tearDown() throws IOException
    {
        arena.close();
        TestDirs.deleteTree(dir);
    }

    @Test
    void shouldFailWithEbadfAndLeaveTheNewFileAloneWhenUsedAfterCloseWithItsFdReused() throws IOException
    {
        final Path victim = dir.resolve("victim");
        final byte[] victimBytes = new byte[PAGE];
        Arrays.fill(victimBytes, (byte)'V');
        Files.write(victim, victimBytes);

        final PosixFile stale = PosixFile.open(dir.resolve("stale"), LibC.O_RDWR | LibC.O_CREAT, 0600);
        final int staleFd = stale.fd();
        stale.close();
        try (PosixFile reused = PosixFile.open(victim, LibC.O_RDWR, 0))
        {
            // The kernel hands out the lowest free number, so the victim now owns the stale number.
            assertEquals(staleFd, reused.fd(), "premise: the fd number was reused");
            final MemorySegment page = arena.allocate(PAGE, PAGE);
            page.fill((byte)'S');

            assertEbadf(f -> f.read(page, 0), stale);
            assertEbadf(f -> f.readFully(page, 0), stale);
            assertEbadf(f -> f.writeFully(page, 0), stale);
            assertEbadf(f -> f.allocate(0, 2 * PAGE), stale);
            assertEbadf(PosixFile::datasync, stale);
            assertEbadf(PosixFile::sync, stale);
            assertEbadf(f -> f.truncate(0), stale);
            assertEbadf(PosixFile::size, stale);
            assertEbadf(PosixFile::mode, stale);
            assertEbadf(PosixFile::statusFlags, stale);
            assertEbadf(PosixFile::fd, stale);

            for (int i = 0; i < PAGE; i++)
            {
                assertEquals((byte)'S', page.get(JAVA_BYTE, i), "nothing was read from the victim into the buffer");
            }
            assertEquals(PAGE, reused.size(), "the victim kept its size");
        }
        assertArrayEquals(victimBytes, Files.readAllBytes(victim), "the victim's bytes are untouched");
    }

    private static void assertEbadf(final Consumer<PosixFile> use, final PosixFile closed)
    {
        final NativeException e = assertThrows(NativeException.class, () -> use.accept(closed));
        assertEquals(Errno.EBADF, e.nativeCode(), e.getMessage());
        assertTrue(e.getMessage().contains(closed.path()), e.getMessage());
    }

    @Test
    void shouldRefuseAPwriteLongerThanItsSegmentBeforeTheSyscall() throws IOException
    {
        final Path file = dir.resolve("pwrite");
        final MemorySegment both = arena.allocate(2 * PAGE, PAGE);
        both.fill((byte)'N');
        final MemorySegment first = both.asSlice(0, PAGE);
        final int fd = (int)LibC.check(LibC.open(file.toString(), LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, 0600), "open");
        try
        {
            assertThrows(IndexOutOfBoundsException.class, () -> LibC.pwrite(fd, first, 2 * PAGE, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> LibC.write(fd, first, 2 * PAGE));
            assertThrows(IndexOutOfBoundsException.class, () -> LibC.pwrite(fd, first, -1, 0));
            assertEquals(0, Files.size(file), "no byte of the neighbouring memory reached the file");
            assertEquals(PAGE, LibC.pwrite(fd, first, PAGE, 0), "a count within the segment still works");
        }
        finally
        {
            LibC.close(fd);
        }
    }

    @Test
    void shouldRefuseAPreadLongerThanItsSegmentBeforeTheSyscall() throws IOException
    {
        final Path file = dir.resolve("pread");
        final byte[] data = new byte[2 * PAGE];
        Arrays.fill(data, (byte)'F');
        Files.write(file, data);
        final MemorySegment both = arena.allocate(2 * PAGE, PAGE);
        both.fill((byte)'N');
        final MemorySegment first = both.asSlice(0, PAGE);
        final int fd = (int)LibC.check(LibC.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0), "open");
        try
        {
            assertThrows(IndexOutOfBoundsException.class, () -> LibC.pread(fd, first, 2 * PAGE, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> LibC.read(fd, first, 2 * PAGE));
            for (int i = 0; i < 2 * PAGE; i++)
            {
                assertEquals((byte)'N', both.get(JAVA_BYTE, i), "the kernel wrote nothing, inside or past the segment");
            }
            assertEquals(PAGE, LibC.pread(fd, first, PAGE, 0), "a count within the segment still works");
        }
        finally
        {
            LibC.close(fd);
        }
    }

    @Test
    void shouldReportODirectInTheStatusFlagsOnlyWhenOpenedWithIt()
    {
        final Path file = dir.resolve("flags");
        try (PosixFile direct = PosixFile.open(file, LibC.O_RDWR | LibC.O_CREAT | LibC.O_DIRECT, 0600);
            PosixFile buffered = PosixFile.open(file, LibC.O_RDONLY, 0))
        {
            assertEquals(LibC.O_DIRECT, direct.statusFlags() & LibC.O_DIRECT);
            assertEquals(LibC.O_RDWR, direct.statusFlags() & LibC.O_ACCMODE);
            assertEquals(0, buffered.statusFlags() & LibC.O_DIRECT);
            assertEquals(LibC.O_RDONLY, buffered.statusFlags() & LibC.O_ACCMODE);
        }
    }

    @Test
    void shouldReturnMinusEbadfFromFcntlOnAClosedDescriptor()
    {
        final int fd = (int)LibC.check(LibC.open(dir.resolve("x").toString(), LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, 0600), "open");
        assertEquals(0, LibC.close(fd));
        assertEquals(-Errno.EBADF, LibC.fcntl(fd, LibC.F_GETFL, 0));
    }

    @Test
    void shouldSyncADirectoryAndRefuseAFileAsOne() throws IOException
    {
        PosixFile.syncDirectory(dir);
        final Path file = Files.write(dir.resolve("plain"), new byte[1]);
        final NativeException e = assertThrows(NativeException.class, () -> PosixFile.syncDirectory(file));
        assertEquals(Errno.ENOTDIR, e.nativeCode(), "opened with O_DIRECTORY: " + e.getMessage());
    }
}
