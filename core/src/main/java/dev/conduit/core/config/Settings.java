package dev.conduit.core.config;

import java.util.List;
import java.util.Optional;

/**
 * Every configuration key Conduit knows, with its default. A key not listed here is refused
 * wherever it appears (a file, {@code --set}), so a typo cannot pass silently.
 *
 * <p>The scheduler defaults repeat {@code DeviceContext}'s and {@code SchedulerContext}'s
 * {@code *_DEFAULT} constants (this module cannot see the scheduler); a CLI test keeps them equal.
 * Docs: {@code docs/CONFIG.md} lists the same keys.
 */
public final class Settings
{
    /** The data directory (store, doctor's filesystem checks); {@code --data} sets it too. */
    public static final Setting<String> DATA_DIR = Setting.text("data.dir", "CONDUIT_DATA", "var",
        "data directory: the store, and the filesystem doctor examines");

    /** Most tasks in flight per device. */
    public static final Setting<Integer> QUEUE_DEPTH = Setting.integer("scheduler.queueDepth", 32, 1,
        "most tasks in flight per device (capped by the backend)");
    /** Most completions handled per duty cycle. */
    public static final Setting<Integer> COMPLETION_BATCH = Setting.integer("scheduler.completionBatch", 8, 1,
        "most completions handled per duty cycle");
    /** Most tasks handed to the backend per flush. */
    public static final Setting<Integer> SUBMIT_BATCH = Setting.integer("scheduler.submitBatch", 32, 1,
        "most tasks handed to the backend per flush (one io_uring_enter)");
    /** Largest task; larger requests are split. */
    public static final Setting<Long> TASK_SIZE = Setting.bytes("scheduler.taskSize", "4m",
        v -> v >= 4096 && v % 4096 == 0, "a positive multiple of 4096", "largest task; larger requests are split");
    /** Ring slots per device. */
    public static final Setting<Integer> RING_SIZE = Setting.powerOfTwo("scheduler.ringSize", 1024,
        "ring slots per device; producers block or are rejected beyond this");
    /** Request pool size per device. */
    public static final Setting<Integer> MAX_REQUESTS = Setting.integer("scheduler.maxRequests", 2048, 1,
        "most admitted, unfinished requests per device");
    /** Most buffer pieces per task. */
    public static final Setting<Integer> MAX_IOV_PER_TASK = Setting.integer("scheduler.maxIovPerTask", 32, 1,
        "most buffer pieces (merged requests) in one task, at most 1024");
    /** Merge threshold. */
    public static final Setting<Long> COALESCE_MAX = Setting.bytes("scheduler.coalesceMax", "128k",
        v -> v >= 0, ">= 0", "requests up to this size may be merged with adjacent ones; 0 disables merging");
    /** Merge search window. */
    public static final Setting<Integer> COALESCE_WINDOW = Setting.integer("scheduler.coalesceWindow", 16, 0,
        "queued requests searched for an adjacent neighbour");
    /** Queue-depth slots BULK may never use. */
    public static final Setting<Integer> LATENCY_RESERVE = Setting.integer("scheduler.latencyReserve", -1, -1,
        "queue-depth slots kept free of BULK work; -1 means 1/8 of the queue depth");
    /** LATENCY burst length. */
    public static final Setting<Integer> LATENCY_BURST = Setting.integer("scheduler.latencyBurst", 8, 1,
        "consecutive LATENCY dispatches allowed while BULK waits");
    /** Deadline scan interval. */
    public static final Setting<Long> DEADLINE_CHECK_INTERVAL = Setting.duration("scheduler.deadlineCheckInterval", "100us",
        "interval between scans for expired deadlines");
    /** How long close() lets queued requests run. */
    public static final Setting<Long> DRAIN_TIMEOUT = Setting.duration("scheduler.drainTimeout", "30s",
        "how long close() lets queued requests run before failing them with SHUTDOWN");
    /** Idle cycles spent spinning. */
    public static final Setting<Integer> IDLE_SPINS = Setting.integer("scheduler.idleSpins", 200, 0,
        "idle duty cycles spent spinning before yielding");
    /** Idle cycles spent yielding. */
    public static final Setting<Integer> IDLE_YIELDS = Setting.integer("scheduler.idleYields", 20, 0,
        "idle duty cycles spent yielding before parking, while no I/O is in flight (with I/O in flight the device parks after spinning)");
    /** Longest park of an idle device thread. */
    public static final Setting<Long> IDLE_MAX_PARK = Setting.duration("scheduler.idleMaxPark", "1ms",
        "longest park of an idle device thread");

