package dev.conduit.nativebindings.spdk;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The SPDK v25.09 structs Conduit passes across the boundary, as {@code MemoryLayout}s (LP64,
 * native byte order). Field names match SPDK's headers so the layout test can ask gcc for every
 * {@code offsetof}, against the transcribed test header and, where SPDK is built, the real one.
 *
 * <pre>
 *  struct spdk_env_opts            128 (SPDK asserts it) name@0 .. mem_size@36 no_huge@43 opts_size@112
 *  struct spdk_nvme_transport_id   564 trstring[33]@0 trtype@36 adrfam@40 traddr[257]@44
 *                                      trsvcid[33]@301 subnqn[224]@334 priority@560
 *  struct spdk_nvme_cpl             16 cdw0@0 cdw1@4 sqhd@8 sqid@10 cid@12 status_raw@14
 *  struct spdk_nvme_io_qpair_opts   80 (SPDK asserts it) io_queue_size@4 io_queue_requests@8 opts_size@72
 *  struct spdk_nvme_ctrlr_data    4096 read by offset only: vid@0 sn@4 mn@24 fr@64 nn@516 subnqn@768
 * </pre>
 */
public final class SpdkLayouts
{
    /** {@code struct spdk_env_opts}. */
    public static final GroupLayout ENV_OPTS = MemoryLayout.structLayout(
        ADDRESS.withName("name"),
        ADDRESS.withName("core_mask"),
        ADDRESS.withName("lcore_map"),
        JAVA_INT.withName("shm_id"),
        JAVA_INT.withName("mem_channel"),
        JAVA_INT.withName("main_core"),
        JAVA_INT.withName("mem_size"),
        JAVA_BOOLEAN.withName("no_pci"),
        JAVA_BOOLEAN.withName("hugepage_single_segments"),
        JAVA_BOOLEAN.withName("unlink_hugepage"),
        JAVA_BOOLEAN.withName("no_huge"),
        JAVA_INT.withName("reserved"),
        JAVA_LONG.withName("num_pci_addr"),
        ADDRESS.withName("hugedir"),
        ADDRESS.withName("pci_blocked"),
        ADDRESS.withName("pci_allowed"),
        ADDRESS.withName("iova_mode"),
        JAVA_LONG.withName("base_virtaddr"),
        ADDRESS.withName("env_context"),
        ADDRESS.withName("vf_token"),
        JAVA_LONG.withName("opts_size"),
        JAVA_BOOLEAN.withName("enforce_numa"),
        MemoryLayout.sequenceLayout(7, JAVA_BYTE).withName("reserved2"));

