/*
 * spdk_double.c -- libspdk_double.so, a TEST DOUBLE of the SPDK subset Conduit binds (env, NVMe
 * driver). Never shipped, never a fallback: tests point CONDUIT_SPDK_LIB at it.
 *
 * It keeps SPDK's contracts where Conduit depends on them:
 *   - spdk_env_init succeeds once per process (a second call fails, as DPDK's EAL cannot init
 *     twice); spdk_mem_register needs 2 MiB-aligned address and length (-EINVAL otherwise);
 *   - spdk_nvme_transport_id_parse takes whitespace-separated key:value (or key=value) pairs with
 *     case-insensitive keys trtype, adrfam, traddr, trsvcid, subnqn, priority; hostnqn, hostaddr,
 *     hostsvcid, ns and alt_traddr are skipped (SPDK leaves them to the application); unknown keys fail;
 *   - spdk_nvme_connect answers only for targets added with double_spdk_add_target (NULL else), and
 *     for one restricted with double_spdk_allow_host only when the options carry that host NQN;
 *   - commands are queued at submission and completed, callback included, only inside
 *     spdk_nvme_qpair_process_completions on the caller's thread, at most max_completions per call;
 *     a full queue pair (io_queue_requests outstanding) refuses a submission with -ENOMEM;
 *     readv/writev walk the caller's reset_sgl/next_sge callbacks at submission, as the TCP
 *     transport does when it builds its PDU;
 *   - the device checks the LBA range (SCT 0 / SC 0x80 at completion, not at submission);
 *   - freeing a queue pair (also through spdk_nvme_detach) completes what it still holds with
 *     ABORTED - SQ DELETION before it returns; a broken transport (double_spdk_break_qpairs) makes
 *     process_completions abort every outstanding command the same way and return -ENXIO.
 *   - spdk_nvme_ctrlr_cmd_abort_ext marks the queue pair's commands with that callback argument
 *     (-ENOENT when there is none): each then completes with ABORTED - BY REQUEST instead of running;
 *     the abort itself is an admin command, completed (cdw0 0: aborted) by the next
 *     spdk_nvme_ctrlr_process_admin_completions, which completes nothing else.
 * The callbacks are called with no lock held, so they may submit again (as SPDK allows).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "double_common.h"
#include "spdk_test.h"

#define API __attribute__((visibility("default")))
#define MAX_FAILS 16
#define MAX_COUNTED 48
#define MAX_TARGETS 64
#define MAX_QPAIRS 64
#define TWO_MIB (2u * 1024u * 1024u)
#define COUNT() double_count_call(g_counts, MAX_COUNTED, __func__) /* with g_lock held */

enum op
{
    OP_READ,
    OP_WRITE,
    OP_FLUSH
};

typedef struct request
{
    enum op op;
    uint64_t lba;
    uint32_t lba_count;
    void *payload;                     /* contiguous form */
    struct { void *base; uint32_t len; } sge[64];
    int sge_count;                     /* SGL form when > 0 */
    spdk_nvme_cmd_cb cb;
    void *cb_arg;
    int aborted;                       /* spdk_nvme_ctrlr_cmd_abort_ext matched it */
    struct request *next;
} request_t;

struct spdk_nvme_ns
{
    struct spdk_nvme_ctrlr *ctrlr;
    uint32_t id;
    uint32_t sector_size;
    uint64_t num_sectors;
    uint8_t *data;
};

struct spdk_nvme_ctrlr
{
    struct spdk_nvme_transport_id trid;
    struct spdk_nvme_ctrlr_data cdata;
    struct spdk_nvme_ns ns;
    int connected;
    char allowed_host[SPDK_NVMF_NQN_MAX_LEN + 1]; /* empty: any host */
    request_t *admin_head;                        /* completed aborts, reported by process_admin_completions */
};