    /** A substitute libcuda (tests point it at a double). */
    public static final Setting<String> LIB_CUDA = Setting.text("lib.cuda", "CONDUIT_CUDA_LIB", null,
        "path of a libcuda to load instead of the installed libcuda.so.1");
    /** A substitute libcudart. */
    public static final Setting<String> LIB_CUDART = Setting.text("lib.cudart", "CONDUIT_CUDART_LIB", null,
        "path of a libcudart to load instead of the installed one");
    /** A substitute libcufile. */
    public static final Setting<String> LIB_CUFILE = Setting.text("lib.cufile", "CONDUIT_CUFILE_LIB", null,
        "path of a libcufile to load instead of the installed libcufile.so.0");
    /** A substitute SPDK NVMe library. */
    public static final Setting<String> LIB_SPDK = Setting.text("lib.spdk", "CONDUIT_SPDK_LIB", null,
        "path of an SPDK NVMe library to load instead of libspdk_nvme.so");
    /** The CUDA toolkit directory searched after the system loader. */
    public static final Setting<String> CUDA_HOME = Setting.text("cuda.home", "CUDA_HOME", null,
        "CUDA toolkit directory; its lib64 is searched after the system loader, before /usr/local/cuda/lib64");

    /** TCP port of {@code conduit serve}'s S3 endpoint. */
    public static final Setting<Integer> S3_PORT = Setting.integer("s3.port", 9400, 0,
        "TCP port of the S3 endpoint (conduit serve --port); 0 picks a free one");
    /** Address the S3 endpoint binds. */
    public static final Setting<String> S3_BIND = Setting.text("s3.bind", "CONDUIT_S3_BIND", "127.0.0.1",
        "address the S3 endpoint binds (conduit serve --bind); anything but loopback exposes it to the network");
    /** The region clients sign for. */
    public static final Setting<String> S3_REGION = Setting.text("s3.region", "CONDUIT_S3_REGION", "us-east-1",
        "the region clients sign requests for (conduit serve --region)");
    /** The access key id; unset means the one generated in the data directory. */
    public static final Setting<String> S3_ACCESS_KEY = Setting.text("s3.accessKey", "CONDUIT_ACCESS_KEY", null,
        "S3 access key id (conduit serve --access-key); unset: the key generated once in the data directory");
    /** The secret key; never printed by doctor. */
    public static final Setting<String> S3_SECRET_KEY = Setting.text("s3.secretKey", "CONDUIT_SECRET_KEY", null,
        "S3 secret key, set together with s3.accessKey (conduit serve --secret-key); doctor shows it masked");
    /** How long stopping waits for requests in flight. */
    public static final Setting<Long> S3_DRAIN_TIMEOUT = Setting.duration("s3.drainTimeout", "30s",
        "how long stopping the S3 endpoint lets requests in flight finish before closing their connections");
    /** Netty event-loop threads of the S3 endpoint. */
    public static final Setting<Integer> S3_EVENT_LOOP_THREADS = Setting.integer("s3.eventLoopThreads", 0, 0,
        "event-loop threads of the S3 endpoint; 0 means Netty's default (2 per core)");
    /** Whether {@code conduit serve} keeps the audit log of mutating requests. */
    public static final Setting<Boolean> S3_AUDIT = Setting.flag("s3.audit", true,
        "record every mutating S3 request in the store's hash-chained audit log before answering it (conduit audit reads it)");
    /** Memory {@code conduit serve} keeps small objects' verified bytes in for GETs; 0 disables. */
    public static final Setting<Long> S3_SMALL_OBJECT_CACHE_BYTES = Setting.bytes("s3.smallObjectCacheBytes", "64m",
        v -> v >= 0, ">= 0",
        "memory for the verified bytes of small objects (up to 64 KiB) that GETs read whole; a hit is served only for the "
            + "version the catalog names at that moment; 0 disables");
    /** Size of the store {@code conduit serve} creates when the data directory has none. */
    public static final Setting<Long> SERVE_SIZE = Setting.bytes("serve.size", "0", v -> v >= 0, ">= 0",
        "size of the store conduit serve creates when the data directory has none (--size); 0 means min(16g, 25% of the free space)");
    /** Which GPU data path gds-path's {@code DataPath} uses: auto, gds, bounce or host (checked when it opens). */
    public static final Setting<String> PATH_MODE = Setting.text("path.mode", "CONDUIT_PATH_MODE", "auto",
        "GPU data path: auto (the best this host serves), gds, bounce or host; forcing one the host cannot serve is an error");
    /** Whether a forced path.mode the host cannot serve falls back (reported) instead of failing: true or false. */
    public static final Setting<String> PATH_FALLBACK = Setting.text("path.fallback", "CONDUIT_PATH_FALLBACK", "false",
        "true: a forced path.mode the host cannot serve runs the best path it can, and says so; false: it is an error");
    /** How GDS reads verify the store's CRC-32C: host-shadow or off. */
    public static final Setting<String> PATH_GDS_VERIFY = Setting.text("path.gdsVerify", "CONDUIT_PATH_GDS_VERIFY", "host-shadow",
        "GDS reads: host-shadow (read again through the host path, verified, and compare with a device-to-host copy) or off");

