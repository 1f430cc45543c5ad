package dev.conduit.nativebindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Raw libc bindings. Every method returns what the C function returns on success and
 * {@code -errno} on failure (the kernel/liburing convention), so hot paths can pass a negative
 * code on without throwing; {@link #check(long, String)} and the typed {@link PosixFile} turn codes
 * into {@link NativeException}s.
 *
 * <p>Each function lives in its own holder class, linked on first use (jextract's pattern), so a
 * platform quirk in one symbol cannot break the others. errno is captured by the linker
 * ({@link NativeRuntime#CAPTURE_ERRNO}), never read afterwards; the two exceptions,
 * {@link #writeWithoutErrno} and {@link #syscallWithoutErrno}, capture nothing and their callers
 * retry through {@link #write} and {@link #syscall} to learn it.
 *
 * <p>Threading: stateless; safe from any thread.
 *
 * <p>Size: one holder class and one thin wrapper per C function, so the file grows with the bound
 * surface, not with logic; splitting it would scatter one library's binding over several classes
 * without making any of them simpler.
 */
public final class LibC
{
    /** open(2) flag: read only. */
    public static final int O_RDONLY = 0;
    /** open(2) flag: write only. */
    public static final int O_WRONLY = 1;
    /** open(2) flag: read and write. */
    public static final int O_RDWR = 2;
    /** open(2) flag: create if missing. */
    public static final int O_CREAT = 0100;
    /** open(2) flag: fail if it exists (with O_CREAT). */
    public static final int O_EXCL = 0200;
    /** open(2) flag: truncate to zero length. */
    public static final int O_TRUNC = 01000;
    /** open(2) flag: synchronous data writes. */
    public static final int O_DSYNC = 010000;
    /** open(2) flag: bypass the page cache (x86_64 and aarch64 differ; resolved at class init). */
    public static final int O_DIRECT = Platform.isAarch64() ? 0200000 : 040000;
    /** open(2) flag: refuse to follow (aarch64 differs). */
    public static final int O_DIRECTORY = Platform.isAarch64() ? 040000 : 0200000;
    /** open(2) flag: close on exec. */
    public static final int O_CLOEXEC = 02000000;
    /** Mask of the access mode ({@link #O_RDONLY}, {@link #O_WRONLY}, {@link #O_RDWR}) in the status flags. */
    public static final int O_ACCMODE = 03;

    /** fcntl(2) command: read the file status flags (the {@code O_*} open flags the kernel kept). */
    public static final int F_GETFL = 3;
    /** fcntl(2) command: set the file status flags. */
    public static final int F_SETFL = 4;

    /** open(2)/pipe2(2) flag: non-blocking reads and writes (EAGAIN instead of waiting). */
    public static final int O_NONBLOCK = 04000;

    /** eventfd(2) flag: close on exec. */
    public static final int EFD_CLOEXEC = 02000000;
    /** eventfd(2) flag: non-blocking reads. */
    public static final int EFD_NONBLOCK = 04000;

    /** fallocate(2) mode: keep the file size when allocating. */
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    /** fallocate(2) mode: deallocate the range (with KEEP_SIZE). */
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;

    /** mmap(2) protection: readable. */
    public static final int PROT_READ = 0x1;
    /** mmap(2) protection: writable. */
    public static final int PROT_WRITE = 0x2;
    /** mmap(2) flag: shared mapping. */
    public static final int MAP_SHARED = 0x01;
    /** mmap(2) flag: private mapping. */
    public static final int MAP_PRIVATE = 0x02;
    /** mmap(2) flag: no file behind the mapping. */
    public static final int MAP_ANONYMOUS = 0x20;
    /** mmap(2) flag: pre-fault the pages. */
    public static final int MAP_POPULATE = 0x8000;

    /** ioctl: size of a block device in bytes (u64). */
    public static final long BLKGETSIZE64 = 0x80081272L;
    /** ioctl: logical sector size of a block device (int). */
    public static final long BLKSSZGET = 0x1268L;
    /** ioctl: physical sector size of a block device (int). */
    public static final long BLKPBSZGET = 0x127BL;

    /** sysconf(3) name: page size. */
    public static final int SC_PAGESIZE = 30;
    /** sysconf(3) name: online processors. */
    public static final int SC_NPROCESSORS_ONLN = 84;
    /** sysconf(3) name: max locked memory is not a sysconf; this is the physical pages count. */
    public static final int SC_PHYS_PAGES = 85;

    private static final Linker.Option ERRNO = NativeRuntime.CAPTURE_ERRNO;
    private static final SymbolLookup LIBC = NativeRuntime.LINKER.defaultLookup();

    private LibC()
    {
    }

    private static MethodHandle link(final String name, final FunctionDescriptor desc, final Linker.Option... options)
    {
        return NativeRuntime.requiredDowncall(LIBC, name, desc, options);
    }

    private static int fail(final MemorySegment state)
    {
        return -NativeRuntime.errno(state);
    }

    /**
     * The kernel trusts the count, not the segment: a larger count would read or write the memory
     * after the segment. A wrong count is a caller bug, so it throws rather than returning an errno.
     */
    private static void checkCount(final MemorySegment buf, final long count)
    {
        Objects.checkFromIndexSize(0L, count, buf.byteSize());
    }

    // ---------------------------------------------------------------- files

    private static final class Open
    {
        static final MethodHandle MH = link("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            ERRNO, Linker.Option.firstVariadicArg(2));
    }

    /**
     * open(2).
     *
     * @param path  NUL-terminated path.
     * @param flags {@code O_*} flags.
     * @param mode  permission bits when creating.
     * @return the fd, or {@code -errno}.
     */
    public static int open(final MemorySegment path, final int flags, final int mode)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final int fd = (int)Open.MH.invokeExact(state, path, flags, mode);
            return fd >= 0 ? fd : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * open(2) with a Java string path (allocates the C string; not for hot paths).
     *
     * @param path  file path.
     * @param flags {@code O_*} flags.
     * @param mode  permission bits when creating.
     * @return the fd, or {@code -errno}.
     */
    public static int open(final String path, final int flags, final int mode)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return open(arena.allocateFrom(path), flags, mode);
        }
    }

    private static final class Close
    {
        static final MethodHandle MH = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
    }

    /**
     * close(2).
     *
     * @param fd descriptor.
     * @return 0 or {@code -errno}.
     */
    public static int close(final int fd)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return (int)Close.MH.invokeExact(state, fd) == 0 ? 0 : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Pread
    {
        static final MethodHandle MH = link("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), ERRNO);
    }

    /**
     * pread(2) into {@code buf[0, count)}.
     *
     * @param fd     descriptor.
     * @param buf    destination (native memory).
     * @param count  bytes to read.
     * @param offset file offset.
     * @return bytes read (0 at EOF), or {@code -errno}.
     * @throws IndexOutOfBoundsException when {@code count} is negative or larger than {@code buf}, before any syscall.
     */
    public static long pread(final int fd, final MemorySegment buf, final long count, final long offset)
    {
        checkCount(buf, count);
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final long n = (long)Pread.MH.invokeExact(state, fd, buf, count, offset);
            return n >= 0 ? n : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Pwrite
    {
        static final MethodHandle MH = link("pwrite",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), ERRNO);
    }

    /**
     * pwrite(2) from {@code buf[0, count)}.
     *
     * @param fd     descriptor.
     * @param buf    source (native memory).
     * @param count  bytes to write.
     * @param offset file offset.
     * @return bytes written, or {@code -errno}.
     * @throws IndexOutOfBoundsException when {@code count} is negative or larger than {@code buf}, before any syscall.
     */
    public static long pwrite(final int fd, final MemorySegment buf, final long count, final long offset)
    {
        checkCount(buf, count);
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final long n = (long)Pwrite.MH.invokeExact(state, fd, buf, count, offset);
            return n >= 0 ? n : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Preadv
    {
        static final MethodHandle MH = link("preadv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG), ERRNO);
    }

    /**
     * preadv(2).
     *
     * @param fd     descriptor.
     * @param iov    array of {@code struct iovec} (see {@link IovecDescriptor}).
     * @param iovcnt number of entries.
     * @param offset file offset.
     * @return bytes read, or {@code -errno}.
     */
    public static long preadv(final int fd, final MemorySegment iov, final int iovcnt, final long offset)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final long n = (long)Preadv.MH.invokeExact(state, fd, iov, iovcnt, offset);
            return n >= 0 ? n : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Pwritev
    {
        static final MethodHandle MH = link("pwritev",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG), ERRNO);
    }

    /**
     * pwritev(2).
     *
     * @param fd     descriptor.
     * @param iov    array of {@code struct iovec}.
     * @param iovcnt number of entries.
     * @param offset file offset.
     * @return bytes written, or {@code -errno}.
     */
    public static long pwritev(final int fd, final MemorySegment iov, final int iovcnt, final long offset)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final long n = (long)Pwritev.MH.invokeExact(state, fd, iov, iovcnt, offset);
            return n >= 0 ? n : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Fallocate
    {
        static final MethodHandle MH = link("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), ERRNO);
    }

    /**
     * fallocate(2).
     *
     * @param fd     descriptor.
     * @param mode   0 or {@code FALLOC_FL_*}.
     * @param offset start.
     * @param length bytes.
     * @return 0 or {@code -errno}.
     */
    public static int fallocate(final int fd, final int mode, final long offset, final long length)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return (int)Fallocate.MH.invokeExact(state, fd, mode, offset, length) == 0 ? 0 : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Fdatasync
    {
        static final MethodHandle MH = link("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
    }

    /**
     * fdatasync(2).
     *
     * @param fd descriptor.
     * @return 0 or {@code -errno}.
     */
    public static int fdatasync(final int fd)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return (int)Fdatasync.MH.invokeExact(state, fd) == 0 ? 0 : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Fsync
    {
        static final MethodHandle MH = link("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
    }

    /**
     * fsync(2).
     *
     * @param fd descriptor.
     * @return 0 or {@code -errno}.
     */
    public static int fsync(final int fd)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return (int)Fsync.MH.invokeExact(state, fd) == 0 ? 0 : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Ftruncate
    {
        static final MethodHandle MH = link("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO);
    }

    /**
     * ftruncate(2).
     *
     * @param fd     descriptor.
     * @param length new size.
     * @return 0 or {@code -errno}.
     */
    public static int ftruncate(final int fd, final long length)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return (int)Ftruncate.MH.invokeExact(state, fd, length) == 0 ? 0 : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Fcntl
    {
        static final MethodHandle MH = link("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            ERRNO, Linker.Option.firstVariadicArg(2));
    }

    /**
     * fcntl(2) with an int argument (commands that take none, such as {@link #F_GETFL}, ignore it).
     *
     * @param fd  descriptor.
     * @param cmd {@code F_*} command.
     * @param arg the command's argument, or 0.
     * @return the command's non-negative result, or {@code -errno}.
     */
    public static int fcntl(final int fd, final int cmd, final int arg)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final int rc = (int)Fcntl.MH.invokeExact(state, fd, cmd, arg);
            return rc >= 0 ? rc : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Fstat
    {
        static final MethodHandle MH = link("fstat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), ERRNO);
    }

    /**
     * fstat(2) into a {@link StatDescriptor#LENGTH}-byte buffer.
     *
     * @param fd  descriptor.
     * @param buf {@code struct stat} buffer.
     * @return 0 or {@code -errno}.
     */
    public static int fstat(final int fd, final MemorySegment buf)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return (int)Fstat.MH.invokeExact(state, fd, buf) == 0 ? 0 : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Statfs
    {
        static final MethodHandle MH = link("statfs", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), ERRNO);
    }

    /**
     * statfs(2) into a {@link StatfsDescriptor#LENGTH}-byte buffer.
     *
     * @param path NUL-terminated path.
     * @param buf  {@code struct statfs} buffer.
     * @return 0 or {@code -errno}.
     */
    public static int statfs(final MemorySegment path, final MemorySegment buf)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return (int)Statfs.MH.invokeExact(state, path, buf) == 0 ? 0 : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Ioctl
    {
        static final MethodHandle MH = link("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            ERRNO, Linker.Option.firstVariadicArg(2));
    }

    /**
     * ioctl(2) with a pointer argument.
     *
     * @param fd      descriptor.
     * @param request request code, e.g. {@link #BLKGETSIZE64}.
     * @param arg     the request's argument buffer.
     * @return the ioctl's non-negative result, or {@code -errno}.
     */
    public static int ioctl(final int fd, final long request, final MemorySegment arg)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final int rc = (int)Ioctl.MH.invokeExact(state, fd, request, arg);
            return rc >= 0 ? rc : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Read
    {
        static final MethodHandle MH = link("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    }

    /**
     * read(2) at the descriptor's current position (pipes, eventfds; files use {@link #pread}).
     *
     * @param fd    descriptor.
     * @param buf   destination.
     * @param count bytes.
     * @return bytes read, or {@code -errno}.
     * @throws IndexOutOfBoundsException when {@code count} is negative or larger than {@code buf}, before any syscall.
     */
    public static long read(final int fd, final MemorySegment buf, final long count)
    {
        checkCount(buf, count);
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final long n = (long)Read.MH.invokeExact(state, fd, buf, count);
            return n >= 0 ? n : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Write
    {
        static final MethodHandle MH = link("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    }

    private static final class WriteUncaptured
    {
        static final MethodHandle MH = link("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /**
     * write(2) without capturing errno, for a hot path whose failures are retried through
     * {@link #write} anyway: capturing errno makes the JDK slice the capture segment on every call,
     * an allocation that escape analysis does not always remove (an eventfd wake-up per batch showed
     * up as most of the Loader's steady-state garbage).
     *
     * @param fd    descriptor.
     * @param buf   source.
     * @param count bytes.
     * @return bytes written, or -1 (errno unknown; call {@link #write} to learn it).
     * @throws IndexOutOfBoundsException when {@code count} is negative or larger than {@code buf}, before any syscall.
     */
    public static long writeWithoutErrno(final int fd, final MemorySegment buf, final long count)
    {
        checkCount(buf, count);
        try
        {
            return (long)WriteUncaptured.MH.invokeExact(fd, buf, count);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * write(2) at the descriptor's current position (pipes, eventfds; files use {@link #pwrite}).
     *
     * @param fd    descriptor.
     * @param buf   source.
     * @param count bytes.
     * @return bytes written, or {@code -errno}.
     * @throws IndexOutOfBoundsException when {@code count} is negative or larger than {@code buf}, before any syscall.
     */
    public static long write(final int fd, final MemorySegment buf, final long count)
    {
        checkCount(buf, count);
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final long n = (long)Write.MH.invokeExact(state, fd, buf, count);
            return n >= 0 ? n : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Pipe2
    {
        static final MethodHandle MH = link("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    }

    /**
     * pipe2(2): a pipe, the read end in {@code fds[0]} and the write end in {@code fds[1]} (tests use
     * pipes as descriptors that transfer short and return EAGAIN on demand).
     *
     * @param fds   a native segment of two ints, filled on success.
     * @param flags {@link #O_CLOEXEC}, {@link #O_NONBLOCK}.
     * @return 0, or {@code -errno}.
     */
    public static int pipe2(final MemorySegment fds, final int flags)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final int rc = (int)Pipe2.MH.invokeExact(state, fds, flags);
            return rc >= 0 ? rc : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Eventfd
    {
        static final MethodHandle MH = link("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
    }

    /**
     * eventfd(2): a counter another thread can bump to wake a waiter (e.g. one blocked in io_uring_enter).
     *
     * @param initialValue starting count.
     * @param flags        {@link #EFD_CLOEXEC}, {@link #EFD_NONBLOCK}.
     * @return the fd, or {@code -errno}.
     */
    public static int eventfd(final int initialValue, final int flags)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final int fd = (int)Eventfd.MH.invokeExact(state, initialValue, flags);
            return fd >= 0 ? fd : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    // ---------------------------------------------------------------- memory

    private static final class PosixMemalign
    {
        static final MethodHandle MH = link("posix_memalign",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    /**
     * posix_memalign(3). Unlike most calls it returns the error number itself.
     *
     * @param outPointer an 8-byte segment that receives the pointer.
     * @param alignment  power of two, multiple of the pointer size.
     * @param size       bytes.
     * @return 0 or {@code -errno}.
     */
    public static int posixMemalign(final MemorySegment outPointer, final long alignment, final long size)
    {
        try
        {
            final int rc = (int)PosixMemalign.MH.invokeExact(outPointer, alignment, size);
            return -rc;
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Free
    {
        static final MethodHandle MH = link("free", FunctionDescriptor.ofVoid(ADDRESS));
    }

    /**
     * free(3).
     *
     * @param pointer memory from {@link #posixMemalign}.
     */
    public static void free(final MemorySegment pointer)
    {
        try
        {
            Free.MH.invokeExact(pointer);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Mlock
    {
        static final MethodHandle MH = link("mlock", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    }

    /**
     * mlock(2).
     *
     * @param address start.
     * @param length  bytes.
     * @return 0 or {@code -errno}.
     */
    public static int mlock(final MemorySegment address, final long length)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return (int)Mlock.MH.invokeExact(state, address, length) == 0 ? 0 : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Munlock
    {
        static final MethodHandle MH = link("munlock", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    }

    /**
     * munlock(2).
     *
     * @param address start.
     * @param length  bytes.
     * @return 0 or {@code -errno}.
     */
    public static int munlock(final MemorySegment address, final long length)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return (int)Munlock.MH.invokeExact(state, address, length) == 0 ? 0 : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Mmap
    {
        static final MethodHandle MH = link("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO);
    }

    /**
     * mmap(2).
     *
     * @param address hint, usually {@link MemorySegment#NULL}.
     * @param length  bytes.
     * @param prot    {@code PROT_*}.
     * @param flags   {@code MAP_*}.
     * @param fd      descriptor or -1.
     * @param offset  offset in the file or kernel object.
     * @return the mapped address (user-space addresses are positive), or {@code -errno}.
     */
    public static long mmap(
        final MemorySegment address, final long length, final int prot, final int flags, final int fd, final long offset)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final MemorySegment mapped = (MemorySegment)Mmap.MH.invokeExact(state, address, length, prot, flags, fd, offset);
            return mapped.address() == -1L ? fail(state) : mapped.address();
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Munmap
    {
        static final MethodHandle MH = link("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    }

    /**
     * munmap(2).
     *
     * @param address start of the mapping.
     * @param length  bytes.
     * @return 0 or {@code -errno}.
     */
    public static int munmap(final MemorySegment address, final long length)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return (int)Munmap.MH.invokeExact(state, address, length) == 0 ? 0 : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class Sysconf
    {
        static final MethodHandle MH = link("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT), ERRNO);
    }

    /**
     * sysconf(3).
     *
     * @param name {@code SC_*} constant.
     * @return the value; -1 when the limit is indeterminate.
     */
    public static long sysconf(final int name)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return (long)Sysconf.MH.invokeExact(state, name);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    // ---------------------------------------------------------------- raw syscalls

    private static final class Syscall
    {
        static final MethodHandle MH = link("syscall", FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            ERRNO, Linker.Option.firstVariadicArg(1));
    }

    private static final class SyscallUncaptured
    {
        static final MethodHandle MH = link("syscall", FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    }

    /**
     * syscall(2) without capturing errno, for a hot call whose failures can be re-issued through
     * {@link #syscall} to learn it (io_uring_enter, which fails only when it did nothing): as with
     * {@link #writeWithoutErrno}, the capture slices a segment per call that escape analysis does
     * not always remove.
     *
     * @param number system call number for this architecture.
     * @param a0     first argument.
     * @param a1     second argument.
     * @param a2     third argument.
     * @param a3     fourth argument.
     * @param a4     fifth argument.
     * @param a5     sixth argument.
     * @return the call's non-negative result, or -1 (errno unknown).
     */
    public static long syscallWithoutErrno(
        final long number, final long a0, final long a1, final long a2, final long a3, final long a4, final long a5)
    {
        try
        {
            return (long)SyscallUncaptured.MH.invokeExact(number, a0, a1, a2, a3, a4, a5);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * syscall(2) with six word-sized arguments (pointers passed as addresses); used for system
     * calls glibc has no wrapper for, such as io_uring's.
     *
     * @param number system call number for this architecture.
     * @param a0     first argument.
     * @param a1     second argument.
     * @param a2     third argument.
     * @param a3     fourth argument.
     * @param a4     fifth argument.
     * @param a5     sixth argument.
     * @return the call's non-negative result, or {@code -errno}.
     */
    public static long syscall(
        final long number, final long a0, final long a1, final long a2, final long a3, final long a4, final long a5)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            final long rc = (long)Syscall.MH.invokeExact(state, number, a0, a1, a2, a3, a4, a5);
            return rc >= 0 ? rc : fail(state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    // ---------------------------------------------------------------- checking

    /**
     * Turns a raw result into an exception when it is negative.
     *
     * @param result    raw result ({@code -errno} on failure).
     * @param operation the call and its key arguments, for the message.
     * @return {@code result} when non-negative.
     * @throws NativeException naming the errno when negative.
     */
    public static long check(final long result, final String operation)
    {
        if (result < 0)
        {
            throw NativeException.errno(operation, (int)-result);
        }
        return result;
    }
}
