package dev.conduit.nativebindings.cufile;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The cuFile structs as {@code MemoryLayout}s (x86_64/aarch64 LP64, native byte order), with the
 * field offsets the bindings use. Field names match {@code cufile.h}, so the layout test can ask
 * the C compiler for every {@code offsetof} against the transcribed test header.
 *
 * <pre>
 *  CUfileError_t     8  { err@0 i32, cu_err@4 i32 }                           returned BY VALUE
 *  CUfileDescr_t    24  { type@0 i32, pad, handle@8 union{fd i32 | handle ptr}, fs_ops@16 ptr }
 *  CUfileIOParams_t 64  { mode@0 i32, pad, u.batch@8 {devPtr_base@8, file_offset@16,
 *                         devPtr_offset@24, size@32}, fh@40, opcode@48 i32, pad, cookie@56 }
 *  CUfileIOEvents_t 24  { cookie@0, status@8 i32, pad, ret@16 size_t }
 *  CUfileIOVec_t    16  { base@0, len@8 }
 *  CUfileDrvProps_t 56  { nvfs@0 { major_version@0, minor_version@4, poll_thresh_size@8,
 *                         max_direct_io_size@16, dstatusflags@24, dcontrolflags@28 },
 *                         fflags@32, max_device_cache_size@36, per_buffer_cache_size@40,
 *                         max_device_pinned_mem_size@44, max_batch_io_size@48,
 *                         max_batch_io_timeout_msecs@52 }
 *  CUfileOpCounter_t 16 { ok@0 u64, err@8 u64 }
 *  CUfileStatsLevel1_t  6 op counters, 10 u64, 15 op counters, 12 u64
 *  struct timespec   16 { tv_sec@0, tv_nsec@8 }
 * </pre>
 */
public final class CuFileLayouts
{
    /** {@code CUfileError_t}. */
    public static final StructLayout ERROR = MemoryLayout.structLayout(
        JAVA_INT.withName("err"), JAVA_INT.withName("cu_err")).withName("CUfileError");

    /** {@code CUfileDescr_t}; zero it before use so that {@code fs_ops} is NULL. */
    public static final StructLayout DESCR = MemoryLayout.structLayout(
        JAVA_INT.withName("type"),
        MemoryLayout.paddingLayout(4),
        MemoryLayout.unionLayout(JAVA_INT.withName("fd"), ADDRESS.withName("handle")).withName("handle"),
        ADDRESS.withName("fs_ops")).withName("CUfileDescr");

    private static final StructLayout BATCH_PARAMS = MemoryLayout.structLayout(
        ADDRESS.withName("devPtr_base"),
        JAVA_LONG.withName("file_offset"),
        JAVA_LONG.withName("devPtr_offset"),
        JAVA_LONG.withName("size")).withName("batch");
    private static final UnionLayout IO_PARAMS_UNION = MemoryLayout.unionLayout(BATCH_PARAMS).withName("u");

    /** {@code CUfileIOParams_t}, one batch entry. */
    public static final StructLayout IO_PARAMS = MemoryLayout.structLayout(
        JAVA_INT.withName("mode"),
        MemoryLayout.paddingLayout(4),
        IO_PARAMS_UNION,
        ADDRESS.withName("fh"),
        JAVA_INT.withName("opcode"),
        MemoryLayout.paddingLayout(4),
        ADDRESS.withName("cookie")).withName("CUfileIOParams");

    /** {@code CUfileIOEvents_t}, one batch completion. */
    public static final StructLayout IO_EVENTS = MemoryLayout.structLayout(
        ADDRESS.withName("cookie"),
        JAVA_INT.withName("status"),
        MemoryLayout.paddingLayout(4),
        JAVA_LONG.withName("ret")).withName("CUfileIOEvents");

    /** {@code CUfileIOVec_t} (cuFileReadv/Writev). */
    public static final StructLayout IO_VEC = MemoryLayout.structLayout(
        ADDRESS.withName("base"), JAVA_LONG.withName("len")).withName("CUfileIOVec");

