package dev.conduit.nativebindings.spdk;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.conduit.core.config.Settings;
import dev.conduit.nativebindings.NativeLibraries;
import dev.conduit.nativebindings.NativeRuntime;
import dev.conduit.nativebindings.dynlib.DynamicLibrary;
import dev.conduit.nativebindings.dynlib.NativeFunction;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Raw bindings to the SPDK subset an NVMe client needs: environment, transport ids, controllers,
 * namespaces, I/O queue pairs, reads/writes (contiguous and SGL), completions and DMA memory. Calls
 * return what SPDK returns (0 or {@code -errno}, pointers that may be NULL); the typed layer
 * ({@link SpdkEnvironment}, {@link SpdkController}, {@link SpdkQueuePair}, {@link SpdkDmaBuffer})
 * throws {@link dev.conduit.core.ConduitException} instead.
 *
 * <p>Loading: {@code lib.spdk} ({@value #OVERRIDE_ENV}, the path of {@code libspdk_nvme.so}) first,
 * then {@value #SONAME} through the system loader and {@code /usr/local/lib}. SPDK's shared
 * libraries leave the environment, DPDK and libcrypto to the application's link line, and register
 * their TCP transport and posix sockets in constructors, so the libraries SPDK's own pkg-config files
 * beside the NVMe library name ({@link SpdkLinkOrder}) are opened first, with {@code RTLD_GLOBAL},
 * the way linking an SPDK program would. A single library exporting everything (the C test double)
 * needs nothing more. Absence is a normal answer ({@link #load()} is empty, {@link #loadFailure()}
 * says why), and every symbol is optional: a missing one throws
 * {@link dev.conduit.nativebindings.dynlib.UnsupportedCallException} when called.
 *
 * <p>Loading never calls into SPDK; initialising the environment is {@link SpdkEnvironment}'s job.
 *
 * <p>Why it is long (~740 lines): like {@code CudaDriverLibrary}, it is the symbol table of one C
 * library, a handle, a descriptor and a thin call per function; splitting it would spread one
 * library's ABI over several files without making any of them simpler.
 *
 * <p>Threading: stateless. SPDK queue pairs are single-threaded; the caller keeps each on one thread.
 */
public final class SpdkLibrary
{
    /** Environment variable (setting {@code lib.spdk}) naming the {@code libspdk_nvme.so} to load; tests point it at a double. */
    public static final String OVERRIDE_ENV = "CONDUIT_SPDK_LIB";
    /** The NVMe driver library. */
    public static final String SONAME = "libspdk_nvme.so";
    /** SPDK's DPDK-based environment library. */
    public static final String ENV_LIBRARY = "libspdk_env_dpdk.so";
    /** Every function bound here, for the coverage check. */
    public static final List<String> SYMBOLS = List.of(
        "spdk_env_opts_init", "spdk_env_init", "spdk_dma_zmalloc", "spdk_dma_free", "spdk_mem_register",
        "spdk_mem_unregister", "spdk_nvme_transport_id_parse", "spdk_nvme_connect", "spdk_nvme_detach",
        "spdk_nvme_ctrlr_get_data", "spdk_nvme_ctrlr_get_num_ns", "spdk_nvme_ctrlr_get_ns", "spdk_nvme_ns_is_active",
        "spdk_nvme_ns_get_sector_size", "spdk_nvme_ns_get_num_sectors", "spdk_nvme_ctrlr_get_default_io_qpair_opts",
        "spdk_nvme_ctrlr_alloc_io_qpair", "spdk_nvme_ctrlr_free_io_qpair", "spdk_nvme_ns_cmd_read",
        "spdk_nvme_ns_cmd_write", "spdk_nvme_ns_cmd_readv", "spdk_nvme_ns_cmd_writev", "spdk_nvme_ns_cmd_flush",
        "spdk_nvme_qpair_process_completions", "spdk_nvme_ctrlr_get_default_ctrlr_opts", "spdk_nvme_ctrlr_cmd_abort_ext",
        "spdk_nvme_ctrlr_process_admin_completions");

    // Lazy: SPDK's libraries call each other in cycles (util needs env's spdk_realloc, env needs util).
    private static final int RTLD_LAZY = 1;
    private static final int RTLD_GLOBAL = 0x100;
    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/lib", "/usr/local/lib64");
    /** A C pointer passed as a 64-bit integer (the hot calls and upcalls): the same registers on LP64. */
    static final ValueLayout.OfLong POINTER = pointerAsLong();
    private static volatile Optional<SpdkLibrary> loaded;
    private static volatile String lastFailure;

    private final String name;
    private final Path directory;
    private final NativeFunction envOptsInit;
    private final NativeFunction envInit;
    private final NativeFunction dmaZmalloc;
    private final NativeFunction dmaFree;
    private final NativeFunction memRegister;
    private final NativeFunction memUnregister;
    private final NativeFunction tridParse;
    private final NativeFunction connect;
    private final NativeFunction detach;
    private final NativeFunction ctrlrGetData;
    private final NativeFunction ctrlrGetNumNs;
    private final NativeFunction ctrlrGetNs;
    private final NativeFunction nsIsActive;
    private final NativeFunction nsGetSectorSize;
    private final NativeFunction nsGetNumSectors;
    private final NativeFunction defaultQpairOpts;
    private final NativeFunction allocQpair;
    private final NativeFunction freeQpair;
    private final NativeFunction cmdRead;
    private final NativeFunction cmdWrite;
    private final NativeFunction cmdReadv;
    private final NativeFunction cmdWritev;
    private final NativeFunction cmdFlush;
    private final NativeFunction processCompletions;
    private final NativeFunction defaultCtrlrOpts;
    private final NativeFunction cmdAbortExt;
    private final NativeFunction processAdminCompletions;

    private SpdkLibrary(final String name, final Path directory, final SymbolLookup lookup)
    {
        this.name = name;
        this.directory = directory;
        final Supplier<String> owner = () -> "this SPDK (" + name + ")";
        final Functions f = new Functions(DynamicLibrary.of(name, lookup), owner);
        this.envOptsInit = f.of("spdk_env_opts_init", FunctionDescriptor.ofVoid(ADDRESS));
        this.envInit = f.of("spdk_env_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.dmaZmalloc = f.of("spdk_dma_zmalloc", FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
        this.dmaFree = f.of("spdk_dma_free", FunctionDescriptor.ofVoid(ADDRESS));
        this.memRegister = f.of("spdk_mem_register", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        this.memUnregister = f.of("spdk_mem_unregister", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        this.tridParse = f.of("spdk_nvme_transport_id_parse", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        this.connect = f.of("spdk_nvme_connect", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        this.detach = f.of("spdk_nvme_detach", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.ctrlrGetData = f.of("spdk_nvme_ctrlr_get_data", FunctionDescriptor.of(ADDRESS, ADDRESS));
        this.ctrlrGetNumNs = f.of("spdk_nvme_ctrlr_get_num_ns", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.ctrlrGetNs = f.of("spdk_nvme_ctrlr_get_ns", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        this.nsIsActive = f.of("spdk_nvme_ns_is_active", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        this.nsGetSectorSize = f.of("spdk_nvme_ns_get_sector_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.nsGetNumSectors = f.of("spdk_nvme_ns_get_num_sectors", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        this.defaultQpairOpts = f.of("spdk_nvme_ctrlr_get_default_io_qpair_opts", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_LONG));
        this.allocQpair = f.of("spdk_nvme_ctrlr_alloc_io_qpair", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        this.freeQpair = f.of("spdk_nvme_ctrlr_free_io_qpair", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        // The per-command functions take their pointers as JAVA_LONG (POINTER below): on LP64 (x86-64
        // SysV, AArch64) a pointer and a 64-bit integer travel in the same registers, and a long needs no
        // MemorySegment per call (the profile of the I/O loop showed one allocated for every argument).
        final FunctionDescriptor rw = FunctionDescriptor.of(JAVA_INT, POINTER, POINTER, POINTER, JAVA_LONG, JAVA_INT, POINTER, POINTER, JAVA_INT);
        this.cmdRead = f.of("spdk_nvme_ns_cmd_read", rw);
        this.cmdWrite = f.of("spdk_nvme_ns_cmd_write", rw);
        final FunctionDescriptor rwv = FunctionDescriptor.of(JAVA_INT, POINTER, POINTER, JAVA_LONG, JAVA_INT, POINTER, POINTER, JAVA_INT, POINTER, POINTER);
        this.cmdReadv = f.of("spdk_nvme_ns_cmd_readv", rwv);
        this.cmdWritev = f.of("spdk_nvme_ns_cmd_writev", rwv);
        this.cmdFlush = f.of("spdk_nvme_ns_cmd_flush", FunctionDescriptor.of(JAVA_INT, POINTER, POINTER, POINTER, POINTER));
        this.processCompletions = f.of("spdk_nvme_qpair_process_completions", FunctionDescriptor.of(JAVA_INT, POINTER, JAVA_INT));
        this.defaultCtrlrOpts = f.of("spdk_nvme_ctrlr_get_default_ctrlr_opts", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG));
        this.cmdAbortExt = f.of("spdk_nvme_ctrlr_cmd_abort_ext", FunctionDescriptor.of(JAVA_INT, POINTER, POINTER, POINTER, POINTER, POINTER));
        this.processAdminCompletions = f.of("spdk_nvme_ctrlr_process_admin_completions", FunctionDescriptor.of(JAVA_INT, POINTER));
    }

    /**
     * The process's SPDK, loaded on first use.
     *
     * @return the library, or empty when SPDK is not installed (or a companion library fails to load).
     */
    public static Optional<SpdkLibrary> load()
    {
        Optional<SpdkLibrary> l = loaded;
        if (l == null)
        {
            synchronized (SpdkLibrary.class)
            {
                l = loaded;
                if (l == null)
                {
                    l = open(candidates());
                    loaded = l;
                }
            }
        }
        return l;
    }

    /**
     * Where {@link #load()} looks, in order.
     *
     * @return paths or sonames of {@code libspdk_nvme.so}.
     */
    public static List<String> candidates()
    {
        final List<String> out = new ArrayList<>(NativeLibraries.candidates(Settings.LIB_SPDK.envName(), SONAME));
        if (out.size() == 1 && !SONAME.equals(out.getFirst()))
        {
            return out; // an explicit lib.spdk is the only candidate
        }
        for (final String dir : SYSTEM_DIRS)
        {
            final Path p = Path.of(dir, SONAME);
            if (Files.exists(p))
            {
                out.add(p.toString());
            }
        }
        return out;
    }

    private static Optional<SpdkLibrary> open(final List<String> candidates)
    {
        final List<String> why = new ArrayList<>();
        for (final String candidate : candidates)
        {
            final Path path = Path.of(candidate);
            final Path dir = path.isAbsolute() ? path.getParent() : null;
            if (dir != null && !Files.exists(path))
            {
                why.add(candidate + ": no such file");
                continue;
            }
            // What an SPDK application links, dependencies first and global, so that each library's
            // undefined symbols (environment, DPDK, libcrypto) resolve against those before it.
            if (dir != null)
            {
                for (final String lib : SpdkLinkOrder.libraries(dir))
                {
                    final Path local = dir.resolve("lib" + lib + ".so");
                    dlopenGlobal(Files.exists(local) ? local.toString() : "lib" + lib + ".so");
                }
            }
            final String error = dlopenGlobal(candidate);
            if (error != null)
            {
                why.add(error);
                continue;
            }
            SymbolLookup lookup = SymbolLookup.libraryLookup(candidate, Arena.global());
            final Path env = dir == null ? null : dir.resolve(ENV_LIBRARY);
            if (env != null && Files.exists(env))
            {
                lookup = lookup.or(SymbolLookup.libraryLookup(env, Arena.global()));
            }
            lastFailure = null;
            return Optional.of(new SpdkLibrary(candidate, dir, lookup));
        }
        lastFailure = why.isEmpty() ? "no candidate" : String.join("; ", why);
        return Optional.empty();
    }

    /**
     * Why the last {@link #load()} found nothing.
     *
     * @return the loader's messages (dlerror), or null after a successful load.
     */
    public static String loadFailure()
    {
        load();
        return lastFailure;
    }

    /** @return null when loaded, else dlerror's message. */
    private static String dlopenGlobal(final String file)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment handle = (MemorySegment) Dl.OPEN.invokeExact(arena.allocateFrom(file), RTLD_LAZY | RTLD_GLOBAL);
            if (!handle.equals(MemorySegment.NULL))
            {
                return null;
            }
            final MemorySegment message = (MemorySegment) Dl.ERROR.invokeExact();
            return message.equals(MemorySegment.NULL) ? file + ": dlopen failed" : message.reinterpret(4096).getString(0);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /** dlopen/dlerror, linked on first use. */
    private static final class Dl
    {
        static final MethodHandle OPEN = NativeRuntime.requiredDowncall(NativeRuntime.LINKER.defaultLookup(), "dlopen",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        static final MethodHandle ERROR = NativeRuntime.requiredDowncall(NativeRuntime.LINKER.defaultLookup(), "dlerror",
            FunctionDescriptor.of(ADDRESS));

        private Dl()
        {
        }
    }

    /** @return the path or soname of the NVMe library that loaded. */
    public String name()
    {
        return name;
    }

    /**
     * SPDK's release, as the {@code spdk/version.h} installed with the library states it (SPDK has no
     * run-time version call outside its application framework): {@code include/} beside {@code lib/}.
     *
     * @return e.g. {@code 25.09}, or empty when the header is not there.
     */
    public Optional<String> version()
    {
        if (directory == null || directory.getParent() == null)
        {
            return Optional.empty();
        }
        final Path header = directory.getParent().resolve("include").resolve("spdk").resolve("version.h");
        try
        {
            int major = -1;
            int minor = -1;
            int patch = 0;
            for (final String line : Files.readAllLines(header))
            {
                final String[] w = line.trim().split("\\s+");
                if (w.length == 3 && w[0].equals("#define"))
                {
                    switch (w[1])
                    {
                        case "SPDK_VERSION_MAJOR" -> major = Integer.parseInt(w[2]);
                        case "SPDK_VERSION_MINOR" -> minor = Integer.parseInt(w[2]);
                        case "SPDK_VERSION_PATCH" -> patch = Integer.parseInt(w[2]);
                        default ->
                        {
                        }
                    }
                }
            }
            if (major < 0 || minor < 0)
            {
                return Optional.empty();
            }
            return Optional.of(String.format("%d.%02d", major, minor) + (patch > 0 ? "." + patch : ""));
        }
        catch (final java.io.IOException | NumberFormatException absent)
        {
            return Optional.empty();
        }
    }

    /**
     * @param symbol a C symbol.
     * @return whether the library exports it (with its companions).
     */
    public boolean exports(final String symbol)
    {
        return function(symbol).exported();
    }

    private NativeFunction function(final String symbol)
    {
        for (final NativeFunction f : List.of(envOptsInit, envInit, dmaZmalloc, dmaFree, memRegister, memUnregister, tridParse,
            connect, detach, ctrlrGetData, ctrlrGetNumNs, ctrlrGetNs, nsIsActive, nsGetSectorSize, nsGetNumSectors,
            defaultQpairOpts, allocQpair, freeQpair, cmdRead, cmdWrite, cmdReadv, cmdWritev, cmdFlush, processCompletions,
            defaultCtrlrOpts, cmdAbortExt, processAdminCompletions))
        {
            if (f.symbol().equals(symbol))
            {
                return f;
            }
        }
        throw new IllegalArgumentException("not bound: " + symbol);
    }

    /** @param opts a {@link SpdkLayouts#ENV_OPTS} segment whose {@code opts_size} is set. */
    public void envOptsInit(final MemorySegment opts)
    {
        try
        {
            envOptsInit.handle().invokeExact(opts);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param opts initialised options.
     * @return 0 or a negative errno.
     */
    public int envInit(final MemorySegment opts)
    {
        try
        {
            return (int) envInit.handle().invokeExact(opts);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param sizeBytes  size.
     * @param alignBytes alignment (power of two, or 0).
     * @return zeroed DMA-safe memory, or NULL.
     */
    public MemorySegment dmaZmalloc(final long sizeBytes, final long alignBytes)
    {
        try
        {
            return (MemorySegment) dmaZmalloc.handle().invokeExact(sizeBytes, alignBytes, MemorySegment.NULL);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /** @param buffer memory from {@link #dmaZmalloc}. */
    public void dmaFree(final MemorySegment buffer)
    {
        try
        {
            dmaFree.handle().invokeExact(buffer);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param address   2 MiB-aligned start.
     * @param lengthBytes a multiple of 2 MiB.
     * @return 0 or a negative errno.
     */
    public int memRegister(final MemorySegment address, final long lengthBytes)
    {
        try
        {
            return (int) memRegister.handle().invokeExact(address, lengthBytes);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param address   a registered start.
     * @param lengthBytes its length.
     * @return 0 or a negative errno.
     */
    public int memUnregister(final MemorySegment address, final long lengthBytes)
    {
        try
        {
            return (int) memUnregister.handle().invokeExact(address, lengthBytes);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param trid a {@link SpdkLayouts#TRANSPORT_ID} segment (zeroed).
     * @param text a NUL-terminated transport id string.
     * @return 0 or a negative errno.
     */
    public int transportIdParse(final MemorySegment trid, final MemorySegment text)
    {
        try
        {
            return (int) tridParse.handle().invokeExact(trid, text);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * {@code spdk_nvme_ctrlr_get_default_ctrlr_opts}.
     *
     * @param opts {@link SpdkLayouts#CTRLR_OPTS_SIZE} bytes to fill with SPDK's defaults.
     */
    public void defaultControllerOptions(final MemorySegment opts)
    {
        try
        {
            defaultCtrlrOpts.handle().invokeExact(opts, opts.byteSize());
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param trid a parsed transport id.
     * @param opts controller options ({@link #defaultControllerOptions}, then changed).
     * @return the controller, or NULL when none could be connected.
     */
    public MemorySegment connect(final MemorySegment trid, final MemorySegment opts)
    {
        try
        {
            return (MemorySegment) connect.handle().invokeExact(trid, opts, opts.byteSize());
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param ctrlr a connected controller.
     * @return 0 or a negative errno.
     */
    public int detach(final MemorySegment ctrlr)
    {
        try
        {
            return (int) detach.handle().invokeExact(ctrlr);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param ctrlr a controller.
     * @return its Identify Controller data, {@link SpdkLayouts#CTRLR_DATA_SIZE} bytes.
     */
    public MemorySegment controllerData(final MemorySegment ctrlr)
    {
        try
        {
            return ((MemorySegment) ctrlrGetData.handle().invokeExact(ctrlr)).reinterpret(SpdkLayouts.CTRLR_DATA_SIZE);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param ctrlr a controller.
     * @return the largest namespace id.
     */
    public int namespaceCount(final MemorySegment ctrlr)
    {
        try
        {
            return (int) ctrlrGetNumNs.handle().invokeExact(ctrlr);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param ctrlr a controller.
     * @param nsid  a namespace id.
     * @return the namespace, or NULL.
     */
    public MemorySegment namespace(final MemorySegment ctrlr, final int nsid)
    {
        try
        {
            return (MemorySegment) ctrlrGetNs.handle().invokeExact(ctrlr, nsid);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param ns a namespace.
     * @return whether it is active.
     */
    public boolean namespaceActive(final MemorySegment ns)
    {
        try
        {
            return (boolean) nsIsActive.handle().invokeExact(ns);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param ns a namespace.
     * @return its sector (logical block) size in bytes.
     */
    public int sectorSize(final MemorySegment ns)
    {
        try
        {
            return (int) nsGetSectorSize.handle().invokeExact(ns);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param ns a namespace.
     * @return its size in sectors.
     */
    public long sectorCount(final MemorySegment ns)
    {
        try
        {
            return (long) nsGetNumSectors.handle().invokeExact(ns);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param ctrlr a controller.
     * @param opts  a {@link SpdkLayouts#IO_QPAIR_OPTS} segment to fill with the controller's defaults.
     */
    public void defaultQueuePairOptions(final MemorySegment ctrlr, final MemorySegment opts)
    {
        try
        {
            defaultQpairOpts.handle().invokeExact(ctrlr, opts, opts.byteSize());
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param ctrlr a controller.
     * @param opts  queue pair options.
     * @return the queue pair, or NULL.
     */
    public MemorySegment allocQueuePair(final MemorySegment ctrlr, final MemorySegment opts)
    {
        try
        {
            return (MemorySegment) allocQpair.handle().invokeExact(ctrlr, opts, opts.byteSize());
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * Frees a queue pair; SPDK completes what it still holds (aborted) through the callbacks first.
     *
     * @param qpair a queue pair.
     * @return 0 or a negative errno.
     */
    public int freeQueuePair(final MemorySegment qpair)
    {
        try
        {
            return (int) freeQpair.handle().invokeExact(qpair);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * {@code spdk_nvme_ns_cmd_read} or {@code _write}.
     *
     * @param write    true for a write.
     * @param ns       namespace ({@code struct spdk_nvme_ns *}).
     * @param qpair    queue pair ({@code struct spdk_nvme_qpair *}).
     * @param payload  address of the contiguous buffer.
     * @param lba      first block.
     * @param lbaCount blocks.
     * @param callback address of a {@code spdk_nvme_cmd_cb} upcall stub.
     * @param cbArg    its argument.
     * @return 0 or a negative errno (-ENOMEM: queue pair full; -ENXIO: queue pair failed).
     */
    public int submit(final boolean write, final long ns, final long qpair, final long payload, final long lba, final int lbaCount,
        final long callback, final long cbArg)
    {
        try
        {
            return write ? (int) cmdWrite.handle().invokeExact(ns, qpair, payload, lba, lbaCount, callback, cbArg, 0)
                : (int) cmdRead.handle().invokeExact(ns, qpair, payload, lba, lbaCount, callback, cbArg, 0);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * {@code spdk_nvme_ns_cmd_readv} or {@code _writev}: the buffer is described by SGL callbacks.
     *
     * @param write    true for a write.
     * @param ns       namespace.
     * @param qpair    queue pair.
     * @param lba      first block.
     * @param lbaCount blocks.
     * @param callback address of the completion upcall stub.
     * @param cbArg    the argument of all three callbacks.
     * @param resetSgl address of a {@code spdk_nvme_req_reset_sgl_cb} upcall stub.
     * @param nextSge  address of a {@code spdk_nvme_req_next_sge_cb} upcall stub.
     * @return 0 or a negative errno.
     */
    public int submitVector(final boolean write, final long ns, final long qpair, final long lba, final int lbaCount,
        final long callback, final long cbArg, final long resetSgl, final long nextSge)
    {
        try
        {
            return write ? (int) cmdWritev.handle().invokeExact(ns, qpair, lba, lbaCount, callback, cbArg, 0, resetSgl, nextSge)
                : (int) cmdReadv.handle().invokeExact(ns, qpair, lba, lbaCount, callback, cbArg, 0, resetSgl, nextSge);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * @param ns       namespace.
     * @param qpair    queue pair.
     * @param callback address of the completion upcall stub.
     * @param cbArg    its argument.
     * @return 0 or a negative errno.
     */
    public int flush(final long ns, final long qpair, final long callback, final long cbArg)
    {
        try
        {
            return (int) cmdFlush.handle().invokeExact(ns, qpair, callback, cbArg);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * Runs completions on the calling thread (their callbacks included).
     *
     * @param qpair          queue pair.
     * @param maxCompletions most to complete, 0 = all available.
     * @return completions, or a negative errno (-ENXIO: the queue pair failed).
     */
    public int processCompletions(final long qpair, final int maxCompletions)
    {
        try
        {
            return (int) processCompletions.handle().invokeExact(qpair, maxCompletions);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * {@code spdk_nvme_ctrlr_cmd_abort_ext} without a completion callback: asks the controller to abort
     * the queue pair's commands submitted with {@code cmdCbArg}; each then completes, through its own
     * callback, as aborted (or normally, when it was too late). The Abort admin commands complete in
     * {@link #processAdminCompletions}.
     *
     * @param ctrlr    controller.
     * @param qpair    the commands' queue pair.
     * @param cmdCbArg the commands' callback argument.
     * @return 0, or a negative errno (-ENOENT: no such command outstanding).
     */
    public int abortCommands(final long ctrlr, final long qpair, final long cmdCbArg)
    {
        try
        {
            return (int) cmdAbortExt.handle().invokeExact(ctrlr, qpair, cmdCbArg, 0L, 0L);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * {@code spdk_nvme_ctrlr_process_admin_completions} (thread-safe in SPDK: it takes the controller's lock).
     *
     * @param ctrlr controller.
     * @return admin completions processed, or a negative errno.
     */
    public int processAdminCompletions(final long ctrlr)
    {
        try
        {
            return (int) processAdminCompletions.handle().invokeExact(ctrlr);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    @Override
    public String toString()
    {
        return name;
    }

    private static ValueLayout.OfLong pointerAsLong()
    {
        if (ADDRESS.byteSize() != JAVA_LONG.byteSize())
        {
            throw new IllegalStateException("SPDK's bindings pass pointers as 64-bit integers; this platform's pointers are "
                + ADDRESS.byteSize() + " bytes");
        }
        return JAVA_LONG;
    }

    /** Builds the optional functions of one library. */
    private record Functions(DynamicLibrary library, Supplier<String> owner)
    {
        NativeFunction of(final String symbol, final FunctionDescriptor descriptor)
        {
            return library.function(symbol, descriptor, owner);
        }
    }
}