struct spdk_nvme_qpair
{
    struct spdk_nvme_ctrlr *ctrlr;
    uint32_t max_requests;
    uint32_t outstanding;
    int broken;
    request_t *head;
    request_t *tail;
};

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static double_count_t g_counts[MAX_COUNTED];
static double_fail_t g_fails[MAX_FAILS];
static struct spdk_nvme_ctrlr g_targets[MAX_TARGETS];
static struct spdk_nvme_qpair *g_qpairs[MAX_QPAIRS];
static int g_env_initialised;
static long g_dma_outstanding;
static int g_status_sct;
static int g_status_sc;
static int g_status_times;
static int g_per_poll;

static void count_call(const char *function)
{
    pthread_mutex_lock(&g_lock);
    double_count_call(g_counts, MAX_COUNTED, function);
    pthread_mutex_unlock(&g_lock);
}

static int take_failure(const char *function)
{
    pthread_mutex_lock(&g_lock);
    const double_fail_t *f = double_fail_take(g_fails, MAX_FAILS, function);
    const int err = f == NULL ? 0 : f->errno_value;
    pthread_mutex_unlock(&g_lock);
    return err;
}

/* ---- test controls ---- */

API void double_spdk_reset(void)
{
    pthread_mutex_lock(&g_lock);
    memset(g_fails, 0, sizeof(g_fails));
    g_status_times = 0;
    g_per_poll = 0;
    pthread_mutex_unlock(&g_lock);
}

API int double_spdk_add_target(const char *traddr, const char *trsvcid, const char *subnqn, uint32_t sector_size,
    uint64_t num_sectors)
{
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < MAX_TARGETS; i++)
    {
        struct spdk_nvme_ctrlr *c = &g_targets[i];
        if (c->ns.data == NULL)
        {
            memset(c, 0, sizeof(*c));
            snprintf(c->trid.traddr, sizeof(c->trid.traddr), "%s", traddr);
            snprintf(c->trid.trsvcid, sizeof(c->trid.trsvcid), "%s", trsvcid);
            snprintf(c->trid.subnqn, sizeof(c->trid.subnqn), "%s", subnqn);
            c->cdata.vid = 0x1d0f;
            memcpy(c->cdata.sn, "DOUBLE0001          ", 20);
            memcpy(c->cdata.mn, "SPDK test double                        ", 40);
            memcpy(c->cdata.fr, "25.09   ", 8);
            c->cdata.nn = 1;
            snprintf((char *)c->cdata.subnqn, sizeof(c->cdata.subnqn), "%s", subnqn);
            c->ns.ctrlr = c;
            c->ns.id = 1;
            c->ns.sector_size = sector_size;
            c->ns.num_sectors = num_sectors;
            c->ns.data = calloc(num_sectors, sector_size);
            pthread_mutex_unlock(&g_lock);
            return c->ns.data == NULL ? -ENOMEM : 0;
        }
    }
    pthread_mutex_unlock(&g_lock);
    return -ENOSPC;
}

API void double_spdk_fail(const char *function, int errno_value, int times)
{
    pthread_mutex_lock(&g_lock);
    double_fail_t *f = double_fail_slot(g_fails, MAX_FAILS, function, times);
    if (f != NULL)
    {
        f->errno_value = errno_value;
    }
    pthread_mutex_unlock(&g_lock);
}

API void double_spdk_fail_status(int sct, int sc, int times)
{
    pthread_mutex_lock(&g_lock);
    g_status_sct = sct;
    g_status_sc = sc;
    g_status_times = times;
    pthread_mutex_unlock(&g_lock);
}

API void double_spdk_break_qpairs(void)
{
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < MAX_QPAIRS; i++)
    {
        if (g_qpairs[i] != NULL)
        {
            g_qpairs[i]->broken = 1;
        }
    }
    pthread_mutex_unlock(&g_lock);
}

API void double_spdk_set_completions_per_poll(int n)
{
    pthread_mutex_lock(&g_lock);
    g_per_poll = n;
    pthread_mutex_unlock(&g_lock);
}