    private static final StructLayout NVFS = MemoryLayout.structLayout(
        JAVA_INT.withName("major_version"),
        JAVA_INT.withName("minor_version"),
        JAVA_LONG.withName("poll_thresh_size"),
        JAVA_LONG.withName("max_direct_io_size"),
        JAVA_INT.withName("dstatusflags"),
        JAVA_INT.withName("dcontrolflags")).withName("nvfs");

    /** {@code CUfileDrvProps_t} (current headers; older ones end before {@code max_batch_io_size}). */
    public static final StructLayout DRV_PROPS = MemoryLayout.structLayout(
        NVFS,
        JAVA_INT.withName("fflags"),
        JAVA_INT.withName("max_device_cache_size"),
        JAVA_INT.withName("per_buffer_cache_size"),
        JAVA_INT.withName("max_device_pinned_mem_size"),
        JAVA_INT.withName("max_batch_io_size"),
        JAVA_INT.withName("max_batch_io_timeout_msecs")).withName("CUfileDrvProps");

    /**
     * Bytes allocated for a {@code CUfileDrvProps_t} out parameter: more than {@link #DRV_PROPS}
     * so that a library built against a longer struct cannot write past our buffer.
     */
    public static final long DRV_PROPS_ALLOCATION = 128;

    /** {@code CUfileOpCounter_t}. */
    public static final StructLayout OP_COUNTER = MemoryLayout.structLayout(
        JAVA_LONG.withName("ok"), JAVA_LONG.withName("err")).withName("CUfileOpCounter");

    /** {@code CUfileStatsLevel1_t}. */
    public static final StructLayout STATS_LEVEL1 = statsLevel1();

    /** {@code struct timespec} (cuFileBatchIOGetStatus timeout). */
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
        JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec")).withName("timespec");

    /** Offset of {@code CUfileDescr_t.handle.fd}. */
    public static final long DESCR_FD = DESCR.byteOffset(groupElement("handle"), groupElement("fd"));
    /** Offset of {@code CUfileIOParams_t.u.batch.devPtr_base}. */
    public static final long IO_PARAMS_BASE = batchOffset("devPtr_base");
    /** Offset of {@code CUfileIOParams_t.u.batch.file_offset}. */
    public static final long IO_PARAMS_FILE_OFFSET = batchOffset("file_offset");
    /** Offset of {@code CUfileIOParams_t.u.batch.devPtr_offset}. */
    public static final long IO_PARAMS_BUFFER_OFFSET = batchOffset("devPtr_offset");
    /** Offset of {@code CUfileIOParams_t.u.batch.size}. */
    public static final long IO_PARAMS_SIZE = batchOffset("size");
    /** Offset of {@code CUfileIOParams_t.fh}. */
    public static final long IO_PARAMS_FH = IO_PARAMS.byteOffset(groupElement("fh"));
    /** Offset of {@code CUfileIOParams_t.opcode}. */
    public static final long IO_PARAMS_OPCODE = IO_PARAMS.byteOffset(groupElement("opcode"));
    /** Offset of {@code CUfileIOParams_t.cookie}. */
    public static final long IO_PARAMS_COOKIE = IO_PARAMS.byteOffset(groupElement("cookie"));
    /** Offset of {@code CUfileIOEvents_t.cookie}. */
    public static final long IO_EVENTS_COOKIE = IO_EVENTS.byteOffset(groupElement("cookie"));
    /** Offset of {@code CUfileIOEvents_t.status}. */
    public static final long IO_EVENTS_STATUS = IO_EVENTS.byteOffset(groupElement("status"));
    /** Offset of {@code CUfileIOEvents_t.ret}. */
    public static final long IO_EVENTS_RET = IO_EVENTS.byteOffset(groupElement("ret"));

    private CuFileLayouts()
    {
    }

