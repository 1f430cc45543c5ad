package dev.conduit.nativebindings.cufile;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeLibraries;
import dev.conduit.nativebindings.NativeRuntime;
import dev.conduit.nativebindings.dynlib.CStrings;
import dev.conduit.nativebindings.dynlib.DynamicLibrary;
import dev.conduit.nativebindings.dynlib.NativeFunction;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Raw bindings to the whole public libcufile surface (GPUDirect Storage). Status-returning calls
 * give back the {@code CUfileError_t} packed into a {@code long} ({@link CuFileStatus}); IO calls
 * return bytes or a negative code ({@link #read}); out values go through caller segments. The typed
 * layer ({@link CuFileDriver}, {@link CuFileHandle}, {@link CuFileBatch}, ...) throws
 * {@link CuFileException} instead.
 *
 * <p>{@code CUfileError_t} is an 8-byte struct returned by value, so each status downcall takes a
 * {@link SegmentAllocator}; a per-thread 8-byte slot is reused for it, so raw calls allocate nothing.
 *
 * <p>Loading: {@value #OVERRIDE_ENV} first, then soname {@value #SONAME} through the system loader,
 * then {@code $CUDA_HOME/lib64} and {@code /usr/local/cuda/lib64}. Every symbol is optional: an
 * older libcufile (no batch, stream or vector IO) loads, {@link #families()} reports what it has,
 * and a missing call throws {@link dev.conduit.nativebindings.dynlib.UnsupportedCallException}
 * "not supported by this libcufile version 1.6 (1060)".
 *
 * <p>Loading the library never calls into it; whether to open the driver is the caller's decision
 * (doctor never does without a CUDA device, because cuFile is known to crash on some VMs).
 *
 * <p>Threading: stateless; cuFile is thread-safe. Do not fork after the driver is opened.
 *
 * <p>Size: one holder class and one thin wrapper per function of the whole public cuFile API; the
 * length is that surface, with no logic to split out (the typed layer lives in the classes around it).
 */
public final class CuFileLibrary
{
    /** Environment variable naming an explicit libcufile path (tests point it at a double). */
    public static final String OVERRIDE_ENV = "CONDUIT_CUFILE_LIB";
    /** The library's soname. */
    public static final String SONAME = "libcufile.so.0";

    private static final ThreadLocal<SegmentAllocator> RETURN_SLOT = ThreadLocal.withInitial(
        () -> SegmentAllocator.prefixAllocator(Arena.ofAuto().allocate(CuFileLayouts.ERROR)));

    private final DynamicLibrary library;
    private volatile OptionalInt version;
    private final NativeFunction driverOpen;
    private final NativeFunction driverClose;
    private final NativeFunction driverGetProperties;
    private final NativeFunction driverSetPollMode;
    private final NativeFunction driverSetMaxDirectIoSize;
    private final NativeFunction driverSetMaxCacheSize;
    private final NativeFunction driverSetMaxPinnedMemSize;
    private final NativeFunction getVersion;
    private final NativeFunction handleRegister;
    private final NativeFunction bufRegister;
    private final NativeFunction bufDeregister;
    private final NativeFunction batchSetUp;
    private final NativeFunction batchSubmit;
    private final NativeFunction batchGetStatus;
    private final NativeFunction batchCancel;
    private final NativeFunction readAsync;
    private final NativeFunction writeAsync;
    private final NativeFunction streamRegister;
    private final NativeFunction streamDeregister;
    private final NativeFunction getParameterSizeT;
    private final NativeFunction getParameterBool;
    private final NativeFunction getParameterString;
    private final NativeFunction setParameterSizeT;
    private final NativeFunction setParameterBool;
    private final NativeFunction setParameterString;
    private final NativeFunction getParameterMinMaxValue;
    private final NativeFunction setStatsLevel;
    private final NativeFunction getStatsLevel;
    private final NativeFunction statsStart;
    private final NativeFunction statsStop;
    private final NativeFunction statsReset;
    private final NativeFunction getStatsL1;
    private final NativeFunction useCount;
    private final NativeFunction handleDeregister;
    private final NativeFunction batchDestroy;
    private final NativeFunction read;
    private final NativeFunction write;
    private final NativeFunction readv;
    private final NativeFunction writev;
    private final NativeFunction statusError;

    private CuFileLibrary(final DynamicLibrary library)
    {
        this.library = library;
        final Supplier<String> owner = () -> "this libcufile version " + versionText();
        this.driverOpen = library.function("cuFileDriverOpen", FunctionDescriptor.of(CuFileLayouts.ERROR), owner);
        this.driverClose = library.firstOf(List.of("cuFileDriverClose_v2", "cuFileDriverClose"), FunctionDescriptor.of(CuFileLayouts.ERROR), owner);
        this.driverGetProperties = library.function("cuFileDriverGetProperties", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS), owner);
        this.driverSetPollMode = library.function("cuFileDriverSetPollMode", FunctionDescriptor.of(CuFileLayouts.ERROR, JAVA_BOOLEAN, JAVA_LONG), owner);
        this.driverSetMaxDirectIoSize = library.function("cuFileDriverSetMaxDirectIOSize", FunctionDescriptor.of(CuFileLayouts.ERROR, JAVA_LONG), owner);
        this.driverSetMaxCacheSize = library.function("cuFileDriverSetMaxCacheSize", FunctionDescriptor.of(CuFileLayouts.ERROR, JAVA_LONG), owner);
        this.driverSetMaxPinnedMemSize = library.function("cuFileDriverSetMaxPinnedMemSize", FunctionDescriptor.of(CuFileLayouts.ERROR, JAVA_LONG), owner);
        this.getVersion = library.function("cuFileGetVersion", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS), owner);
        this.handleRegister = library.function("cuFileHandleRegister", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS, ADDRESS), owner);
        this.bufRegister = library.function("cuFileBufRegister", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS, JAVA_LONG, JAVA_INT), owner);
        this.bufDeregister = library.function("cuFileBufDeregister", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS), owner);
        this.batchSetUp = library.function("cuFileBatchIOSetUp", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS, JAVA_INT), owner);
        this.batchSubmit = library.function("cuFileBatchIOSubmit", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), owner);
        // Polled in a loop, so bound allocation-free: the 8-byte CUfileError_t comes back in one
        // register on x86_64 and aarch64 alike, err in the low half, which is CuFileStatus's packing.
        this.batchGetStatus = library.function("cuFileBatchIOGetStatus", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS), owner);
        this.batchCancel = library.function("cuFileBatchIOCancel", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS), owner);
        this.readAsync = library.function("cuFileReadAsync", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS), owner);
        this.writeAsync = library.function("cuFileWriteAsync", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS), owner);
        this.streamRegister = library.function("cuFileStreamRegister", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS, JAVA_INT), owner);
        this.streamDeregister = library.function("cuFileStreamDeregister", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS), owner);
        this.getParameterSizeT = library.function("cuFileGetParameterSizeT", FunctionDescriptor.of(CuFileLayouts.ERROR, JAVA_INT, ADDRESS), owner);
        this.getParameterBool = library.function("cuFileGetParameterBool", FunctionDescriptor.of(CuFileLayouts.ERROR, JAVA_INT, ADDRESS), owner);
        this.getParameterString = library.function("cuFileGetParameterString", FunctionDescriptor.of(CuFileLayouts.ERROR, JAVA_INT, ADDRESS, JAVA_INT), owner);
        this.setParameterSizeT = library.function("cuFileSetParameterSizeT", FunctionDescriptor.of(CuFileLayouts.ERROR, JAVA_INT, JAVA_LONG), owner);
        this.setParameterBool = library.function("cuFileSetParameterBool", FunctionDescriptor.of(CuFileLayouts.ERROR, JAVA_INT, JAVA_BOOLEAN), owner);
        this.setParameterString = library.function("cuFileSetParameterString", FunctionDescriptor.of(CuFileLayouts.ERROR, JAVA_INT, ADDRESS), owner);
        this.getParameterMinMaxValue = library.function("cuFileGetParameterMinMaxValue", FunctionDescriptor.of(CuFileLayouts.ERROR, JAVA_INT, ADDRESS, ADDRESS), owner);
        this.setStatsLevel = library.function("cuFileSetStatsLevel", FunctionDescriptor.of(CuFileLayouts.ERROR, JAVA_INT), owner);
        this.getStatsLevel = library.function("cuFileGetStatsLevel", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS), owner);
        this.statsStart = library.function("cuFileStatsStart", FunctionDescriptor.of(CuFileLayouts.ERROR), owner);
        this.statsStop = library.function("cuFileStatsStop", FunctionDescriptor.of(CuFileLayouts.ERROR), owner);
        this.statsReset = library.function("cuFileStatsReset", FunctionDescriptor.of(CuFileLayouts.ERROR), owner);
        this.getStatsL1 = library.function("cuFileGetStatsL1", FunctionDescriptor.of(CuFileLayouts.ERROR, ADDRESS), owner);
        this.useCount = library.function("cuFileUseCount", FunctionDescriptor.of(JAVA_LONG), owner);
        this.handleDeregister = library.function("cuFileHandleDeregister", FunctionDescriptor.ofVoid(ADDRESS), owner);
        this.batchDestroy = library.function("cuFileBatchIODestroy", FunctionDescriptor.ofVoid(ADDRESS), owner);
        final FunctionDescriptor io = FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        final FunctionDescriptor iov = FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT);
        this.read = library.function("cuFileRead", io, owner, NativeRuntime.CAPTURE_ERRNO);
        this.write = library.function("cuFileWrite", io, owner, NativeRuntime.CAPTURE_ERRNO);
        this.readv = library.function("cuFileReadv", iov, owner, NativeRuntime.CAPTURE_ERRNO);
        this.writev = library.function("cuFileWritev", iov, owner, NativeRuntime.CAPTURE_ERRNO);
        this.statusError = library.function("cufileop_status_error", FunctionDescriptor.of(ADDRESS, JAVA_INT), owner);
    }

    /** @return the candidates tried by {@link #load()}, in order. */
    public static List<String> defaultCandidates()
    {
        return NativeLibraries.candidates(OVERRIDE_ENV, SONAME);
    }

    /** @return the process-wide libcufile from {@link #defaultCandidates()}, or empty when none loads. */
    public static Optional<CuFileLibrary> load()
    {
        return DefaultHolder.LIBRARY;
    }

    /**
     * @param candidates sonames or paths to try, in order.
     * @return the first that loads, or empty.
     */
    public static Optional<CuFileLibrary> load(final List<String> candidates)
    {
        return DynamicLibrary.open(candidates).map(CuFileLibrary::new);
    }

    /** @return the soname or path that loaded. */
    public String name()
    {
        return library.name();
    }

    /**
     * @param symbol a C function name.
     * @return whether this libcufile exports it.
     */
    public boolean exports(final String symbol)
    {
        return library.exports(symbol);
    }

    /** @return the API families whose every function this libcufile exports (a symbol lookup; no call). */
    public Set<CuFileApiFamily> families()
    {
        final Set<CuFileApiFamily> out = EnumSet.noneOf(CuFileApiFamily.class);
        for (final CuFileApiFamily family : CuFileApiFamily.values())
        {
            if (family.symbols().stream().allMatch(library::exports))
            {
                out.add(family);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * The library version from cuFileGetVersion (which needs no open driver), asked once.
     *
     * @return 1000*major + 10*minor, or empty when the call is missing or fails.
     */
    public OptionalInt version()
    {
        OptionalInt v = version;
        if (v == null)
        {
            v = queryVersion();
            version = v;
        }
        return v;
    }

    /** @return e.g. {@code 1.15 (1150)}, or {@code unknown} when the version cannot be read. */
    public String versionText()
    {
        final OptionalInt v = version();
        return v.isPresent() ? format(v.getAsInt()) : "unknown";
    }

    /**
     * @param version a cuFileGetVersion value.
     * @return {@code major.minor (value)}.
     */
    public static String format(final int version)
    {
        return (version / 1000) + "." + ((version % 1000) / 10) + " (" + version + ")";
    }

    /**
     * cuFileDriverOpen: opens the driver session (idempotent; counted by cuFileUseCount).
     *
     * @return the packed {@link CuFileStatus}.
     */
    public long driverOpen()
    {
        try
        {
            return unpack((MemorySegment)driverOpen.handle().invokeExact(returnSlot()));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileDriverClose_v2, or cuFileDriverClose on libraries without the _v2 export.
     *
     * @return the packed {@link CuFileStatus}.
     */
    public long driverClose()
    {
        try
        {
            return unpack((MemorySegment)driverClose.handle().invokeExact(returnSlot()));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileDriverGetProperties into {@link CuFileLayouts#DRV_PROPS_ALLOCATION} bytes.
     *
     * @param props as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long driverGetProperties(final MemorySegment props)
    {
        try
        {
            return unpack((MemorySegment)driverGetProperties.handle().invokeExact(returnSlot(), props));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileDriverSetPollMode; before open.
     *
     * @param poll as in the cuFile API reference.
     * @param thresholdKb as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long driverSetPollMode(final boolean poll, final long thresholdKb)
    {
        try
        {
            return unpack((MemorySegment)driverSetPollMode.handle().invokeExact(returnSlot(), poll, thresholdKb));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileDriverSetMaxDirectIOSize (KiB, 4 KiB multiple); before open.
     *
     * @param sizeKb as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long driverSetMaxDirectIoSize(final long sizeKb)
    {
        try
        {
            return unpack((MemorySegment)driverSetMaxDirectIoSize.handle().invokeExact(returnSlot(), sizeKb));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileDriverSetMaxCacheSize (KiB, 4 KiB multiple); before open.
     *
     * @param sizeKb as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long driverSetMaxCacheSize(final long sizeKb)
    {
        try
        {
            return unpack((MemorySegment)driverSetMaxCacheSize.handle().invokeExact(returnSlot(), sizeKb));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileDriverSetMaxPinnedMemSize (KiB, 4 KiB multiple); before open.
     *
     * @param sizeKb as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long driverSetMaxPinnedMemSize(final long sizeKb)
    {
        try
        {
            return unpack((MemorySegment)driverSetMaxPinnedMemSize.handle().invokeExact(returnSlot(), sizeKb));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileGetVersion: 1000*major + 10*minor into an int.
     *
     * @param versionOut as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long getVersion(final MemorySegment versionOut)
    {
        try
        {
            return unpack((MemorySegment)getVersion.handle().invokeExact(returnSlot(), versionOut));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileHandleRegister: a CUfileHandle_t for the fd in a zeroed {@link CuFileLayouts#DESCR}.
     *
     * @param handleOut as in the cuFile API reference.
     * @param descr as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long handleRegister(final MemorySegment handleOut, final MemorySegment descr)
    {
        try
        {
            return unpack((MemorySegment)handleRegister.handle().invokeExact(returnSlot(), handleOut, descr));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileBufRegister: pins device (or host) memory for GDS.
     *
     * @param base as in the cuFile API reference.
     * @param length as in the cuFile API reference.
     * @param flags as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long bufRegister(final MemorySegment base, final long length, final int flags)
    {
        try
        {
            return unpack((MemorySegment)bufRegister.handle().invokeExact(returnSlot(), base, length, flags));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileBufDeregister.
     *
     * @param base as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long bufDeregister(final MemorySegment base)
    {
        try
        {
            return unpack((MemorySegment)bufDeregister.handle().invokeExact(returnSlot(), base));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileBatchIOSetUp into a pointer slot.
     *
     * @param batchOut as in the cuFile API reference.
     * @param maxEntries as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long batchSetUp(final MemorySegment batchOut, final int maxEntries)
    {
        try
        {
            return unpack((MemorySegment)batchSetUp.handle().invokeExact(returnSlot(), batchOut, maxEntries));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileBatchIOSubmit of {@code count} {@link CuFileLayouts#IO_PARAMS} entries.
     *
     * @param batch as in the cuFile API reference.
     * @param count as in the cuFile API reference.
     * @param params as in the cuFile API reference.
     * @param flags as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long batchSubmit(final MemorySegment batch, final int count, final MemorySegment params, final int flags)
    {
        try
        {
            return unpack((MemorySegment)batchSubmit.handle().invokeExact(returnSlot(), batch, count, params, flags));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileBatchIOGetStatus: waits for {@code minEntries} completions or the timeout ({@code NULL}: no limit).
     *
     * @param batch as in the cuFile API reference.
     * @param minEntries as in the cuFile API reference.
     * @param countInOut as in the cuFile API reference.
     * @param events as in the cuFile API reference.
     * @param timeout as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long batchGetStatus(final MemorySegment batch, final int minEntries, final MemorySegment countInOut, final MemorySegment events, final MemorySegment timeout)
    {
        try
        {
            return (long)batchGetStatus.handle().invokeExact(batch, minEntries, countInOut, events, timeout);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileBatchIOCancel.
     *
     * @param batch as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long batchCancel(final MemorySegment batch)
    {
        try
        {
            return unpack((MemorySegment)batchCancel.handle().invokeExact(returnSlot(), batch));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileReadAsync: enqueues a read on a CUDA stream; every pointer must stay valid until the stream passes it.
     *
     * @param handle as in the cuFile API reference.
     * @param base as in the cuFile API reference.
     * @param sizeIn as in the cuFile API reference.
     * @param fileOffsetIn as in the cuFile API reference.
     * @param bufferOffsetIn as in the cuFile API reference.
     * @param bytesOut as in the cuFile API reference.
     * @param stream as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long readAsync(final MemorySegment handle, final MemorySegment base, final MemorySegment sizeIn, final MemorySegment fileOffsetIn, final MemorySegment bufferOffsetIn, final MemorySegment bytesOut, final MemorySegment stream)
    {
        try
        {
            return unpack((MemorySegment)readAsync.handle().invokeExact(returnSlot(), handle, base, sizeIn, fileOffsetIn, bufferOffsetIn, bytesOut, stream));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileWriteAsync: enqueues a write on a CUDA stream; every pointer must stay valid until the stream passes it.
     *
     * @param handle as in the cuFile API reference.
     * @param base as in the cuFile API reference.
     * @param sizeIn as in the cuFile API reference.
     * @param fileOffsetIn as in the cuFile API reference.
     * @param bufferOffsetIn as in the cuFile API reference.
     * @param bytesOut as in the cuFile API reference.
     * @param stream as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long writeAsync(final MemorySegment handle, final MemorySegment base, final MemorySegment sizeIn, final MemorySegment fileOffsetIn, final MemorySegment bufferOffsetIn, final MemorySegment bytesOut, final MemorySegment stream)
    {
        try
        {
            return unpack((MemorySegment)writeAsync.handle().invokeExact(returnSlot(), handle, base, sizeIn, fileOffsetIn, bufferOffsetIn, bytesOut, stream));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileStreamRegister with {@code CuFileConstants.STREAM_*} flags.
     *
     * @param stream as in the cuFile API reference.
     * @param flags as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long streamRegister(final MemorySegment stream, final int flags)
    {
        try
        {
            return unpack((MemorySegment)streamRegister.handle().invokeExact(returnSlot(), stream, flags));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileStreamDeregister.
     *
     * @param stream as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long streamDeregister(final MemorySegment stream)
    {
        try
        {
            return unpack((MemorySegment)streamDeregister.handle().invokeExact(returnSlot(), stream));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileGetParameterSizeT into a size_t.
     *
     * @param parameter as in the cuFile API reference.
     * @param valueOut as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long getParameterSizeT(final int parameter, final MemorySegment valueOut)
    {
        try
        {
            return unpack((MemorySegment)getParameterSizeT.handle().invokeExact(returnSlot(), parameter, valueOut));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileGetParameterBool into a C bool (1 byte).
     *
     * @param parameter as in the cuFile API reference.
     * @param valueOut as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long getParameterBool(final int parameter, final MemorySegment valueOut)
    {
        try
        {
            return unpack((MemorySegment)getParameterBool.handle().invokeExact(returnSlot(), parameter, valueOut));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileGetParameterString into a char buffer.
     *
     * @param parameter as in the cuFile API reference.
     * @param buffer as in the cuFile API reference.
     * @param length as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long getParameterString(final int parameter, final MemorySegment buffer, final int length)
    {
        try
        {
            return unpack((MemorySegment)getParameterString.handle().invokeExact(returnSlot(), parameter, buffer, length));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileSetParameterSizeT; before open.
     *
     * @param parameter as in the cuFile API reference.
     * @param value as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long setParameterSizeT(final int parameter, final long value)
    {
        try
        {
            return unpack((MemorySegment)setParameterSizeT.handle().invokeExact(returnSlot(), parameter, value));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileSetParameterBool; before open.
     *
     * @param parameter as in the cuFile API reference.
     * @param value as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long setParameterBool(final int parameter, final boolean value)
    {
        try
        {
            return unpack((MemorySegment)setParameterBool.handle().invokeExact(returnSlot(), parameter, value));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileSetParameterString; before open.
     *
     * @param parameter as in the cuFile API reference.
     * @param value as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long setParameterString(final int parameter, final MemorySegment value)
    {
        try
        {
            return unpack((MemorySegment)setParameterString.handle().invokeExact(returnSlot(), parameter, value));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileGetParameterMinMaxValue into two size_t.
     *
     * @param parameter as in the cuFile API reference.
     * @param minOut as in the cuFile API reference.
     * @param maxOut as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long getParameterMinMaxValue(final int parameter, final MemorySegment minOut, final MemorySegment maxOut)
    {
        try
        {
            return unpack((MemorySegment)getParameterMinMaxValue.handle().invokeExact(returnSlot(), parameter, minOut, maxOut));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileSetStatsLevel (0..3).
     *
     * @param level as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long setStatsLevel(final int level)
    {
        try
        {
            return unpack((MemorySegment)setStatsLevel.handle().invokeExact(returnSlot(), level));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileGetStatsLevel into an int.
     *
     * @param levelOut as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long getStatsLevel(final MemorySegment levelOut)
    {
        try
        {
            return unpack((MemorySegment)getStatsLevel.handle().invokeExact(returnSlot(), levelOut));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileStatsStart.
     *
     * @return the packed {@link CuFileStatus}.
     */
    public long statsStart()
    {
        try
        {
            return unpack((MemorySegment)statsStart.handle().invokeExact(returnSlot()));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileStatsStop.
     *
     * @return the packed {@link CuFileStatus}.
     */
    public long statsStop()
    {
        try
        {
            return unpack((MemorySegment)statsStop.handle().invokeExact(returnSlot()));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileStatsReset.
     *
     * @return the packed {@link CuFileStatus}.
     */
    public long statsReset()
    {
        try
        {
            return unpack((MemorySegment)statsReset.handle().invokeExact(returnSlot()));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileGetStatsL1 into a {@link CuFileLayouts#STATS_LEVEL1}.
     *
     * @param stats as in the cuFile API reference.
     * @return the packed {@link CuFileStatus}.
     */
    public long getStatsL1(final MemorySegment stats)
    {
        try
        {
            return unpack((MemorySegment)getStatsL1.handle().invokeExact(returnSlot(), stats));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /** @return cuFileUseCount: the number of open driver sessions. */
    public long useCount()
    {
        try
        {
            return (long)useCount.handle().invokeExact();
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileHandleDeregister; call only with no IO outstanding on the handle.
     *
     * @param handle the CUfileHandle_t.
     */
    public void handleDeregister(final MemorySegment handle)
    {
        try
        {
            handleDeregister.handle().invokeExact(handle);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileBatchIODestroy.
     *
     * @param batch the CUfileBatchHandle_t.
     */
    public void batchDestroy(final MemorySegment batch)
    {
        try
        {
            batchDestroy.handle().invokeExact(batch);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileRead. The C return conventions are folded into one value: bytes read (0 at end of
     * file); {@code -errno} when the library returned -1 with errno set (a filesystem error;
     * {@code -EIO} if it left errno 0); or {@code -CUfileOpError}, below {@code -5000}
     * ({@link CuFileError#isCuFileError}). {@link CuFileResults#transferred} turns the negative ones into exceptions.
     *
     * @param handle       CUfileHandle_t.
     * @param base         buffer base: the registered base address when registered.
     * @param size         bytes.
     * @param fileOffset   file offset.
     * @param bufferOffset offset from {@code base}.
     * @return bytes, {@code -errno} or {@code -CUfileOpError}.
     */
    public long read(final MemorySegment handle, final MemorySegment base, final long size, final long fileOffset, final long bufferOffset)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return fold((long)read.handle().invokeExact(state, handle, base, size, fileOffset, bufferOffset), state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileWrite; same return convention as {@link #read}.
     *
     * @param handle       CUfileHandle_t.
     * @param base         buffer base.
     * @param size         bytes.
     * @param fileOffset   file offset.
     * @param bufferOffset offset from {@code base}.
     * @return bytes, {@code -errno} or {@code -CUfileOpError}.
     */
    public long write(final MemorySegment handle, final MemorySegment base, final long size, final long fileOffset, final long bufferOffset)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return fold((long)write.handle().invokeExact(state, handle, base, size, fileOffset, bufferOffset), state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileReadv (newer libraries only): consecutive file bytes into several buffers.
     *
     * @param handle     CUfileHandle_t.
     * @param vectors    {@code count} {@link CuFileLayouts#IO_VEC} entries.
     * @param count      number of entries.
     * @param fileOffset file offset of the first byte.
     * @param flags      0.
     * @return bytes, {@code -errno} or {@code -CUfileOpError}, as {@link #read}.
     */
    public long readv(final MemorySegment handle, final MemorySegment vectors, final long count, final long fileOffset, final int flags)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return fold((long)readv.handle().invokeExact(state, handle, vectors, count, fileOffset, flags), state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuFileWritev (newer libraries only).
     *
     * @param handle     CUfileHandle_t.
     * @param vectors    {@code count} {@link CuFileLayouts#IO_VEC} entries.
     * @param count      number of entries.
     * @param fileOffset file offset of the first byte.
     * @param flags      0.
     * @return bytes, {@code -errno} or {@code -CUfileOpError}, as {@link #read}.
     */
    public long writev(final MemorySegment handle, final MemorySegment vectors, final long count, final long fileOffset, final int flags)
    {
        final MemorySegment state = NativeRuntime.errnoState();
        try
        {
            return fold((long)writev.handle().invokeExact(state, handle, vectors, count, fileOffset, flags), state);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * The library's description of an error ({@code cufileop_status_error}, behind CUFILE_ERRSTR).
     *
     * @param err a CUfileOpError (sign ignored).
     * @return its description, or empty when the helper is missing.
     */
    public String statusError(final int err)
    {
        if (!statusError.exported())
        {
            return "";
        }
        try
        {
            return CStrings.fromPointer((MemorySegment)statusError.handle().invokeExact(Math.abs(err)));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private OptionalInt queryVersion()
    {
        if (!getVersion.exported())
        {
            return OptionalInt.empty();
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(JAVA_INT);
            return CuFileStatus.isOk(getVersion(out)) ? OptionalInt.of(out.get(JAVA_INT, 0)) : OptionalInt.empty();
        }
    }

    private static SegmentAllocator returnSlot()
    {
        return RETURN_SLOT.get();
    }

    private static long unpack(final MemorySegment error)
    {
        return CuFileStatus.pack(error.get(JAVA_INT, 0), error.get(JAVA_INT, 4));
    }

    static long fold(final long result, final MemorySegment errnoState)
    {
        if (result != -1)
        {
            return result;
        }
        final int errno = NativeRuntime.errno(errnoState);
        return -(errno != 0 ? errno : Errno.EIO);
    }

    private static final class DefaultHolder
    {
        static final Optional<CuFileLibrary> LIBRARY = load(defaultCandidates());
    }
}
