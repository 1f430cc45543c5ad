/*
 * spdk_test.h -- the subset of SPDK v25.09's public headers (spdk/env.h, spdk/nvme.h,
 * spdk/nvme_spec.h, spdk/nvmf_spec.h) that Conduit binds, transcribed for the TEST DOUBLE
 * (spdk_double.c) and for SpdkLayoutTest, which compares the Java layouts with gcc's view of this
 * file (and, where an SPDK build is present, of the real headers). Test-only, never shipped.
 */
#ifndef CONDUIT_SPDK_TEST_H
#define CONDUIT_SPDK_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPDK_NVMF_NQN_MAX_LEN 223
#define SPDK_NVMF_TRSTRING_MAX_LEN 32
#define SPDK_NVMF_TRADDR_MAX_LEN 256
#define SPDK_NVMF_TRSVCID_MAX_LEN 32

enum spdk_nvme_transport_type
{
    SPDK_NVME_TRANSPORT_PCIE = 256,
    SPDK_NVME_TRANSPORT_RDMA = 1,
    SPDK_NVME_TRANSPORT_FC = 2,
    SPDK_NVME_TRANSPORT_TCP = 3,
    SPDK_NVME_TRANSPORT_CUSTOM = 4096,
};

enum spdk_nvmf_adrfam
{
    SPDK_NVMF_ADRFAM_IPV4 = 0x1,
    SPDK_NVMF_ADRFAM_IPV6 = 0x2,
};

enum spdk_nvme_status_code_type
{
    SPDK_NVME_SCT_GENERIC = 0x0,
    SPDK_NVME_SCT_COMMAND_SPECIFIC = 0x1,
    SPDK_NVME_SCT_MEDIA_ERROR = 0x2,
    SPDK_NVME_SCT_PATH = 0x3,
    SPDK_NVME_SCT_VENDOR_SPECIFIC = 0x7,
};

enum spdk_nvme_generic_command_status_code
{
    SPDK_NVME_SC_SUCCESS = 0x00,
    SPDK_NVME_SC_INVALID_OPCODE = 0x01,
    SPDK_NVME_SC_INVALID_FIELD = 0x02,
    SPDK_NVME_SC_DATA_TRANSFER_ERROR = 0x04,
    SPDK_NVME_SC_INTERNAL_DEVICE_ERROR = 0x06,
    SPDK_NVME_SC_ABORTED_BY_REQUEST = 0x07,
    SPDK_NVME_SC_ABORTED_SQ_DELETION = 0x08,
    SPDK_NVME_SC_INVALID_NAMESPACE_OR_FORMAT = 0x0b,
    SPDK_NVME_SC_NAMESPACE_IS_WRITE_PROTECTED = 0x20,
    SPDK_NVME_SC_LBA_OUT_OF_RANGE = 0x80,
    SPDK_NVME_SC_CAPACITY_EXCEEDED = 0x81,
    SPDK_NVME_SC_NAMESPACE_NOT_READY = 0x82,
};

struct spdk_pci_addr;
struct spdk_nvme_ctrlr;
struct spdk_nvme_ns;
struct spdk_nvme_qpair;
struct spdk_nvme_ctrlr_opts;
struct spdk_nvme_cmd;

struct spdk_env_opts
{
    const char *name;
    const char *core_mask;
    const char *lcore_map;
    int shm_id;
    int mem_channel;
    int main_core;
    int mem_size;
    bool no_pci;
    bool hugepage_single_segments;
    bool unlink_hugepage;
    bool no_huge;
    uint32_t reserved;
    size_t num_pci_addr;
    const char *hugedir;
    struct spdk_pci_addr *pci_blocked;
    struct spdk_pci_addr *pci_allowed;
    const char *iova_mode;
    uint64_t base_virtaddr;
    void *env_context;
    const char *vf_token;
    size_t opts_size;
    bool enforce_numa;
    uint8_t reserved2[7];
};

struct spdk_nvme_transport_id
{
    char trstring[SPDK_NVMF_TRSTRING_MAX_LEN + 1];
    enum spdk_nvme_transport_type trtype;
    enum spdk_nvmf_adrfam adrfam;
    char traddr[SPDK_NVMF_TRADDR_MAX_LEN + 1];
    char trsvcid[SPDK_NVMF_TRSVCID_MAX_LEN + 1];
    char subnqn[SPDK_NVMF_NQN_MAX_LEN + 1];
    int priority;
};