    /**
     * @param layout a struct of this class.
     * @param path   dotted C member path, e.g. {@code nvfs.dstatusflags}.
     * @return its byte offset.
     */
    public static long offset(final GroupLayout layout, final String path)
    {
        final String[] parts = path.split("\\.");
        final MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            elements[i] = groupElement(parts[i]);
        }
        return layout.byteOffset(elements);
    }

    /** @return C type name to layout, for every struct these bindings declare. */
    public static Map<String, GroupLayout> structs()
    {
        final Map<String, GroupLayout> m = new LinkedHashMap<>();
        m.put("CUfileError_t", ERROR);
        m.put("CUfileDescr_t", DESCR);
        m.put("CUfileIOParams_t", IO_PARAMS);
        m.put("CUfileIOEvents_t", IO_EVENTS);
        m.put("CUfileIOVec_t", IO_VEC);
        m.put("CUfileDrvProps_t", DRV_PROPS);
        m.put("CUfileOpCounter_t", OP_COUNTER);
        m.put("CUfileStatsLevel1_t", STATS_LEVEL1);
        m.put("struct timespec", TIMESPEC);
        return m;
    }

    /** @return C scalar type name to layout. */
    public static Map<String, MemoryLayout> scalars()
    {
        final Map<String, MemoryLayout> m = new LinkedHashMap<>();
        m.put("CUfileHandle_t", ADDRESS);
        m.put("CUfileBatchHandle_t", ADDRESS);
        m.put("CUfileOpError", JAVA_INT);
        m.put("CUfileStatus_t", JAVA_INT);
        m.put("CUfileOpcode_t", JAVA_INT);
        m.put("CUfileBatchMode_t", JAVA_INT);
        m.put("CUFileSizeTConfigParameter_t", JAVA_INT);
        m.put("CUFileBoolConfigParameter_t", JAVA_INT);
        m.put("CUFileStringConfigParameter_t", JAVA_INT);
        m.put("off_t", JAVA_LONG);
        m.put("size_t", JAVA_LONG);
        m.put("ssize_t", JAVA_LONG);
        m.put("bool", ValueLayout.JAVA_BOOLEAN);
        return m;
    }

    private static long batchOffset(final String field)
    {
        return IO_PARAMS.byteOffset(groupElement("u"), groupElement("batch"), groupElement(field));
    }

    private static StructLayout statsLevel1()
    {
        final String[] headCounters = {
            "read_ops", "write_ops", "hdl_register_ops", "hdl_deregister_ops", "buf_register_ops", "buf_deregister_ops"};
        final String[] headValues = {
            "read_bytes", "write_bytes", "read_bw_bytes_per_sec", "write_bw_bytes_per_sec", "read_lat_avg_us",
            "write_lat_avg_us", "read_ops_per_sec", "write_ops_per_sec", "read_lat_sum_us", "write_lat_sum_us"};
        final String[] batchCounters = {
            "batch_submit_ops", "batch_complete_ops", "batch_setup_ops", "batch_cancel_ops", "batch_destroy_ops",
            "batch_enqueued_ops", "batch_posix_enqueued_ops", "batch_processed_ops", "batch_posix_processed_ops",
            "batch_nvfs_submit_ops", "batch_p2p_submit_ops", "batch_aio_submit_ops", "batch_iouring_submit_ops",
            "batch_mixed_io_submit_ops", "batch_total_submit_ops"};
        final String[] batchValues = {
            "batch_read_bytes", "batch_write_bytes", "batch_read_bw_bytes", "batch_write_bw_bytes",
            "batch_submit_lat_avg_us", "batch_completion_lat_avg_us", "batch_submit_ops_per_sec",
            "batch_complete_ops_per_sec", "batch_submit_lat_sum_us", "batch_completion_lat_sum_us",
            "last_batch_read_bytes", "last_batch_write_bytes"};
        final java.util.List<MemoryLayout> members = new java.util.ArrayList<>();
        for (final String n : headCounters)
        {
            members.add(OP_COUNTER.withName(n));
        }
        for (final String n : headValues)
        {
            members.add(JAVA_LONG.withName(n));
        }
        for (final String n : batchCounters)
        {
            members.add(OP_COUNTER.withName(n));
        }
        for (final String n : batchValues)
        {
            members.add(JAVA_LONG.withName(n));
        }
        return MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new)).withName("CUfileStatsLevel1");
    }
}