API long double_spdk_call_count(const char *function)
{
    pthread_mutex_lock(&g_lock);
    const long n = double_count_of(g_counts, MAX_COUNTED, function);
    pthread_mutex_unlock(&g_lock);
    return n;
}

API long double_spdk_outstanding_commands(void)
{
    pthread_mutex_lock(&g_lock);
    long n = 0;
    for (int i = 0; i < MAX_QPAIRS; i++)
    {
        n += g_qpairs[i] == NULL ? 0 : g_qpairs[i]->outstanding;
    }
    pthread_mutex_unlock(&g_lock);
    return n;
}

API long double_spdk_outstanding_dma(void)
{
    pthread_mutex_lock(&g_lock);
    const long n = g_dma_outstanding;
    pthread_mutex_unlock(&g_lock);
    return n;
}

/* ---- env ---- */

API void spdk_env_opts_init(struct spdk_env_opts *opts)
{
    count_call(__func__);
    const size_t opts_size = opts->opts_size;
    memset(opts, 0, sizeof(*opts));
    opts->opts_size = opts_size;
    opts->name = "spdk";
    opts->shm_id = -1;
    opts->mem_size = -1;
    opts->main_core = -1;
    opts->mem_channel = -1;
    opts->core_mask = "0x1";
}

API int spdk_env_init(const struct spdk_env_opts *opts)
{
    count_call(__func__);
    const int err = take_failure(__func__);
    if (err != 0)
    {
        return -err;
    }
    if (opts == NULL || opts->opts_size != sizeof(*opts) || opts->name == NULL)
    {
        return -EINVAL;
    }
    pthread_mutex_lock(&g_lock);
    const int again = g_env_initialised;
    g_env_initialised = 1;
    pthread_mutex_unlock(&g_lock);
    return again ? -EALREADY : 0;
}

API void *spdk_dma_zmalloc(size_t size, size_t align, uint64_t *unused)
{
    count_call(__func__);
    if (unused != NULL || take_failure(__func__) != 0)
    {
        return NULL;
    }
    void *p = NULL;
    if (posix_memalign(&p, align < 64 ? 64 : align, size == 0 ? 1 : size) != 0)
    {
        return NULL;
    }
    memset(p, 0, size);
    pthread_mutex_lock(&g_lock);
    g_dma_outstanding++;
    pthread_mutex_unlock(&g_lock);
    return p;
}

API void spdk_dma_free(void *buf)
{
    pthread_mutex_lock(&g_lock);
    COUNT();
    if (buf != NULL)
    {
        g_dma_outstanding--;
    }
    pthread_mutex_unlock(&g_lock);
    free(buf);
}

static int check_2mib(const void *vaddr, size_t len)
{
    return ((uintptr_t)vaddr % TWO_MIB != 0 || len == 0 || len % TWO_MIB != 0) ? -EINVAL : 0;
}

API int spdk_mem_register(void *vaddr, size_t len)
{
    count_call(__func__);
    return check_2mib(vaddr, len);
}

API int spdk_mem_unregister(void *vaddr, size_t len)
{
    count_call(__func__);
    return check_2mib(vaddr, len);
}

/* ---- transport ids, controllers, namespaces ---- */