struct spdk_nvme_status
{
    uint16_t p : 1;
    uint16_t sc : 8;
    uint16_t sct : 3;
    uint16_t crd : 2;
    uint16_t m : 1;
    uint16_t dnr : 1;
};

struct spdk_nvme_cpl
{
    uint32_t cdw0;
    uint32_t cdw1;
    uint16_t sqhd;
    uint16_t sqid;
    uint16_t cid;
    union
    {
        uint16_t status_raw;
        struct spdk_nvme_status status;
    };
};

enum spdk_nvme_qprio
{
    SPDK_NVME_QPRIO_URGENT = 0x0,
};

struct spdk_nvme_io_qpair_opts
{
    enum spdk_nvme_qprio qprio;
    uint32_t io_queue_size;
    uint32_t io_queue_requests;
    union
    {
        bool delay_cmd_submit;
        bool delay_pcie_doorbell;
    };
    uint8_t reserved13[3];
    struct
    {
        struct spdk_nvme_cmd *vaddr;
        uint64_t paddr;
        uint64_t buffer_size;
    } sq;
    struct
    {
        struct spdk_nvme_cpl *vaddr;
        uint64_t paddr;
        uint64_t buffer_size;
    } cq;
    bool create_only;
    bool async_mode;
    bool disable_pcie_sgl_merge;
    uint8_t reserved67[5];
    size_t opts_size;
};

/* Controller options: only the host NQN Conduit sets, at SPDK v25.09's offset (size and offset checked
   against SPDK's own header by SpdkLayoutTest); SPDK copies opts_size bytes, so the size must match too. */
struct spdk_nvme_ctrlr_opts
{
    uint8_t reserved0[28];
    char hostnqn[SPDK_NVMF_NQN_MAX_LEN + 1];
    uint8_t reserved252[604];
};

/* Identify Controller data: only the fields Conduit reads, at the offsets the NVMe base spec gives. */
struct spdk_nvme_ctrlr_data
{
    uint16_t vid;
    uint16_t ssvid;
    int8_t sn[20];
    int8_t mn[40];
    uint8_t fr[8];
    uint8_t reserved72[444];
    uint32_t nn;
    uint8_t reserved520[248];
    uint8_t subnqn[256];
    uint8_t reserved1024[3072];
};

typedef void (*spdk_nvme_cmd_cb)(void *ctx, const struct spdk_nvme_cpl *cpl);
typedef void (*spdk_nvme_req_reset_sgl_cb)(void *cb_arg, uint32_t offset);
typedef int (*spdk_nvme_req_next_sge_cb)(void *cb_arg, void **address, uint32_t *length);

void spdk_env_opts_init(struct spdk_env_opts *opts);
int spdk_env_init(const struct spdk_env_opts *opts);
void *spdk_dma_zmalloc(size_t size, size_t align, uint64_t *unused);
void spdk_dma_free(void *buf);
int spdk_mem_register(void *vaddr, size_t len);
int spdk_mem_unregister(void *vaddr, size_t len);

int spdk_nvme_transport_id_parse(struct spdk_nvme_transport_id *trid, const char *str);
struct spdk_nvme_ctrlr *spdk_nvme_connect(const struct spdk_nvme_transport_id *trid,
    const struct spdk_nvme_ctrlr_opts *opts, size_t opts_size);
int spdk_nvme_detach(struct spdk_nvme_ctrlr *ctrlr);
void spdk_nvme_ctrlr_get_default_ctrlr_opts(struct spdk_nvme_ctrlr_opts *opts, size_t opts_size);
const struct spdk_nvme_ctrlr_data *spdk_nvme_ctrlr_get_data(struct spdk_nvme_ctrlr *ctrlr);
uint32_t spdk_nvme_ctrlr_get_num_ns(struct spdk_nvme_ctrlr *ctrlr);
struct spdk_nvme_ns *spdk_nvme_ctrlr_get_ns(struct spdk_nvme_ctrlr *ctrlr, uint32_t ns_id);
bool spdk_nvme_ns_is_active(struct spdk_nvme_ns *ns);
uint32_t spdk_nvme_ns_get_sector_size(struct spdk_nvme_ns *ns);
uint64_t spdk_nvme_ns_get_num_sectors(struct spdk_nvme_ns *ns);
void spdk_nvme_ctrlr_get_default_io_qpair_opts(struct spdk_nvme_ctrlr *ctrlr,
    struct spdk_nvme_io_qpair_opts *opts, size_t opts_size);
