package dev.conduit.nativebindings.uring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeException;
import dev.conduit.nativebindings.Platform;

/**
 * What io_uring can do on this machine, as {@code conduit doctor} reports it.
 *
 * @param available        whether a ring could be created and a NOP went through it.
 * @param reason           why not (naming the errno, e.g. {@code ENOSYS}, {@code EPERM}), or a
 *                         one-line summary when available.
 * @param supportedOpcodes opcode names the kernel reports (IORING_REGISTER_PROBE); empty when unavailable.
 * @param sqpollAllowed    whether a ring with IORING_SETUP_SQPOLL could be created and used.
 * @param sqpollDetail     how the SQPOLL attempt went, naming the errno when it failed.
 */
public record IoUringSupport(
    boolean available, String reason, List<String> supportedOpcodes, boolean sqpollAllowed, String sqpollDetail)
{
    private static final int PROBE_ENTRIES = 4;
    private static final int SQPOLL_IDLE_MS = 10;
    private static final long PROBE_USER_DATA = 0x5EED_C0DEL;
    private static final Path IO_URING_DISABLED = Path.of("/proc/sys/kernel/io_uring_disabled");

    /**
     * @param available        see the record description.
     * @param reason           see the record description.
     * @param supportedOpcodes copied.
     * @param sqpollAllowed    see the record description.
     * @param sqpollDetail     see the record description.
     */
    public IoUringSupport
    {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(sqpollDetail, "sqpollDetail");
        supportedOpcodes = List.copyOf(supportedOpcodes);
    }

    /**
     * Creates a small ring, probes its opcodes and pushes a NOP through it, then does the same
     * with SQPOLL. Never throws: every failure (no io_uring in the kernel, io_uring_disabled,
     * a seccomp filter, missing native access) becomes {@code available=false} with the reason.
     *
     * @return what works here.
     */
    public static IoUringSupport probe()
    {
        try
        {
            return probeOrThrow();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return unavailable(ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }

    private static IoUringSupport probeOrThrow()
    {
        if (!Platform.isLinux())
        {
            return unavailable("io_uring needs Linux; this is " + System.getProperty("os.name"));
        }
        final SupportedOpcodes opcodes;
        final int features;
        try (IoUring ring = IoUring.create(PROBE_ENTRIES))
        {
            opcodes = ring.probeOpcodes();
            features = ring.features();
            roundTripNop(ring);
        }
        catch (final NativeException ex)
        {
            return unavailable(explain(ex));
        }

        boolean sqpollAllowed = false;
        String sqpollDetail;
        try (IoUring ring = IoUring.create(PROBE_ENTRIES, IoUringParamsDescriptor.IORING_SETUP_SQPOLL, SQPOLL_IDLE_MS))
        {
            roundTripNop(ring);
            sqpollAllowed = true;
            sqpollDetail = "SQPOLL ring created and a NOP completed through it";
        }
        catch (final NativeException ex)
        {
            sqpollDetail = explain(ex);
        }
        final String reason = "io_uring works: NOP round trip on kernel " + Platform.kernelRelease()
            + ", features=0x" + Integer.toHexString(features) + ", last opcode " + opcodes.lastOpcode();
        return new IoUringSupport(true, reason, opcodes.names(), sqpollAllowed, sqpollDetail);
    }

    private static void roundTripNop(final IoUring ring)
    {
        if (!ring.tryPrepNop(PROBE_USER_DATA))
        {
            throw new IllegalStateException("a fresh ring refused a NOP");
        }
        ring.submitAndWait(1);
        final long[] seen = new long[2];
        final int reaped = ring.reap((userData, result, flags) ->
        {
            seen[0] = userData;
            seen[1] = result;
        });
        if (reaped != 1 || seen[0] != PROBE_USER_DATA || seen[1] != 0)
        {
            throw new ConduitException(ErrorCode.IO_URING_UNAVAILABLE,
                "NOP round trip returned " + reaped + " completions, user_data=0x" + Long.toHexString(seen[0])
                    + ", res=" + seen[1]);
        }
    }

    private static String explain(final NativeException ex)
    {
        final String hint = switch (ex.nativeCode())
        {
            case Errno.ENOSYS -> "; the kernel lacks CONFIG_IO_URING or a seccomp filter (e.g. a container's"
                + " default profile) blocks the io_uring syscalls";
            case Errno.EPERM -> "; kernel.io_uring_disabled=" + ioUringDisabled()
                + " (0: allowed, 1: CAP_SYS_ADMIN or io_uring_group only, 2: disabled) or a seccomp filter denies it";
            case Errno.ENOMEM -> "; RLIMIT_MEMLOCK or memory cgroup too small for the rings";
            default -> "";
        };
        return ex.nativeName() + ": " + ex.getMessage() + hint;
    }

    private static String ioUringDisabled()
    {
        try
        {
            return Files.readString(IO_URING_DISABLED).strip();
        }
        catch (final IOException | SecurityException ex)
        {
            return "unknown";
        }
    }

    private static IoUringSupport unavailable(final String reason)
    {
        return new IoUringSupport(false, reason, List.of(), false, "not tried: io_uring unavailable");
    }
}
