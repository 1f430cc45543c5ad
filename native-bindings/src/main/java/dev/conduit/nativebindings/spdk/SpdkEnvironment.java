package dev.conduit.nativebindings.spdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeRuntime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * SPDK's environment (DPDK's EAL underneath): initialised at most once per process, because DPDK
 * cannot initialise twice, and never torn down while the process runs. Asking again with the same
 * options returns the same environment; other options fail with {@code SPDK_ENV_MISMATCH}.
 *
 * <p>Threading: {@link #initialise} is synchronised; the environment itself is immutable.
 */
public final class SpdkEnvironment
{
    private static SpdkEnvironment current;

    private final SpdkLibrary library;
    private final SpdkEnvOptions options;

    private SpdkEnvironment(final SpdkLibrary library, final SpdkEnvOptions options)
    {
        this.library = library;
        this.options = options;
    }

    /**
     * Initialises the process's SPDK environment, or returns the one already initialised.
     *
     * @param library the loaded SPDK.
     * @param options what to initialise.
     * @return the environment.
     * @throws ConduitException {@code SPDK_ENV_MISMATCH} when it is initialised with other options;
     *                          {@code SYSTEM_ERROR} (errno domain) when {@code spdk_env_init} fails.
     */
    public static synchronized SpdkEnvironment initialise(final SpdkLibrary library, final SpdkEnvOptions options)
    {
        if (current != null)
        {
            if (!current.options.equals(options) || current.library != library)
            {
                throw new ConduitException(ErrorCode.SPDK_ENV_MISMATCH,
                    "SPDK's environment is initialised once per process, with " + current.options + "; asked again with " + options);
            }
            return current;
        }
        // DPDK pins the thread that initialises it to its main core, and threads inherit that
        // affinity: initialise on a thread of its own so the caller's threads stay unpinned.
        final Thread init = Thread.ofPlatform().name("spdk-env-init").unstarted(() -> doInitialise(library, options));
        final Throwable[] failure = new Throwable[1];
        init.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        init.start();
        try
        {
            init.join();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.INTERRUPTED, "interrupted while SPDK's environment initialised", e);
        }
        if (failure[0] != null)
        {
            throw NativeRuntime.rethrow(failure[0]);
        }
        current = new SpdkEnvironment(library, options);
        return current;
    }

    private static void doInitialise(final SpdkLibrary library, final SpdkEnvOptions options)
    {
        // The strings must outlive spdk_env_init (DPDK keeps pointers into its argv).
        final Arena strings = Arena.global();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment opts = arena.allocate(SpdkLayouts.ENV_OPTS);
            opts.set(JAVA_LONG, SpdkLayouts.ENV_OPTS_OPTS_SIZE, SpdkLayouts.ENV_OPTS.byteSize());
            library.envOptsInit(opts);
            opts.set(ADDRESS, SpdkLayouts.ENV_OPTS_NAME, strings.allocateFrom(options.name()));
            opts.set(ADDRESS, SpdkLayouts.ENV_OPTS_CORE_MASK, strings.allocateFrom(options.coreMask()));
            opts.set(JAVA_INT, SpdkLayouts.ENV_OPTS_MEM_SIZE, options.memSizeMiB());
            opts.set(JAVA_BOOLEAN, SpdkLayouts.ENV_OPTS_NO_HUGE, options.noHugePages());
            opts.set(JAVA_BOOLEAN, SpdkLayouts.ENV_OPTS_NO_PCI, options.noPci());
            final int rc = library.envInit(opts);
            if (rc != 0)
            {
                final int errno = rc < 0 ? -rc : rc;
                throw new ConduitException(ErrorCode.SYSTEM_ERROR, ErrorDomain.ERRNO, errno, Errno.name(errno),
                    "spdk_env_init(" + options + ") failed: " + rc, null);
            }
        }
    }

    /** @return the environment initialised in this process, or null. */
    public static synchronized SpdkEnvironment current()
    {
        return current;
    }

    /** @return the library it belongs to. */
    public SpdkLibrary library()
    {
        return library;
    }

    /** @return the options it was initialised with. */
    public SpdkEnvOptions options()
    {
        return options;
    }
}