API int spdk_nvme_transport_id_parse(struct spdk_nvme_transport_id *trid, const char *str)
{
    count_call(__func__);
    if (trid == NULL || str == NULL)
    {
        return -EINVAL;
    }
    char copy[1024];
    if (snprintf(copy, sizeof(copy), "%s", str) >= (int)sizeof(copy))
    {
        return -EINVAL;
    }
    char *save = NULL;
    for (char *pair = strtok_r(copy, " \t\n", &save); pair != NULL; pair = strtok_r(NULL, " \t\n", &save))
    {
        const size_t split = strcspn(pair, ":=");
        if (pair[split] == '\0')
        {
            return -EINVAL;
        }
        pair[split] = '\0';
        const char *key = pair;
        const char *val = pair + split + 1;
        if (strcasecmp(key, "trtype") == 0)
        {
            snprintf(trid->trstring, sizeof(trid->trstring), "%s", val);
            if (strcasecmp(val, "PCIe") == 0)
            {
                trid->trtype = SPDK_NVME_TRANSPORT_PCIE;
            }
            else if (strcasecmp(val, "TCP") == 0)
            {
                trid->trtype = SPDK_NVME_TRANSPORT_TCP;
            }
            else if (strcasecmp(val, "RDMA") == 0)
            {
                trid->trtype = SPDK_NVME_TRANSPORT_RDMA;
            }
            else
            {
                return -ENOENT;
            }
        }
        else if (strcasecmp(key, "adrfam") == 0)
        {
            trid->adrfam = strcasecmp(val, "IPv6") == 0 ? SPDK_NVMF_ADRFAM_IPV6 : SPDK_NVMF_ADRFAM_IPV4;
        }
        else if (strcasecmp(key, "traddr") == 0)
        {
            snprintf(trid->traddr, sizeof(trid->traddr), "%s", val);
        }
        else if (strcasecmp(key, "trsvcid") == 0)
        {
            snprintf(trid->trsvcid, sizeof(trid->trsvcid), "%s", val);
        }
        else if (strcasecmp(key, "subnqn") == 0)
        {
            snprintf(trid->subnqn, sizeof(trid->subnqn), "%s", val);
        }
        else if (strcasecmp(key, "priority") == 0)
        {
            trid->priority = atoi(val);
        }
        else if (strcasecmp(key, "hostnqn") == 0 || strcasecmp(key, "hostaddr") == 0 || strcasecmp(key, "hostsvcid") == 0
            || strcasecmp(key, "ns") == 0 || strcasecmp(key, "alt_traddr") == 0)
        {
            continue;
        }
        else
        {
            return -EINVAL;
        }
    }
    return 0;
}

API void spdk_nvme_ctrlr_get_default_ctrlr_opts(struct spdk_nvme_ctrlr_opts *opts, size_t opts_size)
{
    count_call(__func__);
    if (opts != NULL)
    {
        memset(opts, 0, opts_size < sizeof(*opts) ? opts_size : sizeof(*opts));
    }
}

API void double_spdk_allow_host(const char *trsvcid, const char *hostnqn)
{
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < MAX_TARGETS; i++)
    {
        if (g_targets[i].ns.data != NULL && strcmp(g_targets[i].trid.trsvcid, trsvcid) == 0)
        {
            snprintf(g_targets[i].allowed_host, sizeof(g_targets[i].allowed_host), "%s", hostnqn);
        }
    }
    pthread_mutex_unlock(&g_lock);
}

API struct spdk_nvme_ctrlr *spdk_nvme_connect(const struct spdk_nvme_transport_id *trid,
    const struct spdk_nvme_ctrlr_opts *opts, size_t opts_size)
{
    count_call(__func__);
    if (trid == NULL || take_failure(__func__) != 0)
    {
        return NULL;
    }
    /* Without options (or too short ones) SPDK makes up a host NQN: never an allowed one. */
    const char *host = opts != NULL && opts_size >= sizeof(*opts) ? opts->hostnqn : "";
    pthread_mutex_lock(&g_lock);
    struct spdk_nvme_ctrlr *found = NULL;
    for (int i = 0; i < MAX_TARGETS && found == NULL; i++)
    {
        struct spdk_nvme_ctrlr *c = &g_targets[i];
        if (c->ns.data != NULL && !c->connected && strcmp(c->trid.traddr, trid->traddr) == 0
            && strcmp(c->trid.trsvcid, trid->trsvcid) == 0 && strcmp(c->trid.subnqn, trid->subnqn) == 0
            && (c->allowed_host[0] == '\0' || strncmp(c->allowed_host, host, SPDK_NVMF_NQN_MAX_LEN + 1) == 0))
        {
            c->connected = 1;
            found = c;
        }
    }
    pthread_mutex_unlock(&g_lock);
    return found;
}