    /** How long a read-through copy is served before it is revalidated against the cold tier. */
    public static final Setting<Long> TIER_TTL = Setting.duration("tier.ttl", "5m",
        "how long a copy fetched from the cold tier is served before it is revalidated (If-None-Match on the cold ETag)");
    /** Part size of ranged cold GETs and multipart uploads. */
    public static final Setting<Long> TIER_PART_SIZE = Setting.bytes("tier.partSize", "8m",
        v -> v >= (5 << 20), ">= 5m", "part size of parallel ranged cold GETs and of write-back multipart uploads");
    /** Parts in flight per object. */
    public static final Setting<Integer> TIER_PARALLEL_PARTS = Setting.integer("tier.parallelParts", 4, 1,
        "ranged GETs or upload parts in flight per object");
    /** Objects above this size are uploaded in parts. */
    public static final Setting<Long> TIER_MULTIPART_THRESHOLD = Setting.bytes("tier.multipartThreshold", "16m",
        v -> v >= (5 << 20), ">= 5m", "write-back uploads objects larger than this as multipart uploads");
    /** Objects uploaded at once. */
    public static final Setting<Integer> TIER_UPLOAD_CONCURRENCY = Setting.integer("tier.uploadConcurrency", 4, 1,
        "write-back objects uploaded at once (oldest first)");
    /** Write-back backlog bound, objects. */
    public static final Setting<Integer> TIER_BACKLOG_OBJECTS = Setting.integer("tier.backlogObjects", 10_000, 1,
        "most objects waiting for upload; a PUT to a write-back bucket waits (then gets SlowDown) beyond it");
    /** Write-back backlog bound, bytes. */
    public static final Setting<Long> TIER_BACKLOG_BYTES = Setting.bytes("tier.backlogBytes", "8g", v -> v > 0, "> 0",
        "most bytes waiting for upload; a PUT to a write-back bucket waits (then gets SlowDown) beyond it");
    /** How long a PUT waits for backlog room. */
    public static final Setting<Long> TIER_BACKPRESSURE_WAIT = Setting.duration("tier.backpressureWait", "10s",
        "how long a PUT to a write-back bucket waits for backlog room before it is answered SlowDown (503)");
    /** Cold request attempts. */
    public static final Setting<Integer> TIER_RETRIES = Setting.integer("tier.retries", 4, 0,
        "retries of a failed cold-tier request (5xx, throttling, timeouts), with exponential back-off and jitter");
    /** Cold request timeout. */
    public static final Setting<Long> TIER_REQUEST_TIMEOUT = Setting.duration("tier.requestTimeout", "30s",
        "how long one cold-tier request attempt may take before it is retried");
    /** Eviction starts above this share of the store. */
    public static final Setting<Integer> TIER_HIGH_WATERMARK = Setting.integer("tier.highWatermarkPercent", 90, 1,
        "eviction of cold-backed copies starts when the store is fuller than this percentage");
    /** Eviction stops below this share of the store. */
    public static final Setting<Integer> TIER_LOW_WATERMARK = Setting.integer("tier.lowWatermarkPercent", 80, 0,
        "eviction stops once the store is emptier than this percentage");
    /** Whether a fill is checked against the cold ETag. */
    public static final Setting<Boolean> TIER_VERIFY_ETAG = Setting.flag("tier.verifyEtag", true,
        "refuse a fill whose bytes' MD5 differs from the cold object's single-part ETag (turn off for cold buckets whose "
            + "ETags are not MD5s: SSE-KMS, SSE-C)");

