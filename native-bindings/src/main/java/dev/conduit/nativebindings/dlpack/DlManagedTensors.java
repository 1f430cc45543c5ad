package dev.conduit.nativebindings.dlpack;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.conduit.nativebindings.NativeRuntime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Builds {@code DLManagedTensor}s whose {@code deleter} is one FFM upcall stub into
 * {@link #onDelete}: it runs the exporter's release action (e.g. return a buffer to its pool) and
 * frees the struct. The consumer calls the deleter exactly once; until then the memory stays lent.
 *
 * <pre>
 *   DLManagedTensor (64 bytes)
 *   0  data          void*        base of the memory
 *   8  device_type   int32        {@link #DEVICE_CUDA} or {@link #DEVICE_CPU}
 *   12 device_id     int32
 *   16 ndim          int32
 *   20 dtype         {u8 code, u8 bits, u16 lanes}
 *   24 shape         int64*       ndim entries, in the same allocation
 *   32 strides       int64*       NULL: compact row-major
 *   40 byte_offset   uint64       offset of the first element from data
 *   48 manager_ctx   void*        Conduit's id of this export
 *   56 deleter       void(*)(DLManagedTensor*)
 * </pre>
 *
 * <p>Threading: export from any thread; the deleter may run on any thread, including a
 * non-Java one (the upcall attaches it). A release action that throws cannot propagate into C; it
 * is kept for {@link #lastDeleterFailure()} and counted.
 */
public final class DlManagedTensors
{
    /** {@code kDLCPU}. */
    public static final int DEVICE_CPU = 1;
    /** {@code kDLCUDA}. */
    public static final int DEVICE_CUDA = 2;

    /** {@code DLManagedTensor}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        ADDRESS.withName("data"),
        JAVA_INT.withName("device_type"),
        JAVA_INT.withName("device_id"),
        JAVA_INT.withName("ndim"),
        JAVA_BYTE.withName("dtype_code"),
        JAVA_BYTE.withName("dtype_bits"),
        JAVA_SHORT.withName("dtype_lanes"),
        ADDRESS.withName("shape"),
        ADDRESS.withName("strides"),
        JAVA_LONG.withName("byte_offset"),
        ADDRESS.withName("manager_ctx"),
        ADDRESS.withName("deleter")).withName("DLManagedTensor");

    private static final long DATA = 0;
    private static final long DEVICE_TYPE = 8;
    private static final long DEVICE_ID = 12;
    private static final long NDIM = 16;
    private static final long DTYPE_CODE = 20;
    private static final long DTYPE_BITS = 21;
    private static final long DTYPE_LANES = 22;
    private static final long SHAPE = 24;
    private static final long STRIDES = 32;
    private static final long BYTE_OFFSET = 40;
    private static final long MANAGER_CTX = 48;
    private static final long DELETER = 56;

    private static final Map<Long, Export> LIVE = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_ID = new AtomicLong(1);
    private static final AtomicLong DELETER_FAILURES = new AtomicLong();
    private static final AtomicReference<Throwable> LAST_FAILURE = new AtomicReference<>();
    private static final MemorySegment DELETER_STUB = deleterStub();
    private static final MethodHandle CALL_DELETER = Linker.nativeLinker().downcallHandle(FunctionDescriptor.ofVoid(ADDRESS));

    private DlManagedTensors()
    {
    }

    /**
     * @param data        base address of the memory (device or host).
     * @param deviceType  {@link #DEVICE_CUDA} or {@link #DEVICE_CPU}.
     * @param deviceId    CUDA ordinal (0 for the CPU).
     * @param byteOffset  offset of the first element from {@code data}.
     * @param shape       extent of each dimension, row-major.
     * @param dtype       element type.
     * @param onDelete    what the deleter does (e.g. return the buffer); runs once.
     * @return the {@code DLManagedTensor}, valid until its deleter has run.
     */
    public static MemorySegment export(
        final long data, final int deviceType, final int deviceId, final long byteOffset, final long[] shape,
        final DlDataType dtype, final Runnable onDelete)
    {
        final Arena arena = Arena.ofShared();
        final MemorySegment tensor = arena.allocate(LAYOUT.byteSize() + 8L * shape.length, 16);
        final MemorySegment dims = tensor.asSlice(LAYOUT.byteSize());
        for (int i = 0; i < shape.length; i++)
        {
            dims.setAtIndex(JAVA_LONG, i, shape[i]);
        }
        final long id = NEXT_ID.getAndIncrement();
        tensor.set(JAVA_LONG, DATA, data);
        tensor.set(JAVA_INT, DEVICE_TYPE, deviceType);
        tensor.set(JAVA_INT, DEVICE_ID, deviceId);
        tensor.set(JAVA_INT, NDIM, shape.length);
        tensor.set(JAVA_BYTE, DTYPE_CODE, (byte)dtype.code());
        tensor.set(JAVA_BYTE, DTYPE_BITS, (byte)dtype.bits());
        tensor.set(JAVA_SHORT, DTYPE_LANES, (short)dtype.lanes());
        tensor.set(ADDRESS, SHAPE, dims);
        tensor.set(ADDRESS, STRIDES, MemorySegment.NULL);
        tensor.set(JAVA_LONG, BYTE_OFFSET, byteOffset);
        tensor.set(JAVA_LONG, MANAGER_CTX, id);
        tensor.set(ADDRESS, DELETER, DELETER_STUB);
        LIVE.put(id, new Export(arena, onDelete));
        return tensor;
    }

    /**
     * Calls the tensor's deleter through its C function pointer, exactly as a consumer does.
     *
     * @param tensor a {@code DLManagedTensor} (any producer's).
     */
    public static void callDeleter(final MemorySegment tensor)
    {
        // A raw address, as C would hold it: passing the exporter's own segment would keep its arena
        // acquired for the duration of the call, and the deleter could not free it.
        final MemorySegment view = MemorySegment.ofAddress(tensor.address()).reinterpret(LAYOUT.byteSize());
        final MemorySegment deleter = view.get(ADDRESS, DELETER);
        if (deleter.equals(MemorySegment.NULL))
        {
            return;
        }
        try
        {
            CALL_DELETER.invokeExact(deleter, view);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    /** @return tensors exported and not yet deleted. */
    public static int liveCount()
    {
        return LIVE.size();
    }

    /** @return release actions that threw inside a deleter since start. */
    public static long deleterFailures()
    {
        return DELETER_FAILURES.get();
    }

    /** @return the latest exception a release action threw inside a deleter, or null. */
    public static Throwable lastDeleterFailure()
    {
        return LAST_FAILURE.get();
    }

    /** The upcall target: never throws into C. */
    static void onDelete(final MemorySegment tensor)
    {
        try
        {
            final long id = tensor.reinterpret(LAYOUT.byteSize()).get(JAVA_LONG, MANAGER_CTX);
            final Export export = LIVE.remove(id);
            if (export == null)
            {
                throw new IllegalStateException("DLPack deleter called for unknown or already deleted export " + id);
            }
            try
            {
                export.onDelete.run();
            }
            finally
            {
                export.arena.close();
            }
        }
        catch (final Throwable t)
        {
            DELETER_FAILURES.incrementAndGet();
            LAST_FAILURE.set(t);
        }
    }

    private static MemorySegment deleterStub()
    {
        try
        {
            final MethodHandle target = MethodHandles.lookup().findStatic(DlManagedTensors.class, "onDelete",
                MethodType.methodType(void.class, MemorySegment.class));
            return Linker.nativeLinker().upcallStub(target, FunctionDescriptor.ofVoid(ADDRESS), Arena.global());
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private record Export(Arena arena, Runnable onDelete)
    {
    }
}
