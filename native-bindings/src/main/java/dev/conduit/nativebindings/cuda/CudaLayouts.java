package dev.conduit.nativebindings.cuda;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C types of the CUDA driver API subset, as {@code MemoryLayout}s (LP64, native byte order).
 * The layout test compiles a program against the installed {@code cuda.h} and compares every size,
 * offset and constant declared here.
 *
 * <pre>
 *  CUresult, CUdevice, CUdevice_attribute   int32
 *  CUdeviceptr                              uint64 (a device virtual address)
 *  CUcontext, CUstream, CUevent             opaque pointers
 *  CUuuid  { char bytes[16]; }              16 bytes, align 1
 * </pre>
 */
public final class CudaLayouts
{
    /** {@code CUresult}. */
    public static final ValueLayout.OfInt CU_RESULT = JAVA_INT;
    /** {@code CUdevice}. */
    public static final ValueLayout.OfInt CU_DEVICE = JAVA_INT;
    /** {@code CUdeviceptr}. */
    public static final ValueLayout.OfLong CU_DEVICEPTR = JAVA_LONG;
    /** {@code CUcontext}, {@code CUstream}, {@code CUevent}: opaque handles. */
    public static final AddressLayout CU_HANDLE = ADDRESS;
    /** {@code CUuuid}. */
    public static final StructLayout CU_UUID = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("bytes")).withName("CUuuid");

    /** {@code cuStreamCreate} flag: the stream does not synchronise with the NULL stream. */
    public static final int CU_STREAM_NON_BLOCKING = 0x1;
    /** {@code CUipcMemHandle}: 64 opaque bytes, passed by value to cuIpcOpenMemHandle. */
    public static final StructLayout CU_IPC_MEM_HANDLE = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(64, ValueLayout.JAVA_BYTE).withName("reserved")).withName("CUipcMemHandle");
    /** cuIpcOpenMemHandle flag: enable peer access lazily. */
    public static final int CU_IPC_MEM_LAZY_ENABLE_PEER_ACCESS = 0x1;
    /** {@code cuEventCreate} flag: default. */
    public static final int CU_EVENT_DEFAULT = 0x0;
    /** {@code cuEventCreate} flag: block (not spin) in cuEventSynchronize. */
    public static final int CU_EVENT_BLOCKING_SYNC = 0x1;
    /** {@code cuEventCreate} flag: no timing data (cheaper record/query). */
    public static final int CU_EVENT_DISABLE_TIMING = 0x2;
    /** {@code cuMemHostRegister} flag: pinned for every context. */
    public static final int CU_MEMHOSTREGISTER_PORTABLE = 0x01;
    /** {@code cuMemHostRegister} flag: map into the device address space. */
    public static final int CU_MEMHOSTREGISTER_DEVICEMAP = 0x02;
    /** {@code cuMemHostRegister} flag: the device only reads it. */
    public static final int CU_MEMHOSTREGISTER_READ_ONLY = 0x08;

    private CudaLayouts()
    {
    }

    /** @return C struct type name to its layout, for every struct these bindings declare. */
    public static Map<String, GroupLayout> structs()
    {
        return Map.of("CUuuid", CU_UUID);
    }

    /** @return C scalar type name to its layout. */
    public static Map<String, MemoryLayout> scalars()
    {
        final Map<String, MemoryLayout> m = new LinkedHashMap<>();
        m.put("CUresult", CU_RESULT);
        m.put("CUdevice", CU_DEVICE);
        m.put("CUdevice_attribute", JAVA_INT);
        m.put("CUdeviceptr", CU_DEVICEPTR);
        m.put("CUcontext", CU_HANDLE);
        m.put("CUstream", CU_HANDLE);
        m.put("CUevent", CU_HANDLE);
        return m;
    }

    /** @return C constant name to value, for every driver-API constant these bindings declare. */
    public static Map<String, Long> constants()
    {
        final Map<String, Long> m = new LinkedHashMap<>();
        CudaResult.known().forEach((name, value) -> m.put(name, value.longValue()));
        for (final CudaDeviceAttribute a : CudaDeviceAttribute.values())
        {
            m.put(a.cName(), (long)a.value());
        }
        m.put("CU_STREAM_NON_BLOCKING", (long)CU_STREAM_NON_BLOCKING);
        m.put("CU_EVENT_DEFAULT", (long)CU_EVENT_DEFAULT);
        m.put("CU_EVENT_BLOCKING_SYNC", (long)CU_EVENT_BLOCKING_SYNC);
        m.put("CU_EVENT_DISABLE_TIMING", (long)CU_EVENT_DISABLE_TIMING);
        m.put("CU_MEMHOSTREGISTER_PORTABLE", (long)CU_MEMHOSTREGISTER_PORTABLE);
        m.put("CU_MEMHOSTREGISTER_DEVICEMAP", (long)CU_MEMHOSTREGISTER_DEVICEMAP);
        m.put("CU_MEMHOSTREGISTER_READ_ONLY", (long)CU_MEMHOSTREGISTER_READ_ONLY);
        return m;
    }
}