struct spdk_nvme_qpair *spdk_nvme_ctrlr_alloc_io_qpair(struct spdk_nvme_ctrlr *ctrlr,
    const struct spdk_nvme_io_qpair_opts *opts, size_t opts_size);
int spdk_nvme_ctrlr_free_io_qpair(struct spdk_nvme_qpair *qpair);
int spdk_nvme_ns_cmd_read(struct spdk_nvme_ns *ns, struct spdk_nvme_qpair *qpair, void *payload,
    uint64_t lba, uint32_t lba_count, spdk_nvme_cmd_cb cb_fn, void *cb_arg, uint32_t io_flags);
int spdk_nvme_ns_cmd_write(struct spdk_nvme_ns *ns, struct spdk_nvme_qpair *qpair, void *payload,
    uint64_t lba, uint32_t lba_count, spdk_nvme_cmd_cb cb_fn, void *cb_arg, uint32_t io_flags);
int spdk_nvme_ns_cmd_readv(struct spdk_nvme_ns *ns, struct spdk_nvme_qpair *qpair,
    uint64_t lba, uint32_t lba_count, spdk_nvme_cmd_cb cb_fn, void *cb_arg, uint32_t io_flags,
    spdk_nvme_req_reset_sgl_cb reset_sgl_fn, spdk_nvme_req_next_sge_cb next_sge_fn);
int spdk_nvme_ns_cmd_writev(struct spdk_nvme_ns *ns, struct spdk_nvme_qpair *qpair,
    uint64_t lba, uint32_t lba_count, spdk_nvme_cmd_cb cb_fn, void *cb_arg, uint32_t io_flags,
    spdk_nvme_req_reset_sgl_cb reset_sgl_fn, spdk_nvme_req_next_sge_cb next_sge_fn);
int spdk_nvme_ns_cmd_flush(struct spdk_nvme_ns *ns, struct spdk_nvme_qpair *qpair,
    spdk_nvme_cmd_cb cb_fn, void *cb_arg);
int32_t spdk_nvme_qpair_process_completions(struct spdk_nvme_qpair *qpair, uint32_t max_completions);
int spdk_nvme_ctrlr_cmd_abort_ext(struct spdk_nvme_ctrlr *ctrlr, struct spdk_nvme_qpair *qpair, void *cmd_cb_arg,
    spdk_nvme_cmd_cb cb_fn, void *cb_arg);
int32_t spdk_nvme_ctrlr_process_admin_completions(struct spdk_nvme_ctrlr *ctrlr);

/* Test-only controls of the double (not SPDK API). */
void double_spdk_reset(void);
/* A controller the double answers spdk_nvme_connect for: namespace 1 of num_sectors x sector_size, in RAM. */
int double_spdk_add_target(const char *traddr, const char *trsvcid, const char *subnqn, uint32_t sector_size,
    uint64_t num_sectors);
/* Only this host NQN may connect to the target on trsvcid from now on (as a target's allow-list does). */
void double_spdk_allow_host(const char *trsvcid, const char *hostnqn);
/* The next `times` calls of function fail (connect/alloc: NULL; others: return -errno_value). */
void double_spdk_fail(const char *function, int errno_value, int times);
/* The next `times` I/O completions carry this status instead of success. */
void double_spdk_fail_status(int sct, int sc, int times);
/* Breaks every allocated queue pair's transport: the next process_completions aborts its requests and returns -ENXIO. */
void double_spdk_break_qpairs(void);
/* Requests each process_completions call completes at most (0: all; -1: none, as if the device had not answered). */
void double_spdk_set_completions_per_poll(int n);
long double_spdk_call_count(const char *function);
long double_spdk_outstanding_dma(void);
/* Commands submitted to any queue pair and not completed. */
long double_spdk_outstanding_commands(void);

#endif /* CONDUIT_SPDK_TEST_H */