API const struct spdk_nvme_ctrlr_data *spdk_nvme_ctrlr_get_data(struct spdk_nvme_ctrlr *ctrlr)
{
    count_call(__func__);
    return &ctrlr->cdata;
}

API uint32_t spdk_nvme_ctrlr_get_num_ns(struct spdk_nvme_ctrlr *ctrlr)
{
    count_call(__func__);
    return ctrlr->cdata.nn;
}

API struct spdk_nvme_ns *spdk_nvme_ctrlr_get_ns(struct spdk_nvme_ctrlr *ctrlr, uint32_t ns_id)
{
    count_call(__func__);
    return ns_id == ctrlr->ns.id ? &ctrlr->ns : NULL;
}

API bool spdk_nvme_ns_is_active(struct spdk_nvme_ns *ns)
{
    count_call(__func__);
    return ns->num_sectors > 0;
}

API uint32_t spdk_nvme_ns_get_sector_size(struct spdk_nvme_ns *ns)
{
    count_call(__func__);
    return ns->sector_size;
}

API uint64_t spdk_nvme_ns_get_num_sectors(struct spdk_nvme_ns *ns)
{
    count_call(__func__);
    return ns->num_sectors;
}

/* ---- queue pairs ---- */

API void spdk_nvme_ctrlr_get_default_io_qpair_opts(struct spdk_nvme_ctrlr *ctrlr,
    struct spdk_nvme_io_qpair_opts *opts, size_t opts_size)
{
    (void)ctrlr;
    count_call(__func__);
    memset(opts, 0, opts_size);
    opts->io_queue_size = 128;
    opts->io_queue_requests = 512;
    opts->opts_size = opts_size;
}

API struct spdk_nvme_qpair *spdk_nvme_ctrlr_alloc_io_qpair(struct spdk_nvme_ctrlr *ctrlr,
    const struct spdk_nvme_io_qpair_opts *opts, size_t opts_size)
{
    count_call(__func__);
    if (take_failure(__func__) != 0)
    {
        return NULL;
    }
    struct spdk_nvme_qpair *q = calloc(1, sizeof(*q));
    if (q == NULL)
    {
        return NULL;
    }
    q->ctrlr = ctrlr;
    q->max_requests = opts != NULL && opts_size >= offsetof(struct spdk_nvme_io_qpair_opts, io_queue_requests) + 4
        ? opts->io_queue_requests : 512;
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < MAX_QPAIRS; i++)
    {
        if (g_qpairs[i] == NULL)
        {
            g_qpairs[i] = q;
            pthread_mutex_unlock(&g_lock);
            return q;
        }
    }
    pthread_mutex_unlock(&g_lock);
    free(q);
    return NULL;
}

static request_t *take_all_locked(struct spdk_nvme_qpair *q)
{
    request_t *all = q->head;
    q->head = NULL;
    q->tail = NULL;
    q->outstanding = 0;
    return all;
}

/* Completes a detached list with ABORTED - SQ DELETION, no lock held. */
static int abort_list(request_t *r)
{
    int n = 0;
    while (r != NULL)
    {
        request_t *next = r->next;
        struct spdk_nvme_cpl cpl = {0};
        cpl.status.sct = SPDK_NVME_SCT_GENERIC;
        cpl.status.sc = SPDK_NVME_SC_ABORTED_SQ_DELETION;
        r->cb(r->cb_arg, &cpl);
        free(r);
        r = next;
        n++;
    }
    return n;
}

static void forget_qpair_locked(struct spdk_nvme_qpair *q)
{
    for (int i = 0; i < MAX_QPAIRS; i++)
    {
        if (g_qpairs[i] == q)
        {
            g_qpairs[i] = NULL;
        }
    }
}

API int spdk_nvme_ctrlr_free_io_qpair(struct spdk_nvme_qpair *qpair)
{
    pthread_mutex_lock(&g_lock);
    COUNT();
    if (qpair == NULL)
    {
        pthread_mutex_unlock(&g_lock);
        return 0;
    }
    forget_qpair_locked(qpair);
    request_t *pending = take_all_locked(qpair);
    pthread_mutex_unlock(&g_lock);
    abort_list(pending);
    free(qpair);
    return 0;
}

