package dev.conduit.nativebindings.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.conduit.nativebindings.NativeLibraries;
import dev.conduit.nativebindings.NativeRuntime;
import dev.conduit.nativebindings.dynlib.DynamicLibrary;
import dev.conduit.nativebindings.dynlib.NativeFunction;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Raw bindings to the CUDA driver API subset Conduit's data paths use ({@code libcuda.so.1}).
 * Every method returns the {@code CUresult} and writes results through caller-supplied out
 * segments, so hot paths allocate nothing and pass codes on; {@link CudaDriver} is the typed layer
 * that throws {@link CudaException}.
 *
 * <p>Loading: {@value #OVERRIDE_ENV} (an explicit path) first, else soname {@value #SONAME}
 * through the system loader, then {@code $CUDA_HOME/lib64} and {@code /usr/local/cuda/lib64}.
 * Each symbol is optional: a missing one fails only when called, with
 * {@link dev.conduit.nativebindings.dynlib.UnsupportedCallException}.
 *
 * <p>Threading: stateless; CUDA itself is thread-safe, with the current context per thread.
 *
 * <p>Size: one holder class and one thin wrapper per bound CUDA function; the length is the bound
 * surface itself, with no logic to split out.
 */
public final class CudaDriverLibrary
{
    /** Environment variable naming an explicit libcuda path (tests point it at a double). */
    public static final String OVERRIDE_ENV = "CONDUIT_CUDA_LIB";
    /** The driver library's soname. */
    public static final String SONAME = "libcuda.so.1";
    /** Every C function this class binds, for coverage checks and reports. */
    public static final List<String> SYMBOLS = List.of(
        "cuInit",
        "cuDriverGetVersion",
        "cuDeviceGetCount",
        "cuDeviceGet",
        "cuDeviceGetName",
        "cuDeviceGetAttribute",
        "cuDeviceGetPCIBusId",
        "cuDeviceTotalMem_v2",
        "cuDeviceGetUuid_v2",
        "cuDevicePrimaryCtxRetain",
        "cuDevicePrimaryCtxRelease_v2",
        "cuCtxSetCurrent",
        "cuCtxGetCurrent",
        "cuMemAlloc_v2",
        "cuMemFree_v2",
        "cuMemHostRegister_v2",
        "cuMemHostUnregister",
        "cuMemcpyHtoD_v2",
        "cuMemcpyDtoH_v2",
        "cuMemcpyHtoDAsync_v2",
        "cuMemcpyDtoHAsync_v2",
        "cuStreamCreate",
        "cuStreamDestroy_v2",
        "cuStreamSynchronize",
        "cuStreamQuery",
        "cuEventCreate",
        "cuEventRecord",
        "cuEventQuery",
        "cuEventSynchronize",
        "cuEventDestroy_v2",
        "cuGetErrorName",
        "cuGetErrorString",
        "cuIpcGetMemHandle",
        "cuIpcOpenMemHandle_v2",
        "cuIpcCloseMemHandle");

    private final DynamicLibrary library;
    private final NativeFunction init;
    private final NativeFunction driverGetVersion;
    private final NativeFunction deviceGetCount;
    private final NativeFunction deviceGet;
    private final NativeFunction deviceGetName;
    private final NativeFunction deviceGetAttribute;
    private final NativeFunction deviceGetPciBusId;
    private final NativeFunction deviceTotalMem;
    private final NativeFunction deviceGetUuid;
    private final NativeFunction primaryCtxRetain;
    private final NativeFunction primaryCtxRelease;
    private final NativeFunction ctxSetCurrent;
    private final NativeFunction ctxGetCurrent;
    private final NativeFunction memAlloc;
    private final NativeFunction memFree;
    private final NativeFunction memHostRegister;
    private final NativeFunction memHostUnregister;
    private final NativeFunction memcpyHtoD;
    private final NativeFunction memcpyDtoH;
    private final NativeFunction memcpyHtoDAsync;
    private final NativeFunction memcpyDtoHAsync;
    private final NativeFunction streamCreate;
    private final NativeFunction streamDestroy;
    private final NativeFunction streamSynchronize;
    private final NativeFunction streamQuery;
    private final NativeFunction eventCreate;
    private final NativeFunction eventRecord;
    private final NativeFunction eventQuery;
    private final NativeFunction eventSynchronize;
    private final NativeFunction eventDestroy;
    private final NativeFunction getErrorName;
    private final NativeFunction getErrorString;
    private final NativeFunction ipcGetMemHandle;
    private final NativeFunction ipcOpenMemHandle;
    private final NativeFunction ipcCloseMemHandle;

    private CudaDriverLibrary(final DynamicLibrary library)
    {
        this.library = library;
        final Supplier<String> owner = () -> "this CUDA driver library (" + library.name() + ")";
        this.init = library.function("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT), owner);
        this.driverGetVersion = library.function("cuDriverGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS), owner);
        this.deviceGetCount = library.function("cuDeviceGetCount", FunctionDescriptor.of(JAVA_INT, ADDRESS), owner);
        this.deviceGet = library.function("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), owner);
        this.deviceGetName = library.function("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), owner);
        this.deviceGetAttribute = library.function("cuDeviceGetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), owner);
        this.deviceGetPciBusId = library.function("cuDeviceGetPCIBusId", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), owner);
        this.deviceTotalMem = library.function("cuDeviceTotalMem_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), owner);
        this.deviceGetUuid = library.function("cuDeviceGetUuid_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), owner);
        this.primaryCtxRetain = library.function("cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), owner);
        this.primaryCtxRelease = library.function("cuDevicePrimaryCtxRelease_v2", FunctionDescriptor.of(JAVA_INT, JAVA_INT), owner);
        this.ctxSetCurrent = library.function("cuCtxSetCurrent", FunctionDescriptor.of(JAVA_INT, ADDRESS), owner);
        this.ctxGetCurrent = library.function("cuCtxGetCurrent", FunctionDescriptor.of(JAVA_INT, ADDRESS), owner);
        this.memAlloc = library.function("cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), owner);
        this.memFree = library.function("cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG), owner);
        this.memHostRegister = library.function("cuMemHostRegister_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), owner);
        this.memHostUnregister = library.function("cuMemHostUnregister", FunctionDescriptor.of(JAVA_INT, ADDRESS), owner);
        this.memcpyHtoD = library.function("cuMemcpyHtoD_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG), owner);
        this.memcpyDtoH = library.function("cuMemcpyDtoH_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), owner);
        this.memcpyHtoDAsync = library.function("cuMemcpyHtoDAsync_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS), owner);
        this.memcpyDtoHAsync = library.function("cuMemcpyDtoHAsync_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS), owner);
        this.streamCreate = library.function("cuStreamCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), owner);
        this.streamDestroy = library.function("cuStreamDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS), owner);
        this.streamSynchronize = library.function("cuStreamSynchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS), owner);
        this.streamQuery = library.function("cuStreamQuery", FunctionDescriptor.of(JAVA_INT, ADDRESS), owner);
        this.eventCreate = library.function("cuEventCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), owner);
        this.eventRecord = library.function("cuEventRecord", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), owner);
        this.eventQuery = library.function("cuEventQuery", FunctionDescriptor.of(JAVA_INT, ADDRESS), owner);
        this.eventSynchronize = library.function("cuEventSynchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS), owner);
        this.eventDestroy = library.function("cuEventDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS), owner);
        this.getErrorName = library.function("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), owner);
        this.getErrorString = library.function("cuGetErrorString", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), owner);
        this.ipcGetMemHandle = library.function("cuIpcGetMemHandle", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), owner);
        this.ipcOpenMemHandle = library.function("cuIpcOpenMemHandle_v2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, CudaLayouts.CU_IPC_MEM_HANDLE, JAVA_INT), owner);
        this.ipcCloseMemHandle = library.function("cuIpcCloseMemHandle", FunctionDescriptor.of(JAVA_INT, JAVA_LONG), owner);
    }

    /** @return the candidates tried by {@link #load()}, in order. */
    public static List<String> defaultCandidates()
    {
        return NativeLibraries.candidates(OVERRIDE_ENV, SONAME);
    }

    /** @return the process-wide driver library from {@link #defaultCandidates()}, or empty when none loads. */
    public static Optional<CudaDriverLibrary> load()
    {
        return DefaultHolder.LIBRARY;
    }

    /**
     * @param candidates sonames or paths to try, in order.
     * @return the first that loads, or empty.
     */
    public static Optional<CudaDriverLibrary> load(final List<String> candidates)
    {
        return DynamicLibrary.open(candidates).map(CudaDriverLibrary::new);
    }

    /** @return the soname or path that loaded. */
    public String name()
    {
        return library.name();
    }

    /**
     * @param symbol a C function name.
     * @return whether this library exports it.
     */
    public boolean exports(final String symbol)
    {
        return library.exports(symbol);
    }

    /**
     * cuInit: initialises the driver; must precede every other call but the version and error queries.
     *
     * @param flags see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int init(final int flags)
    {
        try
        {
            return (int)init.handle().invokeExact(flags);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuDriverGetVersion: the driver's CUDA version (1000*major + 10*minor) into an int.
     *
     * @param versionOut see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int driverGetVersion(final MemorySegment versionOut)
    {
        try
        {
            return (int)driverGetVersion.handle().invokeExact(versionOut);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuDeviceGetCount into an int.
     *
     * @param countOut see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int deviceGetCount(final MemorySegment countOut)
    {
        try
        {
            return (int)deviceGetCount.handle().invokeExact(countOut);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuDeviceGet: the CUdevice for an ordinal into an int.
     *
     * @param deviceOut see the CUDA Driver API reference.
     * @param ordinal see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int deviceGet(final MemorySegment deviceOut, final int ordinal)
    {
        try
        {
            return (int)deviceGet.handle().invokeExact(deviceOut, ordinal);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuDeviceGetName into a char buffer of {@code length} bytes.
     *
     * @param name see the CUDA Driver API reference.
     * @param length see the CUDA Driver API reference.
     * @param device see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int deviceGetName(final MemorySegment name, final int length, final int device)
    {
        try
        {
            return (int)deviceGetName.handle().invokeExact(name, length, device);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuDeviceGetAttribute into an int.
     *
     * @param valueOut see the CUDA Driver API reference.
     * @param attribute see the CUDA Driver API reference.
     * @param device see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int deviceGetAttribute(final MemorySegment valueOut, final int attribute, final int device)
    {
        try
        {
            return (int)deviceGetAttribute.handle().invokeExact(valueOut, attribute, device);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuDeviceGetPCIBusId: {@code domain:bus:device.function} into a char buffer.
     *
     * @param busId see the CUDA Driver API reference.
     * @param length see the CUDA Driver API reference.
     * @param device see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int deviceGetPciBusId(final MemorySegment busId, final int length, final int device)
    {
        try
        {
            return (int)deviceGetPciBusId.handle().invokeExact(busId, length, device);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuDeviceTotalMem_v2 into a size_t.
     *
     * @param bytesOut see the CUDA Driver API reference.
     * @param device see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int deviceTotalMem(final MemorySegment bytesOut, final int device)
    {
        try
        {
            return (int)deviceTotalMem.handle().invokeExact(bytesOut, device);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuDeviceGetUuid_v2 into a {@link CudaLayouts#CU_UUID}.
     *
     * @param uuidOut see the CUDA Driver API reference.
     * @param device see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int deviceGetUuid(final MemorySegment uuidOut, final int device)
    {
        try
        {
            return (int)deviceGetUuid.handle().invokeExact(uuidOut, device);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuDevicePrimaryCtxRetain: the device's primary context into a pointer slot.
     *
     * @param contextOut see the CUDA Driver API reference.
     * @param device see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int primaryCtxRetain(final MemorySegment contextOut, final int device)
    {
        try
        {
            return (int)primaryCtxRetain.handle().invokeExact(contextOut, device);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuDevicePrimaryCtxRelease_v2.
     *
     * @param device see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int primaryCtxRelease(final int device)
    {
        try
        {
            return (int)primaryCtxRelease.handle().invokeExact(device);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuCtxSetCurrent: binds a context to the calling thread ({@code NULL} unbinds).
     *
     * @param context see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int ctxSetCurrent(final MemorySegment context)
    {
        try
        {
            return (int)ctxSetCurrent.handle().invokeExact(context);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuCtxGetCurrent into a pointer slot.
     *
     * @param contextOut see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int ctxGetCurrent(final MemorySegment contextOut)
    {
        try
        {
            return (int)ctxGetCurrent.handle().invokeExact(contextOut);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuMemAlloc_v2: device memory in the current context into a CUdeviceptr.
     *
     * @param pointerOut see the CUDA Driver API reference.
     * @param bytes see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int memAlloc(final MemorySegment pointerOut, final long bytes)
    {
        try
        {
            return (int)memAlloc.handle().invokeExact(pointerOut, bytes);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuMemFree_v2.
     *
     * @param pointer see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int memFree(final long pointer)
    {
        try
        {
            return (int)memFree.handle().invokeExact(pointer);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuMemHostRegister_v2: page-locks existing host memory for DMA.
     *
     * @param host see the CUDA Driver API reference.
     * @param bytes see the CUDA Driver API reference.
     * @param flags see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int memHostRegister(final MemorySegment host, final long bytes, final int flags)
    {
        try
        {
            return (int)memHostRegister.handle().invokeExact(host, bytes, flags);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuMemHostUnregister.
     *
     * @param host see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int memHostUnregister(final MemorySegment host)
    {
        try
        {
            return (int)memHostUnregister.handle().invokeExact(host);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuMemcpyHtoD_v2: synchronous host-to-device copy.
     *
     * @param device see the CUDA Driver API reference.
     * @param host see the CUDA Driver API reference.
     * @param bytes see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int memcpyHtoD(final long device, final MemorySegment host, final long bytes)
    {
        try
        {
            return (int)memcpyHtoD.handle().invokeExact(device, host, bytes);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuMemcpyDtoH_v2: synchronous device-to-host copy.
     *
     * @param host see the CUDA Driver API reference.
     * @param device see the CUDA Driver API reference.
     * @param bytes see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int memcpyDtoH(final MemorySegment host, final long device, final long bytes)
    {
        try
        {
            return (int)memcpyDtoH.handle().invokeExact(host, device, bytes);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuMemcpyHtoDAsync_v2: host-to-device copy ordered on a stream; the host memory must stay valid until the stream passes it.
     *
     * @param device see the CUDA Driver API reference.
     * @param host see the CUDA Driver API reference.
     * @param bytes see the CUDA Driver API reference.
     * @param stream see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int memcpyHtoDAsync(final long device, final MemorySegment host, final long bytes, final MemorySegment stream)
    {
        try
        {
            return (int)memcpyHtoDAsync.handle().invokeExact(device, host, bytes, stream);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuMemcpyDtoHAsync_v2: device-to-host copy ordered on a stream.
     *
     * @param host see the CUDA Driver API reference.
     * @param device see the CUDA Driver API reference.
     * @param bytes see the CUDA Driver API reference.
     * @param stream see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int memcpyDtoHAsync(final MemorySegment host, final long device, final long bytes, final MemorySegment stream)
    {
        try
        {
            return (int)memcpyDtoHAsync.handle().invokeExact(host, device, bytes, stream);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuStreamCreate into a pointer slot.
     *
     * @param streamOut see the CUDA Driver API reference.
     * @param flags see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int streamCreate(final MemorySegment streamOut, final int flags)
    {
        try
        {
            return (int)streamCreate.handle().invokeExact(streamOut, flags);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuStreamDestroy_v2.
     *
     * @param stream see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int streamDestroy(final MemorySegment stream)
    {
        try
        {
            return (int)streamDestroy.handle().invokeExact(stream);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuStreamSynchronize: blocks until the stream's work is done.
     *
     * @param stream see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int streamSynchronize(final MemorySegment stream)
    {
        try
        {
            return (int)streamSynchronize.handle().invokeExact(stream);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuStreamQuery: {@link CudaResult#SUCCESS} when idle, {@link CudaResult#NOT_READY} while work is pending.
     *
     * @param stream see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int streamQuery(final MemorySegment stream)
    {
        try
        {
            return (int)streamQuery.handle().invokeExact(stream);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuEventCreate into a pointer slot.
     *
     * @param eventOut see the CUDA Driver API reference.
     * @param flags see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int eventCreate(final MemorySegment eventOut, final int flags)
    {
        try
        {
            return (int)eventCreate.handle().invokeExact(eventOut, flags);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuEventRecord: the event completes when the stream reaches this point.
     *
     * @param event see the CUDA Driver API reference.
     * @param stream see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int eventRecord(final MemorySegment event, final MemorySegment stream)
    {
        try
        {
            return (int)eventRecord.handle().invokeExact(event, stream);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuEventQuery: {@link CudaResult#SUCCESS} or {@link CudaResult#NOT_READY}.
     *
     * @param event see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int eventQuery(final MemorySegment event)
    {
        try
        {
            return (int)eventQuery.handle().invokeExact(event);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuEventSynchronize: blocks until the event completes.
     *
     * @param event see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int eventSynchronize(final MemorySegment event)
    {
        try
        {
            return (int)eventSynchronize.handle().invokeExact(event);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuEventDestroy_v2.
     *
     * @param event see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int eventDestroy(final MemorySegment event)
    {
        try
        {
            return (int)eventDestroy.handle().invokeExact(event);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuGetErrorName: a static C string pointer into a pointer slot.
     *
     * @param code see the CUDA Driver API reference.
     * @param nameOut see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int getErrorName(final int code, final MemorySegment nameOut)
    {
        try
        {
            return (int)getErrorName.handle().invokeExact(code, nameOut);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuGetErrorString: a static C string pointer into a pointer slot.
     *
     * @param code see the CUDA Driver API reference.
     * @param textOut see the CUDA Driver API reference.
     * @return the CUresult.
     */
    public int getErrorString(final int code, final MemorySegment textOut)
    {
        try
        {
            return (int)getErrorString.handle().invokeExact(code, textOut);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuIpcGetMemHandle: an opaque handle another process can map (the base of an allocation).
     *
     * @param handleOut a {@link CudaLayouts#CU_IPC_MEM_HANDLE} to fill.
     * @param pointer   the base of a cuMemAlloc allocation.
     * @return the CUresult.
     */
    public int ipcGetMemHandle(final MemorySegment handleOut, final long pointer)
    {
        try
        {
            return (int)ipcGetMemHandle.handle().invokeExact(handleOut, pointer);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuIpcOpenMemHandle_v2: maps another process's exported allocation (the handle by value).
     *
     * @param pointerOut a CUdeviceptr slot for the mapped base.
     * @param handle     a {@link CudaLayouts#CU_IPC_MEM_HANDLE}.
     * @param flags      {@link CudaLayouts#CU_IPC_MEM_LAZY_ENABLE_PEER_ACCESS} or 0.
     * @return the CUresult.
     */
    public int ipcOpenMemHandle(final MemorySegment pointerOut, final MemorySegment handle, final int flags)
    {
        try
        {
            return (int)ipcOpenMemHandle.handle().invokeExact(pointerOut, handle, flags);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /**
     * cuIpcCloseMemHandle: unmaps what {@link #ipcOpenMemHandle} mapped.
     *
     * @param pointer the mapped base.
     * @return the CUresult.
     */
    public int ipcCloseMemHandle(final long pointer)
    {
        try
        {
            return (int)ipcCloseMemHandle.handle().invokeExact(pointer);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static final class DefaultHolder
    {
        static final Optional<CudaDriverLibrary> LIBRARY = load(defaultCandidates());
    }
}