    /** {@code struct spdk_nvme_transport_id}. */
    public static final GroupLayout TRANSPORT_ID = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(33, JAVA_BYTE).withName("trstring"),
        MemoryLayout.paddingLayout(3),
        JAVA_INT.withName("trtype"),
        JAVA_INT.withName("adrfam"),
        MemoryLayout.sequenceLayout(257, JAVA_BYTE).withName("traddr"),
        MemoryLayout.sequenceLayout(33, JAVA_BYTE).withName("trsvcid"),
        MemoryLayout.sequenceLayout(224, JAVA_BYTE).withName("subnqn"),
        MemoryLayout.paddingLayout(2),
        JAVA_INT.withName("priority"));

    /** {@code struct spdk_nvme_cpl}, the completion queue entry a callback receives. */
    public static final GroupLayout CPL = MemoryLayout.structLayout(
        JAVA_INT.withName("cdw0"),
        JAVA_INT.withName("cdw1"),
        JAVA_SHORT.withName("sqhd"),
        JAVA_SHORT.withName("sqid"),
        JAVA_SHORT.withName("cid"),
        JAVA_SHORT.withName("status_raw"));

    private static final GroupLayout SQ_CQ = MemoryLayout.structLayout(
        ADDRESS.withName("vaddr"), JAVA_LONG.withName("paddr"), JAVA_LONG.withName("buffer_size"));

    /** {@code struct spdk_nvme_io_qpair_opts}. */
    public static final GroupLayout IO_QPAIR_OPTS = MemoryLayout.structLayout(
        JAVA_INT.withName("qprio"),
        JAVA_INT.withName("io_queue_size"),
        JAVA_INT.withName("io_queue_requests"),
        JAVA_BOOLEAN.withName("delay_cmd_submit"),
        MemoryLayout.sequenceLayout(3, JAVA_BYTE).withName("reserved13"),
        SQ_CQ.withName("sq"),
        SQ_CQ.withName("cq"),
        JAVA_BOOLEAN.withName("create_only"),
        JAVA_BOOLEAN.withName("async_mode"),
        JAVA_BOOLEAN.withName("disable_pcie_sgl_merge"),
        MemoryLayout.sequenceLayout(5, JAVA_BYTE).withName("reserved67"),
        JAVA_LONG.withName("opts_size"));

    /** {@code sizeof(struct spdk_nvme_ctrlr_data)}: the Identify Controller page. */
    public static final long CTRLR_DATA_SIZE = 4096;
    /** Offset of {@code vid} (PCI vendor id, u16). */
    public static final long CTRLR_DATA_VID = 0;
    /** Offset of {@code sn} (serial number, 20 ASCII bytes, space-padded). */
    public static final long CTRLR_DATA_SN = 4;
    /** Offset of {@code mn} (model number, 40 bytes). */
    public static final long CTRLR_DATA_MN = 24;
    /** Offset of {@code fr} (firmware revision, 8 bytes). */
    public static final long CTRLR_DATA_FR = 64;
    /** Offset of {@code nn} (number of namespaces, u32). */
    public static final long CTRLR_DATA_NN = 516;
    /** Offset of {@code subnqn} (256 bytes, NUL-terminated). */
    public static final long CTRLR_DATA_SUBNQN = 768;

    /** {@code sizeof(struct spdk_nvme_ctrlr_opts)} (SPDK v25.09), passed as its {@code opts_size}. */
    public static final long CTRLR_OPTS_SIZE = 856;
    /** Offset of {@code spdk_nvme_ctrlr_opts.hostnqn} (NUL-terminated). */
    public static final long CTRLR_OPTS_HOSTNQN = 28;
    /** Bytes of {@code spdk_nvme_ctrlr_opts.hostnqn}, the NUL included. */
    public static final long CTRLR_OPTS_HOSTNQN_BYTES = 224;

    /** Offset of {@code spdk_env_opts.name}. */
    public static final long ENV_OPTS_NAME = offset(ENV_OPTS, "name");
    /** Offset of {@code spdk_env_opts.core_mask}. */
    public static final long ENV_OPTS_CORE_MASK = offset(ENV_OPTS, "core_mask");
    /** Offset of {@code spdk_env_opts.shm_id}. */
    public static final long ENV_OPTS_SHM_ID = offset(ENV_OPTS, "shm_id");
    /** Offset of {@code spdk_env_opts.mem_size} (MiB; -1: the environment's default). */
    public static final long ENV_OPTS_MEM_SIZE = offset(ENV_OPTS, "mem_size");
    /** Offset of {@code spdk_env_opts.no_pci}. */
    public static final long ENV_OPTS_NO_PCI = offset(ENV_OPTS, "no_pci");
    /** Offset of {@code spdk_env_opts.no_huge}. */
    public static final long ENV_OPTS_NO_HUGE = offset(ENV_OPTS, "no_huge");
    /** Offset of {@code spdk_env_opts.opts_size}. */
    public static final long ENV_OPTS_OPTS_SIZE = offset(ENV_OPTS, "opts_size");
    /** Offset of {@code spdk_nvme_transport_id.trtype}. */
    public static final long TRID_TRTYPE = offset(TRANSPORT_ID, "trtype");
    /** Offset of {@code spdk_nvme_transport_id.trstring}. */
    public static final long TRID_TRSTRING = offset(TRANSPORT_ID, "trstring");
    /** Offset of {@code spdk_nvme_transport_id.traddr}. */
    public static final long TRID_TRADDR = offset(TRANSPORT_ID, "traddr");
    /** Offset of {@code spdk_nvme_transport_id.trsvcid}. */
    public static final long TRID_TRSVCID = offset(TRANSPORT_ID, "trsvcid");
    /** Offset of {@code spdk_nvme_transport_id.subnqn}. */
    public static final long TRID_SUBNQN = offset(TRANSPORT_ID, "subnqn");
    /** Offset of {@code spdk_nvme_cpl.cdw0}. */
    public static final long CPL_CDW0 = offset(CPL, "cdw0");
    /** Offset of {@code spdk_nvme_cpl.status_raw}: phase bit 0, SC bits 1-8, SCT bits 9-11, DNR bit 15. */
    public static final long CPL_STATUS = offset(CPL, "status_raw");
    /** Offset of {@code spdk_nvme_io_qpair_opts.io_queue_size}. */
    public static final long QPAIR_OPTS_IO_QUEUE_SIZE = offset(IO_QPAIR_OPTS, "io_queue_size");
    /** Offset of {@code spdk_nvme_io_qpair_opts.io_queue_requests}. */
    public static final long QPAIR_OPTS_IO_QUEUE_REQUESTS = offset(IO_QPAIR_OPTS, "io_queue_requests");

    private SpdkLayouts()
    {
    }

    /** @return C type name to layout of every struct above, for the layout test. */
    public static Map<String, GroupLayout> structs()
    {
        final Map<String, GroupLayout> out = new LinkedHashMap<>();
        out.put("struct spdk_env_opts", ENV_OPTS);
        out.put("struct spdk_nvme_transport_id", TRANSPORT_ID);
        out.put("struct spdk_nvme_cpl", CPL);
        out.put("struct spdk_nvme_io_qpair_opts", IO_QPAIR_OPTS);
        return out;
    }

    /** @return C expression to value of the offsets read without a struct layout, for the layout test. */
    public static Map<String, Long> constants()
    {
        final Map<String, Long> out = new LinkedHashMap<>();
        out.put("sizeof(struct spdk_nvme_ctrlr_data)", CTRLR_DATA_SIZE);
        out.put("offsetof(struct spdk_nvme_ctrlr_data, vid)", CTRLR_DATA_VID);
        out.put("offsetof(struct spdk_nvme_ctrlr_data, sn)", CTRLR_DATA_SN);
        out.put("offsetof(struct spdk_nvme_ctrlr_data, mn)", CTRLR_DATA_MN);
        out.put("offsetof(struct spdk_nvme_ctrlr_data, fr)", CTRLR_DATA_FR);
        out.put("offsetof(struct spdk_nvme_ctrlr_data, nn)", CTRLR_DATA_NN);
        out.put("offsetof(struct spdk_nvme_ctrlr_data, subnqn)", CTRLR_DATA_SUBNQN);
        out.put("sizeof(struct spdk_nvme_ctrlr_opts)", CTRLR_OPTS_SIZE);
        out.put("offsetof(struct spdk_nvme_ctrlr_opts, hostnqn)", CTRLR_OPTS_HOSTNQN);
        out.put("sizeof(((struct spdk_nvme_ctrlr_opts *) 0)->hostnqn)", CTRLR_OPTS_HOSTNQN_BYTES);
        out.putAll(SpdkStatus.constants());
        return out;
    }

    private static long offset(final GroupLayout layout, final String field)
    {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }
}