API int spdk_nvme_detach(struct spdk_nvme_ctrlr *ctrlr)
{
    pthread_mutex_lock(&g_lock);
    COUNT();
    struct spdk_nvme_qpair *left[MAX_QPAIRS];
    int n = 0;
    for (int i = 0; i < MAX_QPAIRS; i++)
    {
        if (g_qpairs[i] != NULL && g_qpairs[i]->ctrlr == ctrlr)
        {
            left[n++] = g_qpairs[i];
            g_qpairs[i] = NULL;
        }
    }
    ctrlr->connected = 0;
    pthread_mutex_unlock(&g_lock);
    for (int i = 0; i < n; i++)
    {
        pthread_mutex_lock(&g_lock);
        request_t *pending = take_all_locked(left[i]);
        pthread_mutex_unlock(&g_lock);
        abort_list(pending);
        free(left[i]);
    }
    return 0;
}

static int enqueue(struct spdk_nvme_qpair *q, request_t *r)
{
    pthread_mutex_lock(&g_lock);
    if (q->broken)
    {
        pthread_mutex_unlock(&g_lock);
        free(r);
        return -ENXIO;
    }
    if (q->outstanding >= q->max_requests)
    {
        pthread_mutex_unlock(&g_lock);
        free(r);
        return -ENOMEM;
    }
    r->next = NULL;
    if (q->tail == NULL)
    {
        q->head = r;
    }
    else
    {
        q->tail->next = r;
    }
    q->tail = r;
    q->outstanding++;
    pthread_mutex_unlock(&g_lock);
    return 0;
}

/* A new request, or NULL with *rc set (an injected failure of function, or -ENOMEM). */
static request_t *new_request(const char *function, enum op op, uint64_t lba, uint32_t lba_count, spdk_nvme_cmd_cb cb,
    void *cb_arg, int *rc)
{
    count_call(function);
    const int err = take_failure(function);
    request_t *r = err != 0 ? NULL : calloc(1, sizeof(*r));
    *rc = err != 0 ? -err : -ENOMEM;
    if (r != NULL)
    {
        r->op = op;
        r->lba = lba;
        r->lba_count = lba_count;
        r->cb = cb;
        r->cb_arg = cb_arg;
    }
    return r;
}

static int submit_contiguous(const char *function, enum op op, struct spdk_nvme_ns *ns, struct spdk_nvme_qpair *qpair,
    void *payload, uint64_t lba, uint32_t lba_count, spdk_nvme_cmd_cb cb, void *cb_arg)
{
    (void)ns;
    int rc;
    request_t *r = new_request(function, op, lba, lba_count, cb, cb_arg, &rc);
    if (r == NULL)
    {
        return rc;
    }
    r->payload = payload;
    return enqueue(qpair, r);
}

static int submit_sgl(const char *function, enum op op, struct spdk_nvme_ns *ns, struct spdk_nvme_qpair *qpair,
    uint64_t lba, uint32_t lba_count, spdk_nvme_cmd_cb cb, void *cb_arg, spdk_nvme_req_reset_sgl_cb reset_sgl,
    spdk_nvme_req_next_sge_cb next_sge)
{
    if (reset_sgl == NULL || next_sge == NULL)
    {
        count_call(function);
        return -EINVAL;
    }
    int rc;
    request_t *r = new_request(function, op, lba, lba_count, cb, cb_arg, &rc);
    if (r == NULL)
    {
        return rc;
    }
    uint64_t want = (uint64_t)lba_count * ns->sector_size;
    reset_sgl(cb_arg, 0);
    while (want > 0)
    {
        void *address = NULL;
        uint32_t length = 0;
        if (r->sge_count == 64 || next_sge(cb_arg, &address, &length) != 0 || length == 0)
        {
            free(r);
            return -EINVAL;
        }
        if (length > want)
        {
            length = (uint32_t)want;
        }
        r->sge[r->sge_count].base = address;
        r->sge[r->sge_count].len = length;
        r->sge_count++;
        want -= length;
    }
    return enqueue(qpair, r);
}