    /** Every setting, in the order {@code doctor} and the docs list them. */
    public static final List<Setting<?>> ALL = List.of(
        DATA_DIR,
        QUEUE_DEPTH, COMPLETION_BATCH, SUBMIT_BATCH, TASK_SIZE, RING_SIZE, MAX_REQUESTS, MAX_IOV_PER_TASK,
        COALESCE_MAX, COALESCE_WINDOW, LATENCY_RESERVE, LATENCY_BURST, DEADLINE_CHECK_INTERVAL,
        DRAIN_TIMEOUT, IDLE_SPINS, IDLE_YIELDS, IDLE_MAX_PARK,
        LIB_CUDA, LIB_CUDART, LIB_CUFILE, LIB_SPDK, CUDA_HOME, PATH_MODE, PATH_FALLBACK, PATH_GDS_VERIFY,
        S3_PORT, S3_BIND, S3_REGION, S3_ACCESS_KEY, S3_SECRET_KEY, S3_DRAIN_TIMEOUT, S3_EVENT_LOOP_THREADS, S3_AUDIT, SERVE_SIZE,
        TIER_TTL, TIER_PART_SIZE, TIER_PARALLEL_PARTS, TIER_MULTIPART_THRESHOLD, TIER_UPLOAD_CONCURRENCY, TIER_BACKLOG_OBJECTS,
        TIER_BACKLOG_BYTES, TIER_BACKPRESSURE_WAIT, TIER_RETRIES, TIER_REQUEST_TIMEOUT, TIER_HIGH_WATERMARK, TIER_LOW_WATERMARK,
        S3_SMALL_OBJECT_CACHE_BYTES,
        TIER_VERIFY_ETAG);

    /** Settings whose value is a secret: shown masked wherever the configuration is printed. */
    public static final List<Setting<?>> SECRETS = List.of(S3_SECRET_KEY);

    private Settings()
    {
    }

    /**
     * @param key a key such as {@code scheduler.queueDepth}.
     * @return its setting, or empty when no such key exists.
     */
    public static Optional<Setting<?>> byKey(final String key)
    {
        return ALL.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /**
     * @param setting a setting.
     * @return whether its value is a secret that reports must mask.
     */
    public static boolean isSecret(final Setting<?> setting)
    {
        return SECRETS.contains(setting);
    }

    /**
     * @param envName an environment variable such as {@code CONDUIT_CUFILE_LIB}.
     * @return the setting it sets, or empty.
     */
    public static Optional<Setting<?>> byEnvName(final String envName)
    {
        return ALL.stream().filter(s -> s.envName().equals(envName)).findFirst();
    }
}