API int spdk_nvme_ns_cmd_read(struct spdk_nvme_ns *ns, struct spdk_nvme_qpair *qpair, void *payload,
    uint64_t lba, uint32_t lba_count, spdk_nvme_cmd_cb cb_fn, void *cb_arg, uint32_t io_flags)
{
    (void)io_flags;
    return submit_contiguous(__func__, OP_READ, ns, qpair, payload, lba, lba_count, cb_fn, cb_arg);
}

API int spdk_nvme_ns_cmd_write(struct spdk_nvme_ns *ns, struct spdk_nvme_qpair *qpair, void *payload,
    uint64_t lba, uint32_t lba_count, spdk_nvme_cmd_cb cb_fn, void *cb_arg, uint32_t io_flags)
{
    (void)io_flags;
    return submit_contiguous(__func__, OP_WRITE, ns, qpair, payload, lba, lba_count, cb_fn, cb_arg);
}

API int spdk_nvme_ns_cmd_readv(struct spdk_nvme_ns *ns, struct spdk_nvme_qpair *qpair,
    uint64_t lba, uint32_t lba_count, spdk_nvme_cmd_cb cb_fn, void *cb_arg, uint32_t io_flags,
    spdk_nvme_req_reset_sgl_cb reset_sgl_fn, spdk_nvme_req_next_sge_cb next_sge_fn)
{
    (void)io_flags;
    return submit_sgl(__func__, OP_READ, ns, qpair, lba, lba_count, cb_fn, cb_arg, reset_sgl_fn, next_sge_fn);
}

API int spdk_nvme_ns_cmd_writev(struct spdk_nvme_ns *ns, struct spdk_nvme_qpair *qpair,
    uint64_t lba, uint32_t lba_count, spdk_nvme_cmd_cb cb_fn, void *cb_arg, uint32_t io_flags,
    spdk_nvme_req_reset_sgl_cb reset_sgl_fn, spdk_nvme_req_next_sge_cb next_sge_fn)
{
    (void)io_flags;
    return submit_sgl(__func__, OP_WRITE, ns, qpair, lba, lba_count, cb_fn, cb_arg, reset_sgl_fn, next_sge_fn);
}

API int spdk_nvme_ns_cmd_flush(struct spdk_nvme_ns *ns, struct spdk_nvme_qpair *qpair,
    spdk_nvme_cmd_cb cb_fn, void *cb_arg)
{
    return submit_contiguous(__func__, OP_FLUSH, ns, qpair, NULL, 0, 0, cb_fn, cb_arg);
}

/* Moves the data of one command between the namespace and its buffers; returns the NVMe status. */
static void execute(struct spdk_nvme_ns *ns, request_t *r, struct spdk_nvme_cpl *cpl)
{
    if (r->op == OP_FLUSH)
    {
        return;
    }
    if (r->lba_count == 0 || r->lba + r->lba_count > ns->num_sectors || r->lba + r->lba_count < r->lba)
    {
        cpl->status.sct = SPDK_NVME_SCT_GENERIC;
        cpl->status.sc = SPDK_NVME_SC_LBA_OUT_OF_RANGE;
        cpl->status.dnr = 1;
        return;
    }
    uint8_t *media = ns->data + r->lba * ns->sector_size;
    if (r->sge_count == 0)
    {
        const size_t len = (size_t)r->lba_count * ns->sector_size;
        if (r->op == OP_READ)
        {
            memcpy(r->payload, media, len);
        }
        else
        {
            memcpy(media, r->payload, len);
        }
        return;
    }
    for (int i = 0; i < r->sge_count; i++)
    {
        if (r->op == OP_READ)
        {
            memcpy(r->sge[i].base, media, r->sge[i].len);
        }
        else
        {
            memcpy(media, r->sge[i].base, r->sge[i].len);
        }
        media += r->sge[i].len;
    }
}

API int32_t spdk_nvme_qpair_process_completions(struct spdk_nvme_qpair *qpair, uint32_t max_completions)
{
    pthread_mutex_lock(&g_lock);
    COUNT();
    if (qpair->broken)
    {
        request_t *pending = take_all_locked(qpair);
        pthread_mutex_unlock(&g_lock);
        abort_list(pending);
        return -ENXIO;
    }
    uint32_t limit = max_completions == 0 ? UINT32_MAX : max_completions;
    if (g_per_poll < 0)
    {
        limit = 0; /* held: the "device" has not answered yet */
    }
    if (g_per_poll > 0 && (uint32_t)g_per_poll < limit)
    {
        limit = (uint32_t)g_per_poll;
    }
    int32_t done = 0;
    while (qpair->head != NULL && (uint32_t)done < limit)
    {
        request_t *r = qpair->head;
        qpair->head = r->next;
        if (qpair->head == NULL)
        {
            qpair->tail = NULL;
        }
        qpair->outstanding--;
        struct spdk_nvme_cpl cpl = {0};
        if (r->aborted)
        {
            cpl.status.sct = SPDK_NVME_SCT_GENERIC;
            cpl.status.sc = SPDK_NVME_SC_ABORTED_BY_REQUEST;
        }
        else if (g_status_times != 0)
        {
            cpl.status.sct = g_status_sct & 0x7;
            cpl.status.sc = g_status_sc & 0xff;
            if (g_status_times > 0)
            {
                g_status_times--;
            }
        }
        else
        {
            execute(&qpair->ctrlr->ns, r, &cpl);
        }
        pthread_mutex_unlock(&g_lock);
        r->cb(r->cb_arg, &cpl);
        free(r);
        done++;
        pthread_mutex_lock(&g_lock);
    }
    pthread_mutex_unlock(&g_lock);
    return done;
}

API int spdk_nvme_ctrlr_cmd_abort_ext(struct spdk_nvme_ctrlr *ctrlr, struct spdk_nvme_qpair *qpair, void *cmd_cb_arg,
    spdk_nvme_cmd_cb cb_fn, void *cb_arg)
{
    const int err = take_failure(__func__);
    pthread_mutex_lock(&g_lock);
    COUNT();
    if (err != 0 || ctrlr == NULL || qpair == NULL)
    {
        pthread_mutex_unlock(&g_lock);
        return err != 0 ? -err : -EINVAL;
    }
    int matched = 0;
    for (request_t *r = qpair->head; r != NULL; r = r->next)
    {
        if (r->cb_arg == cmd_cb_arg && !r->aborted)
        {
            r->aborted = 1;
            matched++;
        }
    }
    if (matched == 0)
    {
        pthread_mutex_unlock(&g_lock);
        return -ENOENT;
    }
    request_t *abort = calloc(1, sizeof(*abort));
    if (abort == NULL)
    {
        pthread_mutex_unlock(&g_lock);
        return -ENOMEM;
    }
    abort->cb = cb_fn;
    abort->cb_arg = cb_arg;
    abort->next = ctrlr->admin_head;
    ctrlr->admin_head = abort;
    pthread_mutex_unlock(&g_lock);
    return 0;
}

API int32_t spdk_nvme_ctrlr_process_admin_completions(struct spdk_nvme_ctrlr *ctrlr)
{
    pthread_mutex_lock(&g_lock);
    COUNT();
    request_t *done = ctrlr->admin_head;
    ctrlr->admin_head = NULL;
    pthread_mutex_unlock(&g_lock);
    int32_t n = 0;
    while (done != NULL)
    {
        request_t *next = done->next;
        const struct spdk_nvme_cpl cpl = {0}; /* cdw0 bit 0 clear: the command was aborted */
        if (done->cb != NULL)
        {
            done->cb(done->cb_arg, &cpl);
        }
        free(done);
        done = next;
        n++;
    }
    return n;
}
